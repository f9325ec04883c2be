"""An organisation's service contact: edited and checked in Wagtail admin (by
pytest-django's superuser, admin_client), read once per organisation for a
product's or an order's households."""

import pytest
from django.core.exceptions import ValidationError

from sellers.households.selectors import organisation_service_list
from sellers.models import Organisation, validate_service_phone, validate_wechat_id
from tests import factories

BAD_PHONE = (
    "请填写带区号的固定电话（如 023-67881234）、400/800电话或手机号（如 13912345678）。"
)


def form(organisation, **changes):
    return {
        "name": organisation.name,
        "slug": organisation.slug,
        "district": organisation.district,
        "description": "",
        "service_phone": "",
        "service_wechat": "",
        "service_hours": "",
        **changes,
    }


@pytest.mark.parametrize(
    "phone",
    [
        "023-67881234",
        "(023) 6788 1234",
        "0871-6512345",
        "010-88886666",
        "400-820-8820",
        "13912345678",
        "+86 139 1234 5678",
    ],
)
def test_service_lines_buyers_dial_are_accepted(phone):
    assert validate_service_phone(phone) is None


@pytest.mark.parametrize(
    "phone", ["67881234", "12345678901", "023-678812", "电话023-67881234", "+1 415"]
)
def test_other_numbers_are_refused(phone):
    with pytest.raises(ValidationError) as error:
        validate_service_phone(phone)

    assert error.value.messages == [BAD_PHONE]


@pytest.mark.parametrize(
    ("wechat", "valid"),
    [("hongling_kefu", True), ("hl-2026", True), ("2026hl", False), ("kf", False)],
)
def test_wechat_ids(wechat, valid):
    try:
        validate_wechat_id(wechat)
    except ValidationError as error:
        assert (valid, error.messages) == (
            False,
            ["微信号为6至20位字母、数字、下划线或减号，以字母开头。"],
        )
    else:
        assert valid


def test_contact_is_edited_in_wagtail_admin(admin_client, organisation):
    url = f"/cms/organisations/edit/{organisation.pk}/"

    response = admin_client.post(
        url,
        form(
            organisation,
            service_phone="023-67881234",
            service_wechat="hongling_kefu",
            service_hours="每天 9:00–21:00",
        ),
    )

    assert response.status_code == 302
    assert Organisation.objects.filter(pk=organisation.pk).values_list(
        "service_phone", "service_wechat", "service_hours"
    ).get() == ("023-67881234", "hongling_kefu", "每天 9:00–21:00")


def test_a_bad_phone_is_refused_with_its_message_and_nothing_saved(
    admin_client, organisation
):
    url = f"/cms/organisations/edit/{organisation.pk}/"

    response = admin_client.post(
        url,
        form(organisation, service_phone="6788123", service_wechat="hongling_kefu"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"service_phone": [BAD_PHONE]}
    assert BAD_PHONE in response.content.decode()
    assert Organisation.objects.filter(pk=organisation.pk).values_list(
        "service_phone", "service_wechat"
    ).get() == ("", "")


def test_each_organisation_once_in_the_order_of_its_first_household(db):
    # given: two households of 红领巾, one of 幸福 between them, one of an
    # organisation with no contact
    hongling = factories.OrganisationFactory(
        name="红领巾社会工作服务中心", service_phone="023-67881234"
    )
    xingfu = factories.OrganisationFactory(
        name="幸福社工站", service_wechat="xingfu_kefu"
    )
    silent = factories.OrganisationFactory(name="无客服机构")
    partners = [
        factories.household_create(organisation=organisation).partner_id
        for organisation in (xingfu, hongling, silent, xingfu, hongling)
    ]

    # when
    organisations = organisation_service_list(partner_ids=partners)

    # then
    assert organisations == [xingfu, hongling]


def test_tel_link_has_only_the_digits(db):
    organisation = factories.OrganisationFactory(service_phone="+86 139 1234 5678")

    assert organisation.service_tel == "tel:+8613912345678"
