"""Load test: 50 people at once go through the whole app on two gunicorns + PostgreSQL.

Creates a throwaway PostgreSQL database ``planner_load_<pid>`` (127.0.0.1:5432, user postgres,
trust authentication), migrates it, loads the default rules and creates the users (one password
hashed once with the production hasher and given to every user: the logins still pay for it).
Starts two gunicorn servers on different ports (production settings, DEBUG off, plain http on
127.0.0.1) as two machines would be, and two PDF workers (``manage.py db_worker``), all on the
one database and generated-files folder. The load client plays the proxy in front: users
alternate between the servers and each has its own address in X-Forwarded-For
(PLANNER_TRUSTED_PROXY_COUNT=1). Simulated users run in threads, each like a browser
(http.client, cookies, CSRF tokens read from the forms):

    sign in through the login form, create a project through the project form, answer every
    wizard section with the largest example's answers (the visible questions only, the page's
    version field and CSRF token, "Save and continue"), open the review, Finish, open the plan,
    download the PDF (following the waiting page's refresh link every 0.5 s while the answer is
    202 "being prepared", to measure how long after Finish it is ready; a browser waits 2 s).

Bounded: stops by itself after --max-seconds (default 300). Prints requests/s and latency
percentiles per request kind and overall, the errors (must be 0), then checks in the database
that every user's project holds exactly the example's answers and that every plan's PDF was
rendered exactly once across both servers and workers. Targets (issue 10): 0 errors, p95 of page
requests other than sign-in and PDF <= 1 s, PDF downloadable within 2 s of Finish at p95.
Drops the database at the end.

    .venv/bin/python bench/load.py [--users 50] [--servers 2] [--workers 2] [--pdf-workers 2]

``--ramp S`` spreads the arrivals over S seconds; ``--review-seconds S`` makes each user read the
review page for S seconds before Finish (the review page already queues the PDF, as a person
reading it gives the render a head start). Both default to 0: everyone at once, Finish at once.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.cookies
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    Gunicorn,
    close_db_connections,
    create_users,
    largest_example,
    prepare_database,
    result,
    server_env,
    setup_django,
    table,
    workdir,
)

PASSWORD = "load-test-password-31415"  # noqa: S105
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
KINDS = [
    "login_form",
    "login",
    "project_form",
    "project_create",
    "wizard_get",
    "wizard_post",
    "review",
    "finish",
    "plan",
    "pdf",
]

INPUT_RE = re.compile(r"<input\b[^>]*>")
VALUE_RE = re.compile(r'\bvalue="([^"]*)"')
PROJECT_RE = re.compile(r"^/projects/([0-9a-f-]{36})/")
REFRESH_RE = re.compile(r'http-equiv="refresh" content="(\d+); url=([^"]+)"')


class FlowError(Exception):
    pass


def input_value(html: str, name: str) -> str | None:
    """Return the value of the first <input> with this name, whatever the attribute order."""
    for tag in INPUT_RE.findall(html):
        if f'name="{name}"' in tag:
            value = VALUE_RE.search(tag)
            return value.group(1) if value else ""
    return None


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    first: float = float("inf")
    last: float = 0.0
    completed: int = 0
    pdf_waits: int = 0  # 202 "being prepared" answers before the PDF was ready
    pdf_ready_ms: list[float] = field(default_factory=list)  # Finish answered -> PDF received
    # (wall-clock time Finish was answered, PDF key) of users who met the waiting page: the
    # database's rendered_at then says when the PDF became downloadable, whatever the polling.
    pdf_waited: list[tuple[float, str]] = field(default_factory=list)
    flow_seconds: list[float] = field(default_factory=list)
    pdf_waits_by_user: dict[str, int] = field(default_factory=dict)

    def record(self, kind: str, start: float, end: float) -> None:
        with self.lock:
            self.latencies[kind].append((end - start) * 1000)
            self.first = min(self.first, start)
            self.last = max(self.last, end)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


class Browser:
    """One person's browser: a cookie jar, CSRF tokens from the forms, no JavaScript needed."""

    def __init__(self, port: int, stats: Stats, deadline: float, name: str, address: str):
        self.port = port
        self.address = address
        self.origin = f"http://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}
        self.stats = stats
        self.deadline = deadline
        self.name = name

    def request(self, kind, method, path, form=None, expect=200) -> tuple[int, dict, bytes]:
        if time.monotonic() > self.deadline:
            raise FlowError("time limit reached before the flow finished")
        headers = {
            "Origin": self.origin,
            "Referer": self.origin + path,
            "X-Forwarded-For": self.address,  # as the proxy in front would add it
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        start = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            raise FlowError(f"{kind} {method} {path}: {type(exc).__name__}: {exc}") from exc
        finally:
            connection.close()
        end = time.monotonic()
        self.stats.record(kind, start, end)
        for header in response.msg.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for morsel in jar.values():
                if morsel["max-age"] == "0":
                    self.cookies.pop(morsel.key, None)
                else:
                    self.cookies[morsel.key] = morsel.value
        if response.status not in (expect if isinstance(expect, tuple) else (expect,)):
            snippet = content[:300].decode(errors="replace").replace("\n", " ")
            raise FlowError(
                f"{kind} {method} {path}: HTTP {response.status}, expected {expect}: {snippet}"
            )
        return response.status, dict(response.getheaders()), content

    def form_page(self, kind, path) -> tuple[str, str]:
        _, _, body = self.request(kind, "GET", path)
        text = body.decode()
        token = input_value(text, "csrfmiddlewaretoken")
        if not token:
            raise FlowError(f"{kind} {path}: no CSRF token in the page")
        return token, text

    def post(self, kind, path, form) -> str:
        _, headers, _ = self.request(kind, "POST", path, form=form, expect=302)
        location = headers.get("Location", "")
        return urllib.parse.urlsplit(location).path if location.startswith("http") else location


def waited_key(path: str) -> str:
    """Return the PDF key a waiting page's refresh link names (its signed ``wait`` payload).

    The payload is readable without the secret (only the signature needs it): base64 JSON,
    zlib-compressed when it starts with a dot.
    """
    import base64
    import json
    import zlib

    token = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query).get("wait", [""])[0]
    payload = token.split(":", 1)[0]
    compressed = payload.startswith(".")
    raw = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload.lstrip(".")) % 4))
    return str(json.loads(zlib.decompress(raw) if compressed else raw).get("k", ""))


