import io
import json
import logging
import logging.config

import pytest

from storefront.settings.operations import JSON_LOGGING


@pytest.fixture
def json_log():
    """Production's logging, written to a buffer."""
    stream = io.StringIO()
    logging.config.dictConfig(
        {**JSON_LOGGING, "handlers": {**JSON_LOGGING["handlers"]}}
    )
    handler = logging.getLogger("bangfu.request").handlers[0]
    handler.setStream(stream)
    yield stream
    logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
    logging.getLogger("bangfu.request").handlers.clear()


@pytest.mark.django_db
def test_request_line_is_json_with_nginx_request_id_and_no_phone(client, json_log):
    # when: an order look-up, the mobile number in its query string
    response = client.get(
        "/orders/lookup/?number=100001&phone=13800138000",
        HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef",
    )
    # then
    assert response["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    output = json_log.getvalue()
    assert "13800138000" not in output
    line = json.loads(output.splitlines()[-1])
    assert line["request_id"] == "0123456789abcdef0123456789abcdef"
    assert line["path"] == "/orders/lookup/"
    assert line["view"] == "order-lookup"
    assert line["status"] == response.status_code
    assert line["level"] == "INFO"


@pytest.mark.django_db
def test_invalid_request_id_is_replaced(client):
    # when
    response = client.get("/health/", HTTP_X_REQUEST_ID='x" injected')
    # then
    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"] != 'x" injected'


@pytest.mark.django_db
def test_order_status_hash_is_not_logged(client, json_log):
    # when
    client.get("/shop/accounts/order-status/100001/secrethash123/")
    # then
    output = json_log.getvalue()
    assert "secrethash123" not in output
    line = json.loads(output.splitlines()[-1])
    assert line["path"] == "/shop/accounts/order-status/100001/*/"
