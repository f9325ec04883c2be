"""The basket page's form, as a phone's browser submits it: the inputs the
page writes out (storefront's basket template draws them by hand, not through
Django's widget templates) change the quantity, remove a line, and refuse
more than the household has."""

import re
from html.parser import HTMLParser

from tests.storefront.checkout import helpers


class FormInputs(HTMLParser):
    """The name → value pairs a browser sends from the basket's form: every
    input, a checkbox only when checked."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.fields: dict[str, str] = {}
        self.attrs: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = attrs.get("id") == "basket_formset"
        elif tag == "input" and self.inside:
            self.attrs[attrs["name"]] = attrs
            if attrs.get("type") != "checkbox" or "checked" in attrs:
                self.fields[attrs["name"]] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def basket_form(client) -> FormInputs:
    response = client.get("/shop/basket/")
    assert response.status_code == 200
    parser = FormInputs()
    parser.feed(response.content.decode())
    return parser


def quantities(client) -> dict[str, int]:
    return dict(helpers.basket_lines(client))


def line_ids(client) -> list[int]:
    return [line.pk for line in helpers.client_basket(client).all_lines()]


def test_the_page_writes_out_the_formsets_inputs(client, db):
    # given
    fish, eggs = helpers.two_households()
    helpers.add_to_basket(client, fish, quantity=2)
    helpers.add_to_basket(client, eggs)

    # when
    form = basket_form(client)

    # then: the fields Django's formset expects, the lines' ids, quantities
    # and the stock left as the highest quantity
    lines = line_ids(client)
    assert form.fields == {
        "csrfmiddlewaretoken": form.fields["csrfmiddlewaretoken"],
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(lines[0]),
        "form-0-quantity": "2",
        "form-1-id": str(lines[1]),
        "form-1-quantity": "1",
    }
    assert {
        key: form.attrs["form-0-quantity"][key]
        for key in ("type", "min", "max", "id", "inputmode")
    } == {
        "type": "number",
        "min": "0",
        "max": "10",
        "id": "id_form-0-quantity",
        "inputmode": "numeric",
    }
    assert form.attrs["form-1-DELETE"]["id"] == "id_form-1-DELETE"


def test_a_changed_quantity_and_a_removed_line_are_saved(client, db):
    # given
    fish, eggs = helpers.two_households()
    helpers.add_to_basket(client, fish)
    helpers.add_to_basket(client, eggs)
    form = basket_form(client)

    # when: three fish, and the eggs removed (the page's 移除 link ticks the
    # hidden box and submits)
    data = {**form.fields, "form-0-quantity": "3", "form-1-DELETE": "on"}
    response = client.post("/shop/basket/", data)

    # then
    assert response.status_code == 302
    assert quantities(client) == {"草鱼": 3}


def test_more_than_the_household_has_is_refused_and_nothing_changes(client, db):
    # given: ten fish in stock
    fish, _eggs = helpers.two_households()
    helpers.add_to_basket(client, fish)
    form = basket_form(client)

    # when
    response = client.post("/shop/basket/", {**form.fields, "form-0-quantity": "11"})

    # then: the page again, the message beside the line, the field marked
    html = response.content.decode()
    assert response.status_code == 200
    errors = re.findall(r'<p class="error-block" role="alert">([^<]*)</p>', html)
    assert len(errors) == 1 and "10" in errors[0]
    assert 'aria-invalid="true" id="id_form-0-quantity"' in html
    assert quantities(client) == {"草鱼": 1}