def section_posts(answers: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return (section key, fields) as a browser with JavaScript posts them, section by section.

    Only the questions visible given the answers so far plus this page's answers are shown (and
    sent); the others stay hidden, their ``shown`` marker disabled.
    """
    from planner import catalog

    so_far: dict = {}
    posts = []
    for sec in catalog.SECTIONS:
        own = {q.key: answers[q.key] for q in sec.questions if q.key in answers}
        visible = catalog.visible_keys({**so_far, **own})
        fields: list[tuple[str, str]] = []
        for q in sec.questions:
            if q.key not in visible:
                continue
            fields.append(("shown", q.key))
            value = own.get(q.key)
            if value is None:
                continue
            values = value if isinstance(value, list) else [value]
            fields.extend((q.key, str(v)) for v in values)
            so_far[q.key] = value
        posts.append((sec.key, fields))
    return posts


def expected_answers(answers: dict) -> dict:
    """Return the example's answers as the app stores them (normalized: choice order, ints)."""
    from planner import catalog

    stored = {}
    for key, value in answers.items():
        raw = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        stored[key] = catalog.normalize(key, raw)
    return stored


def user_flow(
    browser: Browser,
    username: str,
    index: int,
    posts,
    stats: Stats,
    review_seconds: float = 0.0,
) -> None:
    token, _ = browser.form_page("login_form", "/accounts/login/")
    location = browser.post(
        "login",
        "/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": ""},
    )
    if location != "/":
        raise FlowError(f"login: redirected to {location!r}, expected '/'")
    token, _ = browser.form_page("project_form", "/projects/new/")
    location = browser.post(
        "project_create",
        "/projects/new/",
        {
            "csrfmiddlewaretoken": token,
            "name": f"Load project {index:03d}",
            "description": "Created by bench/load.py.",
        },
    )
    match = PROJECT_RE.match(location)
    if not match:
        raise FlowError(f"project_create: redirected to {location!r}")
    code = match.group(1)
    for section_key, fields in posts:
        expected_path = f"/projects/{code}/wizard/{section_key}/"
        if location != expected_path:
            raise FlowError(f"wizard: at {location!r}, expected {expected_path!r}")
        token, text = browser.form_page("wizard_get", location)
        version = input_value(text, "version")
        if not version:
            raise FlowError(f"wizard_get {location}: no version field")
        form = [("csrfmiddlewaretoken", token), ("version", version)]
        form += [*fields, ("action", "next")]
        location = browser.post("wizard_post", location, form)
    if location != f"/projects/{code}/review/":
        raise FlowError(f"after the last section: at {location!r}, expected the review")
    token, text = browser.form_page("review", location)
    time.sleep(review_seconds)  # reading the review (its conflicts) before Finish; default 0
    form = {"csrfmiddlewaretoken": token, "version": input_value(text, "version") or ""}
    location = browser.post("finish", f"/projects/{code}/finish/", form)
    finished = time.monotonic()
    finished_wall = time.time()
    if location != f"/projects/{code}/plan/":
        raise FlowError(f"finish: redirected to {location!r}, expected the plan")
    browser.request("plan", "GET", location)
    download_pdf(browser, code, stats, finished, finished_wall)


