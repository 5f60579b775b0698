"""Shared helpers for the benchmarks: environment, database set-up, gunicorn, HTTP, results.

Every benchmark runs against a throwaway database and cache directory, never the developer's
db.sqlite3 or var/. Results are printed as lines of the fixed form

    RESULT <name>=<value> [unit=<unit>] [target=<target>] [met=yes|no]

which bench/run_all.py collects into the summary table of bench/RESULTS.md.
"""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
PYTHON = sys.executable

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# --------------------------------------------------------------------------------- results


def result(name: str, value, *, unit: str = "", target: str = "", met: bool | None = None):
    """Print one RESULT line (the format bench/run_all.py parses; values quoted shell-style)."""
    parts = [f"RESULT {name}={shlex.quote(str(value))}"]
    if unit:
        parts.append(f"unit={shlex.quote(unit)}")
    if target:
        parts.append(f"target={shlex.quote(target)}")
    if met is not None:
        parts.append(f"met={'yes' if met else 'no'}")
    print(" ".join(parts), flush=True)


def parse_result_line(line: str) -> dict[str, str] | None:
    """Return {name, value, unit, target, met} of a RESULT line, or None for other lines."""
    if not line.startswith("RESULT "):
        return None
    try:
        tokens = shlex.split(line[len("RESULT ") :])
    except ValueError:
        return None
    if not tokens or "=" not in tokens[0]:
        return None
    name, value = tokens[0].split("=", 1)
    fields = {"name": name, "value": value, "unit": "", "target": "", "met": ""}
    for token in tokens[1:]:
        key, _, val = token.partition("=")
        if key in ("unit", "target", "met"):
            fields[key] = val
    return fields


def table(headers: list[str], rows: list[list]) -> str:
    """Return a plain-text table with right-aligned numbers."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row):
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )

    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in cells[1:])
    return "\n".join(out)


# --------------------------------------------------------------------------------- examples


def largest_example() -> tuple[str, dict]:
    """Return (name, answers) of the example with the most answers."""
    from tests.helpers import load_examples

    examples = load_examples()
    name = max(examples, key=lambda k: (len(examples[k]["answers"]), k))
    return name, examples[name]["answers"]


def largest_section():
    """Return the catalog section with the most questions and choices (Django set up)."""
    from planner import catalog

    return max(
        catalog.SECTIONS,
        key=lambda s: (len(s.questions), sum(len(q.choices) for q in s.questions)),
    )


# --------------------------------------------------------------------------------- environment


def server_env(database_url: str, workdir: Path, *, urlconf: str = "bench.pages_urls") -> dict:
    """Return the environment of a production-shaped server (DEBUG off, plain http)."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
            "BENCH_URLCONF": urlconf,
            "BENCH_STATIC_ROOT": str(workdir / "staticfiles"),
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_LOG_LEVEL": "WARNING",
            "PLANNER_GENERATED_DIR": str(workdir / "generated"),
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
            ),
        }
    )
    return env


def setup_django(env: dict) -> None:
    """Configure this process with the server's environment and set Django up."""
    os.environ.update(env)
    import django

    django.setup()


@contextmanager
def workdir(prefix: str):
    """Yield a temporary directory that is removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def prepare_database(*, collectstatic: bool = True) -> str:
    """Migrate, load the default rules and collect static files; return load_rules' summary."""
    import io

    from django.core.management import call_command, get_commands

    call_command("migrate", interactive=False, verbosity=0)
    summary = "load_rules not available"
    if "load_rules" in get_commands():
        out = io.StringIO()
        call_command("load_rules", stdout=out)
        summary = out.getvalue().strip()
    if collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)
    return summary


def create_users(count: int, *, prefix: str = "bench", password: str | None = None) -> list:
    """Create users; with a password, hash it once and give every user the same hash."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    hashed = make_password(password) if password else make_password(None)
    users = [User(username=f"{prefix}{i:03d}", password=hashed) for i in range(count)]
    User.objects.bulk_create(users)
    return list(User.objects.filter(username__startswith=prefix).order_by("username"))


def session_cookie(user) -> tuple[str, str]:
    """Return (cookie name, value) of a new signed-in session for the user."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return settings.SESSION_COOKIE_NAME, store.session_key


def close_db_connections() -> None:
    from django.db import connections

    connections.close_all()


# --------------------------------------------------------------------------------- gunicorn


def free_port() -> int:
    """Return a free port: from BENCH_PORTS ("8130-8139") when set (a shared machine), else any."""
    if os.environ.get("BENCH_PORTS"):
        first, _, last = os.environ["BENCH_PORTS"].partition("-")
        for port in range(int(first), int(last or first) + 1):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
        raise RuntimeError(f"no free port in BENCH_PORTS={os.environ['BENCH_PORTS']}")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn on a free 127.0.0.1 port, started and stopped cleanly."""

    def __init__(
        self,
        env: dict,
        *,
        workers: int = 2,
        log_dir: Path,
        timeout: int = 120,
        worker_class: str = "sync",
        threads: int = 1,
    ):
        self.env = env
        self.workers = workers
        self.worker_class = worker_class
        self.threads = threads
        self.port = free_port()
        self.log_path = log_dir / "gunicorn.log"
        self.timeout = timeout
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: float = 60.0) -> Gunicorn:
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "planner.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                self.worker_class,
                "--threads",
                str(self.threads),
                "--timeout",
                str(self.timeout),
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log_text()}")
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz within {wait:.0f} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # SIGTERM to the arbiter: it stops its workers gracefully.
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# --------------------------------------------------------------------------------- machine


def machine_info() -> dict[str, str]:
    """Return a description of this machine and the software versions."""
    import platform

    info = {"uname": " ".join(platform.uname()), "nproc": str(os.cpu_count())}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                kib = int(line.split()[1])
                info["memory"] = f"{kib / 1024 / 1024:.1f} GiB"
                break
    except (OSError, ValueError):
        pass
    info["python"] = platform.python_version()
    try:
        import django

        info["django"] = django.get_version()
    except ImportError:
        info["django"] = "not installed"
    return info
