"""Every URL pattern of the site, fetched as each role, against the checked-in
table tests/security/url_matrix.csv: any answer that differs fails, and an
access the table does not grant is named as an unexpected allow.

Each pattern is fetched with arguments naming social worker A's objects
(his household 罗大哥, its parcel, payout, consent, story…) where the
pattern is ours or guards household data; other patterns get arguments that
name nothing (a miss for everyone), so the table says what each role may
reach, not what happens to exist.

Regenerate after a deliberate change with
    BANGFU_WRITE_URL_MATRIX=1 python -m pytest tests/security/test_url_matrix.py
and review the diff line by line: every new "ok" must be intended.
"""

import csv
import datetime
import os
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from catalog import imports
from sellers.campaigns.services import campaign_create
from sellers.households.services import bureau_officer_grant, membership_grant
from sellers.models import MemberRole, Parcel, ReportExport
from sellers.plans.services import plan_create
from tests import factories
from tests.sellers import helpers

TABLE = Path(__file__).with_name("url_matrix.csv")
ROLES = [
    "anonymous",
    "consumer",
    "worker_a",
    "worker_b",
    "reviewer",
    "orgadmin",
    "bureau",
    "admin",
]
ALLOWED = {"ok", "redirect"}
User = get_user_model()


def url_patterns():
    """(name, route) of every URL pattern, in the resolver's order."""
    found = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = (
                        f"{namespace}:{pattern.namespace}"
                        if namespace
                        else pattern.namespace
                    )
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                name = pattern.name or "-"
                found.append(
                    (
                        f"{namespace}:{name}" if namespace else name,
                        prefix + str(pattern.pattern),
                    )
                )

    walk(get_resolver().url_patterns, "", "")
    return found


PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def fill(route: str, values: dict) -> str:
    """A path for the route: named parameters from `values`, others a value
    that names nothing."""
    route = route.replace("^", "").replace("$", "").replace("\\", "")

    def one(match):
        converter, name = match.group(1), match.group(2) or match.group(3)
        if name in values:
            return str(values[name])
        return (
            "987654321"
            if converter == "int" or name.endswith(("pk", "id"))
            else "zz-none"
        )

    path = PARAMETER.sub(one, route)
    # Regex leftovers of optional groups and alternations.
    path = re.sub(r"\(\?:[^)]*\)\*?|\(([^)|]*)\|[^)]*\)", r"\1", path)
    return "/" + path.replace("?", "")


def outcome(response, path: str) -> str:
    code = response.status_code
    if 200 <= code < 300:
        return "ok"
    if code in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        if target.endswith(("/login/", "/accounts/login/")):
            return "login"
        if target == reverse("wagtailadmin_home") and path != target:
            return "denied"
        return "redirect"
    return {401: "forbidden", 403: "forbidden", 404: "missing", 405: "method"}.get(
        code, str(code)
    )