def download_pdf(browser: Browser, code: str, stats: Stats, finished: float, wall: float) -> None:
    """Download the plan's PDF as a browser does, following the waiting page's refreshes."""
    pdf_path = f"/projects/{code}/plan.pdf"
    while True:
        status, headers, body = browser.request("pdf", "GET", pdf_path, expect=(200, 202))
        if status == 200:
            break
        refresh = REFRESH_RE.search(body.decode())  # as a browser: the page's refresh link
        if not refresh:
            raise FlowError("pdf: the waiting page has no refresh link")
        pdf_path = refresh.group(2).replace("&amp;", "&")
        with stats.lock:
            if stats.pdf_waits_by_user.setdefault(browser.name, 0) == 0:
                stats.pdf_waited.append((wall, waited_key(pdf_path)))
            stats.pdf_waits_by_user[browser.name] += 1
            stats.pdf_waits += 1
        time.sleep(int(refresh.group(1)))  # ... after the page's own delay
    with stats.lock:
        stats.pdf_ready_ms.append((time.monotonic() - finished) * 1000)
    if not body.startswith(b"%PDF"):
        raise FlowError(f"pdf: not a PDF ({headers.get('Content-Type')})")
    with stats.lock:
        stats.completed += 1


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


def create_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **PG) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **PG) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def render_counts() -> tuple[int, int, int, int]:
    """Return (PDF rows, rendered exactly once, rendered more than once, total renders)."""
    from planner.models import PlanPdf

    renders = list(PlanPdf.objects.values_list("renders", flat=True))
    once = sum(1 for r in renders if r == 1)
    return len(renders), once, sum(1 for r in renders if r > 1), sum(renders)


class PdfWorkers:
    """`manage.py db_worker` processes, as on separate worker machines."""

    def __init__(self, env: dict, count: int, log_dir: Path, nice: int = 0):
        from _common import PYTHON, ROOT

        self.processes = []
        for index in range(count):
            log = (log_dir / f"worker-{index}.log").open("w")
            self.processes.append(
                subprocess.Popen(
                    [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "0.1"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    preexec_fn=(lambda: os.nice(nice)) if nice else None,  # noqa: PLW1509
                )
            )

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def verify(usernames: list[str], expected: dict) -> list[str]:
    """Return the problems found in the database: every user's one project, its answers."""
    from planner.models import AnswerChange, Project

    problems = []
    projects = {p.owner.username: p for p in Project.objects.select_related("owner")}
    counts = defaultdict(int)
    for project in Project.objects.select_related("owner"):
        counts[project.owner.username] += 1
    for username in usernames:
        project = projects.get(username)
        if project is None:
            problems.append(f"{username}: no project")
            continue
        if counts[username] != 1:
            problems.append(f"{username}: {counts[username]} projects")
        if project.answers != expected:
            keys = set(project.answers) | set(expected)
            diff = sorted(k for k in keys if project.answers.get(k) != expected.get(k))
            problems.append(f"{username}: answers differ from the example for {diff}")
        if project.finished_at is None:
            problems.append(f"{username}: project not finished")
        changes = AnswerChange.objects.filter(project=project).count()
        if changes != len(expected):
            problems.append(f"{username}: {changes} answer changes recorded, {len(expected)} sent")
    return problems


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="simultaneous users")
    parser.add_argument("--servers", type=int, default=2, help="gunicorn servers (machines)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--pdf-workers", type=int, default=2, help="db_worker processes")
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per worker (gthread, as in production)"
    )
    parser.add_argument("--max-seconds", type=int, default=600, help="stop after this long")
    parser.add_argument(
        "--ramp",
        type=float,
        default=0.0,
        help="seconds over which the users arrive, evenly (default 0: all at once)",
    )
    parser.add_argument(
        "--review-seconds",
        type=float,
        default=0.0,
        help="seconds each user reads the review page before Finish (default 0: Finish at once;"
        " the review page queues the PDF, so reading time lets it render before Finish)",
    )
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="niceness of the PDF workers (default 10: pages before renders on a shared CPU)",
    )
    parser.add_argument(
        "--db-prefix", default="planner_load", help="name prefix of the throwaway database"
    )
    parser.add_argument(
        "--fast-hasher",
        action="store_true",
        help="use a fast password hasher (default: production's, ~0.45 s per sign-in here)",
    )
    return parser.parse_args(argv)


