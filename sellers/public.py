"""What the public may see of a household: the one place that reads consent.

Every public surface (pages, titles, URLs, search, e-mails to buyers,
receipts, share tags) shows a household through `household_public`; nothing
public reads `Household.public_name`, `.village`, `.town` or `.photo` itself
(tests/consent/test_public_code.py greps for it).

The household's consent in force is mirrored on the household by the consent
services (sellers.consent.services.consent_record / consent_withdraw): its display
level and whether the village and photos may be shown. The public code is the
neutral `Household.slug`, never a name.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from .models import DisplayLevel, Household

NAMED_LEVELS = (DisplayLevel.GIVEN_NAME, DisplayLevel.FULL_STORY)


@dataclass(frozen=True)
class PublicHousehold:
    """A household as its consent lets the public see it."""

    code: str
    name: str
    district: str
    # Empty when the household has not consented to show its village.
    town: str
    village: str
    introduction: str
    # Private (templates cannot read a name starting with "_"): pages see the
    # household only through the fields above.
    _household: Household = field(repr=False, compare=False)

    @cached_property
    def photo(self):
        """The photo (a Wagtail image) if consented to, else None; read only
        where a page shows it, so that a product card, which never does, does
        not load its household's photo."""
        return self._household.photo if self._household.shows_photo else None

    @property
    def place(self) -> str:
        return " · ".join(
            part for part in (self.district, self.town, self.village) if part
        )

    def __str__(self) -> str:
        return self.name


def shows_name(household: Household) -> bool:
    return household.display_level in NAMED_LEVELS and bool(household.public_name)


def household_public(household: Household) -> PublicHousehold:
    """The name, place, photo and introduction the public may see."""
    if shows_name(household):
        name = household.public_name
    elif household.shows_village:
        name = _("A household of %(village)s") % {"village": household.village}
    else:
        name = _("A farming household")
    return PublicHousehold(
        code=household.slug,
        name=name,
        district=household.district,
        town=household.town if household.shows_village else "",
        village=household.village if household.shows_village else "",
        # Written under an earlier consent, it may name what is now withheld.
        introduction=""
        if text_names(household.introduction, _withheld_public(household))
        else household.introduction,
        _household=household,
    )


def _withheld_public(household: Household) -> list[str]:
    terms = []
    if not shows_name(household):
        terms.append(household.public_name)
    if not household.shows_village:
        terms.append(household.village)
    return [term for term in terms if term]


def household_withheld_terms(household: Household) -> list[str]:
    """Words public text about this household must not contain: the names and
    the village its consent withholds, and always its legal name."""
    record = getattr(household, "record", None) if household.pk else None
    legal = [record.legal_name] if record is not None and record.legal_name else []
    return legal + _withheld_public(household)


def product_text_terms(household: Household) -> list[str]:
    """Words a product's title, description and URL never contain, whatever
    the consent: the household is shown beside its product, by the presenter,
    so that a withdrawal takes its name off every product at once."""
    terms = [
        *household_withheld_terms(household),
        household.public_name,
        household.village,
    ]
    return list(dict.fromkeys(term for term in terms if term))


def text_names(text: str, terms: list[str]) -> list[str]:
    """The terms that occur in text."""
    return [term for term in terms if term and term in (text or "")]
