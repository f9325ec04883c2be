import pytest
from django.db.models import ProtectedError

from sellers.households.selectors import household_list
from sellers.households.services import caseload_assign, household_deactivate
from sellers.models import Household, HouseholdRecord
from tests import factories


def test_household_is_registered_with_its_partner_and_protected_record(organisation):
    household = factories.household_create(
        organisation=organisation,
        slug="luo",
        legal_name="罗某银",
        record={"phone": "13900001000", "members": 5},
    )

    record = HouseholdRecord.objects.get(household=household)
    assert household.partner.code == "luo"
    assert household.partner.household == household
    assert (record.legal_name, record.phone, record.members) == (
        "罗某银",
        "13900001000",
        5,
    )


def test_household_cannot_be_deleted(db):
    household = factories.household_create()

    with pytest.raises(ProtectedError):
        household.delete()
    assert Household.objects.filter(pk=household.pk).exists()


def test_partner_of_a_household_cannot_be_deleted(db):
    household = factories.household_create()

    with pytest.raises(ProtectedError):
        household.partner.delete()


def test_deactivated_household_leaves_public_lists(db):
    kept = factories.household_create(slug="kept")
    gone = factories.household_create(slug="gone")

    household_deactivate(household=gone)

    assert list(household_list()) == [kept]
    gone.refresh_from_db()
    assert gone.is_active is False


def test_caseload_assign_adds_the_social_worker_to_the_partner(
    organisation, django_user_model
):
    household = factories.household_create(organisation=organisation)
    worker = django_user_model.objects.create_user(username="sw", password="x")

    caseload_assign(household=household, social_worker=worker)
    caseload_assign(household=household, social_worker=worker)

    assert list(household.partner.users.all()) == [worker]
    assert worker.memberships.get().organisation == organisation