def postgres_reachable() -> bool:
    """Return whether PostgreSQL answers; say why not when it does not."""
    try:
        import psycopg

        psycopg.connect(dbname="postgres", connect_timeout=5, **PG).close()
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL is not reachable at {PG['host']}:{PG['port']} as {PG['user']}: {exc}")
        result("load_available", "no")
        return False
    return True


@dataclass
class Workload:
    """What every simulated user sends, and what the database must hold afterwards."""

    usernames: list[str]
    posts: list[tuple[str, list[tuple[str, str]]]]
    expected: dict


def prepare_workload(args: argparse.Namespace) -> Workload:
    """Migrate, load the rules, create the users and print what the run will send."""
    from django.conf import settings

    rules_summary = prepare_database()
    users = create_users(args.users, prefix="loaduser", password=PASSWORD)
    example_name, answers = largest_example()
    workload = Workload(
        [u.username for u in users], section_posts(answers), expected_answers(answers)
    )
    close_db_connections()
    hasher = settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]
    print(
        f"{rules_summary} {args.users} users (password hasher {hasher}"
        f"{' (--fast-hasher)' if args.fast_hasher else ', production default'}). "
        f"Example {example_name}: {len(workload.expected)} answers in "
        f"{len(workload.posts)} sections."
    )
    return workload


def start_servers(
    stack: contextlib.ExitStack, env: dict, args: argparse.Namespace, wd: Path
) -> list:
    """Start the gunicorn servers and the PDF workers; the stack stops them."""
    servers = []
    for index in range(args.servers):
        log_dir = wd / f"server-{index}"
        log_dir.mkdir()
        server = Gunicorn(
            env,
            workers=args.workers,
            log_dir=log_dir,
            timeout=180,
            worker_class="gthread",
            threads=args.threads,
        )
        servers.append(stack.enter_context(server))
    pdf_workers = PdfWorkers(env, args.pdf_workers, wd, nice=args.worker_nice)
    stack.callback(pdf_workers.stop)
    ports = [server.port for server in servers]
    print(
        f"{args.servers} gunicorn servers (ports {', '.join(map(str, ports))}), each "
        f"{args.workers} gthread workers x {args.threads} threads; "
        f"{args.pdf_workers} PDF workers (nice {args.worker_nice}); PostgreSQL, DEBUG off. "
        f"{args.users} users "
        f"{f'arrive over {args.ramp:g} s' if args.ramp else 'start at once'}; "
        f"{f'read the review {args.review_seconds:g} s; ' if args.review_seconds else ''}"
        f"limit {args.max_seconds} s."
    )
    return servers


