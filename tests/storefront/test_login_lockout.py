"""Five wrong passwords lock an account from that address (django-axes)."""

import pytest

LOGIN = "/shop/accounts/login/"


@pytest.fixture
def consumer(django_user_model):
    return django_user_model.objects.create_user(
        username="c@example.com", email="c@example.com", password="right-pass-2026"
    )


def sign_in(client, password):
    return client.post(
        LOGIN,
        {
            "login-username": "c@example.com",
            "login-password": password,
            "login_submit": "1",
        },
    )


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    client, consumer
):
    # given
    answers = [sign_in(client, f"wrong-{n}").status_code for n in range(4)]
    assert answers == [200] * 4  # the form again, with its error

    # when: the fifth failure, then the right password
    fifth = sign_in(client, "wrong-5")
    right = sign_in(client, "right-pass-2026")

    # then
    assert fifth.status_code == 429
    assert right.status_code == 429
    assert "输入错误密码已达五次" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_spelling_of_the_address_counts_against_the_same_account(
    client, consumer
):
    for spelling in (
        "C@example.com",
        "c@EXAMPLE.com",
        "C@Example.Com",
        "c@example.COM",
    ):
        client.post(
            LOGIN,
            {"login-username": spelling, "login-password": "x", "login_submit": "1"},
        )
    sign_in(client, "wrong-5")

    assert sign_in(client, "right-pass-2026").status_code == 429


def test_no_password_or_address_is_recorded_with_an_attempt(client, consumer):
    from axes.models import AccessAttempt

    sign_in(client, "Hunter2-secret")
    client.post(
        "/cms/login/", {"username": "c@example.com", "password": "Hunter2-admin"}
    )

    # then: the attempt is counted, but what was typed is masked
    attempt = AccessAttempt.objects.get()
    recorded = attempt.post_data + attempt.get_data
    assert attempt.failures_since_start == 2
    assert "Hunter2" not in recorded
    assert "c@example.com" not in recorded


def test_a_success_before_the_limit_resets_the_count(client, consumer):
    for n in range(4):
        sign_in(client, f"wrong-{n}")

    assert sign_in(client, "right-pass-2026").status_code == 302
    client.logout()
    answers = [sign_in(client, f"again-{n}").status_code for n in range(4)]
    assert answers == [200] * 4


def test_the_admin_login_is_locked_the_same_way(client, consumer):
    for n in range(5):
        client.post("/cms/login/", {"username": "c@example.com", "password": f"w{n}"})

    response = client.post(
        "/cms/login/", {"username": "c@example.com", "password": "right-pass-2026"}
    )

    assert response.status_code == 429


def test_the_checkout_sign_in_is_locked_the_same_way(client, consumer):
    # given: a basket, so that checkout opens
    from tests import factories
    from tests.storefront.checkout.helpers import add_to_basket

    household = factories.household_create()
    add_to_basket(client, factories.product_create(household=household))

    def attempt(password):
        return client.post(
            "/shop/checkout/",
            {"username": "c@example.com", "options": "existing", "password": password},
        )

    for n in range(5):
        attempt(f"wrong-{n}")

    assert attempt("right-pass-2026").status_code == 429


def test_registering_still_signs_the_new_customer_in(client, db):
    response = client.post(
        "/shop/accounts/login/",
        {
            "registration-email": "new@example.com",
            "registration-password1": "a-long-pass-2026!",
            "registration-password2": "a-long-pass-2026!",
            "registration_submit": "1",
        },
    )

    assert response.status_code == 302
    assert "_auth_user_id" in client.session
