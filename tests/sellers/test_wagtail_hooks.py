import pytest

from tests import factories


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        username="root", email="root@bangfu.example", password="x"
    )
    client.force_login(admin)
    return client


def test_households_are_listed_and_edited_in_wagtail_admin(admin_client, db):
    household = factories.household_create(slug="luo", public_name="罗大哥")

    listing = admin_client.get("/cms/households/")
    edit = admin_client.get(f"/cms/households/edit/{household.pk}/")

    assert listing.status_code == 200
    assert "罗大哥" in listing.content.decode()
    assert edit.status_code == 200


def test_wagtail_admin_never_shows_the_protected_record(admin_client, db):
    household = factories.household_create(
        slug="luo", legal_name="LEGAL-NAME-SENTINEL", record={"phone": "PHONE-SENTINEL"}
    )

    html = admin_client.get(f"/cms/households/edit/{household.pk}/").content.decode()

    assert "LEGAL-NAME-SENTINEL" not in html
    assert "PHONE-SENTINEL" not in html


@pytest.mark.parametrize("action", ["new/", "delete/{pk}/"])
def test_households_cannot_be_added_or_deleted_there(admin_client, db, action):
    household = factories.household_create(slug="luo")

    response = admin_client.get("/cms/households/" + action.format(pk=household.pk))

    assert response.status_code == 302
    assert response["Location"] == "/cms/"