def run_users(args: argparse.Namespace, ports: list[int], workload: Workload, stats: Stats) -> None:
    """Run every user's flow in its own thread, all starting at once; print progress."""
    deadline = time.monotonic() + args.max_seconds
    barrier = threading.Barrier(args.users)

    def run(index: int, username: str) -> None:
        port = ports[index % len(ports)]
        address = f"10.{index // 250}.{index % 250}.1"
        browser = Browser(port, stats, deadline, username, address)
        barrier.wait()
        time.sleep(args.ramp * index / max(1, args.users - 1) if args.ramp else 0)
        try:
            begin = time.monotonic()
            user_flow(browser, username, index, workload.posts, stats, args.review_seconds)
            with stats.lock:
                stats.flow_seconds.append(time.monotonic() - begin)
        except FlowError as exc:
            stats.error(f"{username}: {exc}")
        except Exception as exc:  # noqa: BLE001
            stats.error(f"{username}: {type(exc).__name__}: {exc}")

    threads = [
        threading.Thread(target=run, args=(i, name), daemon=True)
        for i, name in enumerate(workload.usernames)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()

    def progress() -> None:
        while any(t.is_alive() for t in threads):
            time.sleep(15)
            with stats.lock:
                done = sum(len(v) for v in stats.latencies.values())
                line = (
                    f"  {time.monotonic() - started:4.0f} s: {done} requests, "
                    f"{stats.completed} users finished, {len(stats.errors)} errors"
                )
            print(line, flush=True)

    threading.Thread(target=progress, daemon=True).start()
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic() + 320))


