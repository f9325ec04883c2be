import pytest


@pytest.mark.django_db
def test_metrics_from_loopback_count_requests_by_view(client):
    # given
    client.get("/health/")
    # when
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    # then
    assert response.status_code == 200
    assert (
        'django_http_requests_latency_seconds_by_view_method_count{method="GET",view="health"}'
        in response.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("meta", "status"),
    [
        ({"REMOTE_ADDR": "127.0.0.1"}, 200),
        ({"REMOTE_ADDR": "::1"}, 200),
        ({"REMOTE_ADDR": "10.0.0.5"}, 404),
        ({"REMOTE_ADDR": "203.0.113.9"}, 404),
        # relayed by nginx on the same machine: public, whatever the address
        ({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, 404),
        ({"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer s3cret"}, 200),
        ({"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer wrong"}, 404),
    ],
)
def test_metrics_access(client, settings, meta, status):
    # given
    settings.BANGFU_METRICS_TOKEN = "s3cret"
    # when / then
    assert client.get("/metrics", **meta).status_code == status


@pytest.mark.django_db
def test_internal_networks_are_configurable(client, settings):
    # given
    settings.BANGFU_INTERNAL_NETWORKS = ["10.0.0.0/8"]
    # when / then
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.5").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