@pytest.fixture
def world(pages, stripe_settings):
    _home, index = pages
    (fish, eggs, bacon), (luo, wang, chen), (a, b) = helpers.two_caseloads()
    organisation = luo.organisation
    order = helpers.paid_order((fish, 2), (bacon, 1))
    parcel = Parcel.objects.get(order=order, household=luo)
    payout = helpers.payout(luo, "5.00", a, reference="M1", method="cash")
    consent = factories.consent_create(luo, by=a)
    factories.consent_create(chen, by=b)
    story = factories.story_create(index=index, household=luo)
    factories.story_create(index=index, household=chen)
    campaign = campaign_create(
        organisation=organisation,
        name="西新村微信群",
        channel="wechat_group",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2099, 12, 31),
        acting_user=a,
    )
    plan = plan_create(
        household=luo,
        acting_user=a,
        season="冬季",
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2026, 12, 31),
        target_income=Decimal("5000"),
    )
    job = imports.import_preview(
        household=luo,
        acting_user=a,
        upload=helpers.upload(
            "名称,分类,单位,单价,可售数量\n鲫鱼,鲜鱼,斤,20,3\n".encode(), name="a.csv"
        ),
    )
    users = {"anonymous": None, "worker_a": a, "worker_b": b}
    for role, email in [
        ("consumer", "buyer@example.com"),
        ("reviewer", "rev@agency.example"),
        ("orgadmin", "boss@agency.example"),
        ("bureau", "bureau@mca.example"),
        ("admin", "root@bangfu.example"),
    ]:
        users[role] = User.objects.filter(
            email=email
        ).first() or User.objects.create_user(
            username=email, email=email, password="pw-matrix-2026"
        )
    membership_grant(
        user=users["reviewer"], organisation=organisation, role=MemberRole.REVIEWER
    )
    membership_grant(
        user=users["orgadmin"], organisation=organisation, role=MemberRole.ADMINISTRATOR
    )
    bureau_officer_grant(user=users["bureau"])
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    export = ReportExport.objects.create(
        requested_by=users["bureau"],
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 11, 30),
        status="done",
        rows_done=1,
    )
    export.file.save("sales.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    # Arguments by pattern name: A's objects where the pattern is about them.
    parcel_args = {"pk": parcel.pk}
    household_args = {"slug": luo.slug}
    values = {
        "workspace:parcel": parcel_args,
        "workspace:slip": parcel_args,
        "workspace:ship": parcel_args,
        "workspace:deliver": parcel_args,
        "workspace:cancel": parcel_args,
        "workspace:statement": household_args,
        "workspace:statement-csv": household_args,
        "workspace:payout-create": household_args,
        "workspace:household-record": household_args,
        "workspace:consent": household_args,
        "workspace:consent-withdraw": household_args,
        "workspace:payout-proof": {"pk": payout.pk},
        "workspace:consent-scan": {"pk": consent.pk, "which": "signed"},
        "workspace:campaign-poster": {"pk": campaign.pk},
        "workspace:plans": household_args,
        "workspace:plan-create": household_args,
        "workspace:plan-edit": {"pk": plan.pk},
        "workspace:caseload-remove": {"slug": luo.slug, "user_id": a.pk},
        "workspace:bureau-export": {"table": "income", "fmt": "xlsx"},
        "workspace:bureau-export-detail": {"pk": export.pk},
        "workspace:bureau-export-download": {"pk": export.pk},
        "listing:household": household_args,
        "listing:create": household_args,
        "listing:import-upload": household_args,
        "listing:edit": {"pk": fish.pk},
        "listing:on-sale": {"pk": fish.pk},
        "listing:import": {"pk": job.pk},
        "story-edit": household_args,
        "campaign": {"code": campaign.code},
        "catalogue:detail": {"product_slug": fish.slug, "pk": fish.pk},
        "catalogue:household": {"household_slug": luo.slug},
        "catalogue:village": {"village": luo.village},
        "customer:order": {"order_number": order.number},
        "dashboard:order-detail": {"number": order.number},
        "dashboard:catalogue-product": {"pk": fish.pk},
        "dashboard:partner-manage": {"pk": luo.partner.pk},
        "wagtailadmin_pages:edit": {"page_id": story.pk},
        "wagtailadmin_pages:history": {"page_id": story.pk},
        "wagtailadmin_explore": {"parent_page_id": index.pk},
        "households:edit": {"pk": luo.pk},
        "households:history": {"pk": luo.pk},
        "admin:sellers_householdrecord_change": {"object_id": luo.record.pk},
        "admin:sellers_household_change": {"object_id": luo.pk},
    }
    return users, values


def matrix(users, values):
    # One client per role (a new client builds the middleware again, and
    # WhiteNoise's scans every static file); cookies cleared before each
    # request, so no answer depends on the one before (a logout, say).
    clients = {role: Client(raise_request_exception=False) for role in ROLES}
    rows = {}
    for name, route in url_patterns():
        path = fill(route, values.get(name, {}))
        key = f"{name} {route}"
        rows[key] = {}
        for role in ROLES:
            client = clients[role]
            client.cookies.clear()
            if users[role] is not None:
                client.force_login(users[role])
            rows[key][role] = outcome(client.get(path), path)
    return rows


def test_every_url_as_every_role_answers_as_the_table_says(world):
    users, values = world

    observed = matrix(users, values)

    if os.environ.get("BANGFU_WRITE_URL_MATRIX"):
        with TABLE.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["pattern", *ROLES])
            for key, answers in observed.items():
                writer.writerow([key, *(answers[role] for role in ROLES)])
        pytest.skip("table written: review its diff")
    with TABLE.open(encoding="utf-8") as table:
        expected = {
            row["pattern"]: {role: row[role] for role in ROLES}
            for row in csv.DictReader(table)
        }
    unexpected_allows = [
        (key, role, answer)
        for key, answers in observed.items()
        for role, answer in answers.items()
        if answer in ALLOWED and expected.get(key, {}).get(role) not in ALLOWED
    ]
    assert unexpected_allows == []
    assert observed.keys() == expected.keys()
    differences = [
        (key, role, expected[key][role], answer)
        for key, answers in observed.items()
        for role, answer in answers.items()
        if expected[key][role] != answer
    ]
    assert differences == []