def print_latencies(stats: Stats, args: argparse.Namespace, workload: Workload) -> float:
    """Print the latency table per request kind and the run summary; return the wall time."""
    all_latencies = [v for values in stats.latencies.values() for v in values]
    total = len(all_latencies)
    wall = max(stats.last - stats.first, 1e-9) if total else 0.0
    rows = []
    for kind in [*KINDS, "all"]:
        values = all_latencies if kind == "all" else stats.latencies.get(kind, [])
        if not values:
            continue
        seconds = wall if kind == "all" else None
        rows.append(
            [
                kind,
                len(values),
                f"{len(values) / seconds:.1f}" if seconds else "",
                f"{percentile(values, 50):.0f}",
                f"{percentile(values, 95):.0f}",
                f"{percentile(values, 99):.0f}",
                f"{max(values):.0f}",
            ]
        )
    print()
    print(table(["request", "count", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms"], rows))
    print()
    print(
        f"{total} requests in {wall:.1f} s ({total / wall if wall else 0:.1f} requests/s); "
        f"{stats.completed}/{args.users} users finished; {len(stats.errors)} errors; "
        f"{stats.pdf_waits} PDF requests answered 202 'being prepared' before it was ready."
    )
    if stats.flow_seconds:
        flows = sorted(stats.flow_seconds)
        print(
            f"Whole flow per user ({len(workload.posts) * 2 + 8} requests): fastest "
            f"{flows[0]:.0f} s, median {statistics.median(flows):.0f} s, "
            f"slowest {flows[-1]:.0f} s."
        )
    for message in stats.errors[:20]:
        print("ERROR " + message)
    return wall


def report_latency_targets(stats: Stats, wall: float) -> None:
    """Print the machine-readable latency results and their targets."""
    all_latencies = [v for values in stats.latencies.values() for v in values]
    total = len(all_latencies)
    result("load_requests_per_s", f"{total / wall if wall else 0:.1f}", unit="req/s")
    if all_latencies:
        result("load_p50", f"{percentile(all_latencies, 50):.0f}", unit="ms")
        result("load_p95", f"{percentile(all_latencies, 95):.0f}", unit="ms")
        result("load_p99", f"{percentile(all_latencies, 99):.0f}", unit="ms")
    pages = [
        v
        for kind in KINDS
        if kind not in ("login_form", "login", "pdf")
        for v in stats.latencies.get(kind, [])
    ]
    if pages:
        page_p95 = percentile(pages, 95)
        result(
            "load_page_p95", f"{page_p95:.0f}", unit="ms", target="<= 1000", met=page_p95 <= 1000
        )
    if stats.pdf_ready_ms:
        print(
            f"PDF received after Finish (as the browser saw it, refreshing as the page says): "
            f"p50 {percentile(stats.pdf_ready_ms, 50):.0f} ms, "
            f"p95 {percentile(stats.pdf_ready_ms, 95):.0f} ms, "
            f"max {max(stats.pdf_ready_ms):.0f} ms."
        )
        result("load_pdf_received_p95", f"{percentile(stats.pdf_ready_ms, 95):.0f}", unit="ms")


def report_pdf_ready(stats: Stats) -> None:
    """Print when each finished user's PDF became downloadable, from the database's clock.

    A user whose first download got the PDF waited 0 ms; for the others, the row's rendered_at
    minus the moment Finish was answered (never below 0: rendered before Finish, from the review).
    """
    from planner.models import PlanPdf

    keys = [key for _, key in stats.pdf_waited]
    rendered = dict(PlanPdf.objects.filter(key__in=keys).values_list("key", "rendered_at"))
    ready = [0.0] * (stats.completed - len(stats.pdf_waited))
    ready += [
        max(0.0, (rendered[key].timestamp() - finished) * 1000)
        for finished, key in stats.pdf_waited
        if rendered.get(key) is not None
    ]
    if not ready:
        return
    ready_p95 = percentile(ready, 95)
    print(
        f"PDF downloadable after Finish (database clock, {len(ready)} users): "
        f"p50 {percentile(ready, 50):.0f} ms, p95 {ready_p95:.0f} ms, max {max(ready):.0f} ms."
    )
    result(
        "load_pdf_ready_p95", f"{ready_p95:.0f}", unit="ms", target="<= 2000", met=ready_p95 <= 2000
    )


def check_database(args: argparse.Namespace, stats: Stats, workload: Workload, wall: float) -> int:
    """Check the stored answers and the render counts, print every result; return the exit code."""
    problems = verify(workload.usernames, workload.expected)
    pdf_rows, rendered_once, rendered_twice, renders = render_counts()
    close_db_connections()
    verified = args.users - len({p.split(":")[0] for p in problems})
    print(f"\nDatabase check: {verified}/{args.users} users' answers stored exactly.")
    for problem in problems[:20]:
        print("MISMATCH " + problem)

    print()
    report_latency_targets(stats, wall)
    report_pdf_ready(stats)
    close_db_connections()
    print(
        f"PDFs: {pdf_rows} print documents, {rendered_once} rendered exactly once, "
        f"{rendered_twice} more than once, {renders} renders in all (both servers, "
        f"{args.pdf_workers} workers)."
    )
    result("load_pdf_rendered_twice", rendered_twice, target="0", met=not rendered_twice)
    result(
        "load_pdf_rendered_once",
        f"{rendered_once}/{pdf_rows}",
        target=f"{args.users}/{args.users}",
        met=rendered_once == pdf_rows == args.users,
    )
    result("load_errors", len(stats.errors), target="0", met=not stats.errors)
    result(
        "load_answers_verified",
        f"{verified}/{args.users}",
        target=f"{args.users}/{args.users}",
        met=verified == args.users,
    )
    ok = not stats.errors and not problems and stats.completed == args.users
    return 0 if ok else 1


def run_load(args: argparse.Namespace, db_name: str) -> int:
    """Run the whole load test against the database db_name; return the exit code."""
    with workdir("planner-load-") as wd:
        url = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{db_name}"
        env = server_env(url, wd, urlconf="planner.urls")
        env["PLANNER_TRUSTED_PROXY_COUNT"] = "1"
        env["PLANNER_PDF_INLINE"] = "false"
        if args.fast_hasher:
            env["BENCH_PASSWORD_HASHERS"] = "django.contrib.auth.hashers.MD5PasswordHasher"
        setup_django(env)
        workload = prepare_workload(args)
        stats = Stats()
        with contextlib.ExitStack() as stack:
            servers = start_servers(stack, env, args, wd)
            run_users(args, [server.port for server in servers], workload, stats)
            log = "\n".join(server.log_text().strip() for server in servers).strip()
        wall = print_latencies(stats, args, workload)
        if log:
            print("\ngunicorn log (warnings and errors, last lines):\n" + log[-3000:])
        return check_database(args, stats, workload, wall)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not postgres_reachable():
        return 2
    db_name = f"{args.db_prefix}_{os.getpid()}"
    create_database(db_name)
    print(f"Created database {db_name}.")
    try:
        return run_load(args, db_name)
    finally:
        with contextlib.suppress(Exception):
            close_db_connections()
        drop_database(db_name)
        print(f"Dropped database {db_name}.")


if __name__ == "__main__":
    sys.exit(main())
