"""What every benchmark shares: free ports, a database of its own, the prepared
environment, servers started and stopped, and probes run inside that
environment.

The benchmarks share the machine with other work: they never take a fixed
port (the kernel hands out a free one) and never touch a database they did not
create (each run creates ``bangfu_bench_<pid>`` and drops it only if it created
it).
"""

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# The PostgreSQL server; the database name is the run's own.
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
WORKERS = 2


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (bound to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return probe_socket.getsockname()[1]


def database_name(pid: int | None = None) -> str:
    """The run's own PostgreSQL database: bangfu_bench_<pid>."""
    return f"bangfu_bench_{os.getpid() if pid is None else pid}"


def _admin(sql_text: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL(sql_text).format(sql.Identifier(name)))


def database_create(name: str) -> None:
    """Create `name`; fails (DuplicateDatabase) if it exists: never reuse one
    that another run or person made."""
    _admin("CREATE DATABASE {}", name)


def database_drop(name: str) -> None:
    _admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


@contextlib.contextmanager
def database(db: str, *, reuse: str = "", keep: bool = False) -> Iterator[str]:
    """The PostgreSQL database of this run (a name; "" for SQLite).

    A new one is created and dropped at the end, unless `keep`; a `reuse`d
    one (left by an earlier run with `keep`) is never dropped."""
    if db != "postgres":
        yield ""
        return
    if reuse:
        yield reuse
        return
    name = database_name()
    database_create(name)
    try:
        yield name
    finally:
        if keep:
            print(f"kept PostgreSQL database {name}", file=sys.stderr)
        else:
            database_drop(name)


def prepare(db: str, workdir: Path, name: str = "", build: bool = True) -> dict:
    """The environment of a benchmark run against the database `name`
    (PostgreSQL) or a file in `workdir` (SQLite); with build, migrations, the
    demo and generated data (200 households, 2,000 products) and the static
    files."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": "bench-" + "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(workdir / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "STRIPE_SECRET_KEY": "sk_test_bench",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_bench",
        "STRIPE_WEBHOOK_SECRET": "whsec_bench",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    if build:
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run(
            [PYTHON, "bench/generate.py", "--households", "200", "--products", "2000"],
            env,
        )
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    return env


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def gunicorn(port: int) -> list[str]:
    """The store under gunicorn, WORKERS sync workers, on 127.0.0.1:port."""
    return [
        PYTHON,
        "-m",
        "gunicorn",
        "-w",
        str(WORKERS),
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "storefront.wsgi",
    ]


@contextlib.contextmanager
def serve(command: list[str], env: dict, probe: str, port: int):
    """Run a server on 127.0.0.1:port until the block ends; wait for `probe`
    to answer, and fail if the server dies or never answers."""
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        for _ in range(150):
            if process.poll() is not None:
                raise RuntimeError(f"{command[:3]} exited with {process.returncode}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"nothing answered on 127.0.0.1:{port}{probe}")
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def probe(env: dict, *args: str):
    """The JSON answer of bench/probes.py, run in the benchmark's environment."""
    out = subprocess.run(
        [PYTHON, "-m", "bench.probes", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def nginx_conf(
    directory: Path, sites: dict[int, list[int]], tls: tuple[Path, Path] | None = None
) -> Path:
    """An nginx.conf in `directory` running deploy/nginx/bangfu.conf with only
    its addresses changed: a server on 127.0.0.1:<listen> over an upstream of
    the nodes on 127.0.0.1:<port> for each `sites` entry, HTTPS with the
    (certificate, key) given. Run with `nginx -p directory -c <path>`."""
    site = (ROOT / "deploy" / "nginx" / "bangfu.conf").read_text()
    upstream = re.search(r"upstream bangfu_web \{.*?\n\}\n", site, re.S).group(0)
    server = site[site.index("server {") :]
    blocks = []
    for listen, nodes in sites.items():
        name = f"bangfu_{listen}"
        servers = "".join(
            f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n"
            for port in nodes
        )
        blocks.append(
            re.sub(r"\{\n(?:\s*server [^\n]*\n)+", "{\n" + servers, upstream).replace(
                "bangfu_web", name
            )
        )
        address = f"listen 127.0.0.1:{listen}"
        if tls:
            address += f" ssl;\n    ssl_certificate {tls[0]};\n"
            address += f"    ssl_certificate_key {tls[1]}"
        blocks.append(server.replace("listen 80", address).replace("bangfu_web", name))
    (directory / "site.conf").write_text("\n".join(blocks))
    # Debian's compiled-in temp folders are root's: the run keeps its own.
    temp = "".join(
        f"{kind}_temp_path {directory}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = directory / "nginx.conf"
    conf.write_text(
        f"daemon off;\npid {directory}/nginx.pid;\n"
        f"error_log {directory}/nginx-error.log warn;\nevents {{}}\n"
        f"http {{\naccess_log off;\n{temp}include {directory}/site.conf;\n}}\n"
    )
    return conf
