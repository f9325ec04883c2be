"""The period the bureau reads its report for."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sellers.reporting.periods import Period, period_named

PERIODS = [
    ("this-month", gettext_lazy("This month")),
    ("last-month", gettext_lazy("Last month")),
    ("this-quarter", gettext_lazy("This quarter")),
    ("last-quarter", gettext_lazy("Last quarter")),
    ("this-year", gettext_lazy("This year")),
    ("custom", gettext_lazy("Custom")),
]


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Period"), choices=PERIODS, required=False
    )
    start = forms.DateField(
        label=gettext_lazy("Starts on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("Ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not (start and end):
                raise forms.ValidationError(_("Give both dates of a custom period."))
            if end < start:
                raise forms.ValidationError(
                    _("The period cannot end before it starts.")
                )
            if (end - start).days > 3660:
                raise forms.ValidationError(_("A period is at most ten years."))
            if not (2000 <= start.year and end.year <= 2100):
                raise forms.ValidationError(
                    _("Choose dates between the years 2000 and 2100.")
                )
        return data

    def chosen_period(self) -> Period:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("period") == "custom":
            return Period(data["start"], data["end"])
        return period_named(data.get("period") or "this-month", today)
