"""The benchmarks' plumbing: free ports, a database of their own that they drop
only if they made it, and wrk's report read right. No timing is asserted."""

import re
import shutil
import socket
import subprocess

import pytest

from bench import harness
from bench.load import cookie_header, wrk_figures

WRK_REPORT = """\
Running 3s test @ http://127.0.0.1:40123/shop/catalogue/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   310.21ms   52.10ms 612.00ms   80.00%
    Req/Sec    25.50      9.12    50.00     70.00%
  Latency Distribution
     50%  301.50ms
     75%  340.00ms
     90%  390.00ms
     99%    1.02s
  153 requests in 3.01s, 8.10MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:     50.83
Transfer/sec:      2.69MB
"""


def test_free_port_can_be_bound_on_loopback():
    port = harness.free_port()

    with socket.socket() as server:
        server.bind(("127.0.0.1", port))

    assert 1024 <= port <= 65535


def test_database_name_is_the_runs_own():
    assert harness.database_name(4242) == "bangfu_bench_4242"


def test_a_created_database_is_dropped_at_the_end(monkeypatch):
    calls = []
    monkeypatch.setattr(harness, "database_create", lambda name: calls.append(name))
    monkeypatch.setattr(harness, "database_drop", lambda name: calls.append(-1))
    monkeypatch.setattr(harness, "database_name", lambda: "bangfu_bench_4242")

    with harness.database("postgres") as name:
        calls.append(name)

    assert calls == ["bangfu_bench_4242", "bangfu_bench_4242", -1]


def test_a_created_database_is_dropped_when_the_run_fails(monkeypatch):
    dropped = []
    monkeypatch.setattr(harness, "database_create", lambda name: None)
    monkeypatch.setattr(harness, "database_drop", dropped.append)
    monkeypatch.setattr(harness, "database_name", lambda: "bangfu_bench_4242")

    with pytest.raises(RuntimeError), harness.database("postgres"):
        raise RuntimeError("migrate failed")

    assert dropped == ["bangfu_bench_4242"]


def test_a_database_that_could_not_be_created_is_never_dropped(monkeypatch):
    def exists(name):
        raise RuntimeError(f'database "{name}" already exists')

    dropped = []
    monkeypatch.setattr(harness, "database_create", exists)
    monkeypatch.setattr(harness, "database_drop", dropped.append)

    with pytest.raises(RuntimeError), harness.database("postgres"):
        pass

    assert dropped == []


@pytest.mark.parametrize(
    "kwargs", [{"reuse": "bangfu_bench_1"}, {"keep": True}], ids=["reused", "kept"]
)
def test_a_reused_or_kept_database_is_not_dropped(monkeypatch, kwargs):
    dropped = []
    monkeypatch.setattr(harness, "database_create", lambda name: None)
    monkeypatch.setattr(harness, "database_drop", dropped.append)

    with harness.database("postgres", **kwargs):
        pass

    assert dropped == []


def test_sqlite_runs_touch_no_postgresql_database(monkeypatch):
    calls = []
    monkeypatch.setattr(harness, "database_create", calls.append)
    monkeypatch.setattr(harness, "database_drop", calls.append)

    with harness.database("sqlite") as name:
        pass

    assert (name, calls) == ("", [])


def test_wrk_report_is_read_with_socket_errors_counted():
    assert wrk_figures(WRK_REPORT) == {
        "rps": 50.83,
        "p50_ms": 301.5,
        "p99_ms": 1020.0,
        "errors": 5,
    }


def test_shopper_cookies_travel_in_one_header():
    cookies = {"sessionid": "abc", "oscar_open_basket": "12:sig"}

    assert cookie_header(cookies) == "sessionid=abc; oscar_open_basket=12:sig"


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx not installed")
def test_nginx_conf_runs_the_deploy_site_over_the_run_s_nodes(tmp_path):
    # given
    conf = harness.nginx_conf(tmp_path, {8081: [9001], 8082: [9001, 9002]})

    # when
    checked = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True,
        text=True,
    )

    # then
    site = (tmp_path / "site.conf").read_text()
    assert checked.returncode == 0, checked.stderr
    assert re.findall(r"listen (\S+);", site) == ["127.0.0.1:8081", "127.0.0.1:8082"]
    assert re.findall(r"server (127\.0\.0\.1:\d+) max_fails", site) == [
        "127.0.0.1:9001",
        "127.0.0.1:9001",
        "127.0.0.1:9002",
    ]
    assert re.findall(r"proxy_pass (\S+);", site) == [
        "http://bangfu_8081",
        "http://bangfu_8082",
    ]
