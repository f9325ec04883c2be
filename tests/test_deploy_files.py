import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SETTINGS_READ = re.compile(r'(?:env(?:_bool|_list)?\(|os\.environ\[)f?"([A-Z0-9_]+)')


def _env_example() -> set[str]:
    lines = (DEPLOY / "env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if line and line[0] != "#"}


def test_env_example_lists_every_variable_the_settings_read():
    # given
    read = set()
    for path in (ROOT / "storefront" / "settings").glob("*.py"):
        read |= set(SETTINGS_READ.findall(path.read_text()))
    # one per SMS event: ALIBABA_SMS_TEMPLATE_{event.upper()}
    read.discard("ALIBABA_SMS_TEMPLATE_")
    # then
    assert read - _env_example() == set()
    events = {
        f"ALIBABA_SMS_TEMPLATE_{event.upper()}"
        for event in settings.BANGFU_SMS_TEMPLATES
    }
    assert events - _env_example() == set()


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx not installed")
def test_nginx_config_is_valid(tmp_path):
    # given: Debian's nginx.conf reduced to what the site needs
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ access_log off; include {DEPLOY}/nginx/bangfu.conf; }}\n"
    )
    # when
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    # then
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


def test_every_service_runs_from_the_app_with_the_env_file():
    services = sorted((DEPLOY / "systemd").glob("*.service"))
    assert [p.name for p in services] == [
        "bangfu-clearsessions.service",
        "bangfu-prune-tasks.service",
        "bangfu-reconcile-ledger.service",
        "bangfu-reconcile-payments.service",
        "bangfu-web.service",
        "bangfu-worker.service",
    ]
    for path in services:
        service = _unit(path.name)["Service"]
        assert service["EnvironmentFile"] == "/etc/bangfu/env"
        assert service["WorkingDirectory"] == "/srv/bangfu/app"
        assert service["ExecStart"].startswith("/srv/bangfu/app/.venv/bin/")


def test_every_timer_starts_a_oneshot_service_of_its_name():
    timers = sorted((DEPLOY / "systemd").glob("*.timer"))
    assert len(timers) == 4
    for path in timers:
        timer = _unit(path.name)
        assert timer["Timer"]["OnCalendar"]
        assert timer["Install"]["WantedBy"] == "timers.target"
        service = _unit(path.name.replace(".timer", ".service"))["Service"]
        assert service["Type"] == "oneshot"


def test_gunicorn_access_log_format_is_json():
    import json

    # given
    config: dict = {}
    exec((DEPLOY / "gunicorn.conf.py").read_text(), config)
    atoms = {
        "t": "[06/Dec/2026:12:00:00 +0000]",
        "h": "10.0.0.2",
        "m": "GET",
        "U": "/shop/",
        "s": "200",
        "B": "512",
        "D": "1234",
        "{x-request-id}o": "abc123abc123",
    }
    # when
    line = json.loads(config["access_log_format"] % atoms)
    # then
    assert line["request_id"] == "abc123abc123"
    assert config["worker_class"] == "gthread"
    assert config["accesslog"] is None
