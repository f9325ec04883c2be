"""The report's plan-against-actual tables (sellers.reporting.plans): every
plan by household, summed by village, town and organisation (groups of fewer
than 5 households merged), and the plans behind."""

from django.utils.translation import gettext as _

from .bureau_table import COUNT, TEXT, YES_NO, YUAN, Table

PLAN_GROUPS = ("plans-villages", "plans-towns", "plans-organisations")


def _figures() -> list[tuple]:
    return [
        (_("Target (¥)"), "target", YUAN),
        (_("Sold (¥)"), "sold", YUAN),
        (_("Pre-ordered (¥)"), "preordered", YUAN),
        (_("To go (¥)"), "to_go", YUAN),
        (_("Reached (%)"), "percent", COUNT),
        (_("Expected by today (¥)"), "expected", YUAN),
    ]


def _plan_columns() -> list[tuple]:
    return [
        (_("Town"), "town", TEXT),
        (_("Village"), "village", TEXT),
        (_("Household"), "slug", TEXT),
        (_("Organisation"), "organisation", TEXT),
        (_("Season"), "season", TEXT),
        (_("Plan starts"), "starts_on", TEXT),
        (_("Plan ends"), "ends_on", TEXT),
    ]


def _group_columns(label: str) -> list[tuple]:
    return [
        (label, "name", TEXT),
        (_("Households with a plan"), "households", COUNT),
        *_figures(),
        (_("Behind plan"), "behind", COUNT),
    ]


def plan_tables() -> list[Table]:
    """Plan against actual: by household (one village at a time on the
    page), village, town and organisation, and the plans behind."""
    return [
        Table(
            "plans",
            _("Plan vs actual by household"),
            [*_plan_columns(), *_figures(), (_("Behind plan"), "behind", YES_NO)],
            lambda r: r.plans,
        ),
        Table(
            "plans-villages",
            _("Plan vs actual by village"),
            _group_columns(_("Village")),
            lambda r: r.plans_by_village,
        ),
        Table(
            "plans-towns",
            _("Plan vs actual by town"),
            _group_columns(_("Town")),
            lambda r: r.plans_by_town,
        ),
        Table(
            "plans-organisations",
            _("Plan vs actual by organisation"),
            _group_columns(_("Organisation")),
            lambda r: r.plans_by_organisation,
        ),
        Table(
            "plans-behind",
            _("Households behind plan"),
            [*_plan_columns(), *_figures()],
            lambda r: r.plans_behind,
        ),
    ]
