"""Two web nodes, nginx in front, a task worker: the store as deploy/ runs it
on several machines, here as processes on loopback ports.

The nodes run the production settings (DEBUG off, HTTPS only, JSON logs)
from the environment alone, as the systemd units start them with
deploy/env.example; nginx runs deploy/nginx/bangfu.conf with only its
addresses changed, terminating TLS with a certificate made for the run.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.harness import nginx_conf

ROOT = Path(__file__).resolve().parent.parent.parent
NGINX = "/usr/sbin/nginx"
PUBLIC_BUCKET = "multinode-media"
PRIVATE_BUCKET = "multinode-private"


@dataclass
class Cluster:
    """Where each piece answers: `url` is the load balancer over both nodes;
    `node["A"]` and `node["B"]` reach one node each through the same nginx
    (as a buyer whom the balancer happened to send there)."""

    url: str
    node: dict[str, str]
    certificate: str
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    logs: Path | None = None

    def kill(self, name: str) -> None:
        """The machine of node `name` dies: gunicorn's master and its workers
        are gone at once, without a chance to finish anything."""
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def session(self) -> requests.Session:
        session = requests.Session()
        session.verify = self.certificate
        return session


def certificate_make(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, valid for the run."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def node_environment(*, database_url, redis_url, stripe, s3, secret_key, hosts):
    """What /etc/bangfu/env holds on each node, for this run."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "PROMETHEUS"))
    }
    return environment | {
        "DJANGO_SETTINGS_MODULE": "storefront.settings.production",
        "DJANGO_SECRET_KEY": secret_key,
        "DJANGO_ALLOWED_HOSTS": ",".join(hosts),
        "SITE_URL": f"https://{hosts[1]}",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "STRIPE_SECRET_KEY": "sk_test_bangfu",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_bangfu",
        "STRIPE_WEBHOOK_SECRET": "whsec_test_bangfu",
        "STRIPE_API_BASE": stripe,
        "STRIPE_JS_URL": stripe + "/js.stripe.com/v3/",
        "S3_BUCKET": PUBLIC_BUCKET,
        "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
        "S3_ENDPOINT_URL": s3,
        "S3_REGION_NAME": "us-east-1",
        "S3_ACCESS_KEY_ID": "bangfu-test",
        "S3_SECRET_ACCESS_KEY": "bangfu-test-secret",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "BANGFU_SMS_BACKEND": "sellers.notifications.SmsSink",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_REQUESTS_LEVEL": "WARNING",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "4",
        "PYTHONPATH": str(ROOT),
    }


def _wait(url: str, process: subprocess.Popen, verify=True, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:4]} exited with {process.returncode}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2, verify=verify).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing healthy at {url} within {seconds}s")


@contextlib.contextmanager
def cluster_run(directory: Path, environment: dict, ports: dict[str, int]):
    """Run nginx, node A, node B and a worker until the block ends."""
    cert, key = certificate_make(directory)
    nodes = {"A": ports["node_a"], "B": ports["node_b"]}
    listen = {"all": ports["lb"], "A": ports["lb_a"], "B": ports["lb_b"]}
    conf = nginx_conf(
        directory,
        {ports["lb"]: [*nodes.values()], **{listen[n]: [nodes[n]] for n in nodes}},
        tls=(cert, key),
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=environment,
        cwd=ROOT,
        check=True,
    )
    commands = {
        name: (
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
            {"GUNICORN_BIND": f"127.0.0.1:{port}"},
        )
        for name, port in nodes.items()
    } | {
        "worker": (
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2"],
            {},
        ),
        "nginx": ([NGINX, "-p", str(directory), "-c", str(conf)], {}),
    }
    base = f"https://127.0.0.1:{ports['lb']}"
    running = Cluster(
        url=base,
        node={name: f"https://127.0.0.1:{listen[name]}" for name in nodes},
        certificate=str(cert),
        logs=directory,
    )
    try:
        for name, (command, extra) in commands.items():
            running.processes[name] = subprocess.Popen(
                command,
                env=environment | extra,
                cwd=ROOT,
                stdout=(directory / f"{name}.log").open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        for name, port in nodes.items():
            _wait(f"http://127.0.0.1:{port}/health/node/", running.processes[name])
        for url in (base, *running.node.values()):
            _wait(f"{url}/health/node/", running.processes["nginx"], verify=str(cert))
        yield running
    finally:
        for process in running.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in running.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
