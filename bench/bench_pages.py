"""Page throughput: the wizard's largest section against a bare page and a crispy-forms form.

One gunicorn (production settings, DEBUG off, sync workers) on 127.0.0.1 with a throwaway
SQLite database holding the default rules and one signed-in user whose project carries the
answers of the largest example. wrk measures GET throughput and latency of:

  (a) bare    a plain page: base.html plus ~1.4 KB of static text, login required
  (b) crispy  the same questions as the largest wizard section as ONE plain Django form
              rendered by crispy-forms ({{ form|crispy }}) in the same base.html
  (c) wizard  the largest wizard section of the real app
  (d) plan    the plan page of the project

Prints requests/s, p50/p99 latency and the server's CPU time per request of each page, and the
ratios (c)/(b) (target >= 2) and (c)/(a): of throughput (median of the rounds' ratios) and of
CPU time per request (the steadier figure on a shared machine; the target is checked on it).

    .venv/bin/python bench/bench_pages.py [--duration 4] [--rounds 4] [--warmup 2] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    Gunicorn,
    close_db_connections,
    create_users,
    largest_example,
    largest_section,
    prepare_database,
    result,
    server_env,
    session_cookie,
    setup_django,
    table,
    workdir,
)

WRK = shutil.which("wrk") or "/usr/bin/wrk"
TARGET_WIZARD_VS_CRISPY = 2.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, cookie: str) -> tuple[int, bytes]:
    """Return (status, body) of a GET with the session cookie, without following redirects."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> dict:
    """Return requests/s, latency percentiles (ms) and error counts from wrk --latency."""
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for pct in ("50", "75", "90", "99"):
        match = re.search(rf"^\s+{pct}%\s+(\S+)", output, re.MULTILINE)
        figures[f"p{pct}"] = _ms(match.group(1)) if match else float("nan")
    match = re.search(r"(\d+) requests in", output)
    figures["requests"] = int(match.group(1)) if match else 0
    match = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    figures["non2xx"] = int(match.group(1)) if match else 0
    match = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    figures["socket_errors"] = sum(int(g) for g in match.groups()) if match else 0
    figures["timeouts"] = int(match.group(4)) if match else 0
    return figures


def run_wrk(url: str, cookie: str, *, duration: int, threads: int, connections: int) -> str:
    command = [
        WRK,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "--latency",
        "-H",
        f"Cookie: {cookie}",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return done.stdout


def server_cpu_seconds(arbiter_pid: int) -> float:
    """Return the user+system CPU seconds used so far by gunicorn's workers (and arbiter)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        pid = int(stat.parent.name)
        fields = text[text.rindex(")") + 2 :].split()
        # fields[1] is the parent pid; utime and stime are fields 14 and 15 of the whole line.
        if pid == arbiter_pid or int(fields[1]) == arbiter_pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def summarize(runs: list[dict]) -> dict:
    """Return the medians over the rounds, and the totals of the error counts."""
    median = statistics.median
    return {
        "rps": median(r["rps"] for r in runs),
        "p50": median(r["p50"] for r in runs),
        "p99": median(r["p99"] for r in runs),
        "cpu_ms": median(r["cpu_ms"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "non2xx": sum(r["non2xx"] for r in runs),
        "socket_errors": sum(r["socket_errors"] for r in runs),
        "timeouts": sum(r["timeouts"] for r in runs),
        "rps_rounds": [r["rps"] for r in runs],
    }


def round_ratio(numerator: list[dict], denominator: list[dict]) -> float:
    """Return the median over the rounds of the throughput ratio (pages measured side by side)."""
    return statistics.median(
        a["rps"] / b["rps"] for a, b in zip(numerator, denominator, strict=True) if b["rps"]
    )


def set_up(env: dict) -> dict:
    """Create the database, user, project and session; return what the pages need."""
    setup_django(env)
    rules_summary = prepare_database()
    from django.utils import timezone

    from planner import catalog
    from planner.models import Project, Rule

    example_name, answers = largest_example()
    user = create_users(1, prefix="bench")[0]
    project = Project.objects.create(
        owner=user,
        name="Bench project",
        answers=answers,
        touched_sections=[s.key for s in catalog.SECTIONS],
        finished_at=timezone.now(),
    )
    name, value = session_cookie(user)
    sec = largest_section()
    info = {
        "rules": Rule.objects.filter(enabled=True).count(),
        "rules_summary": rules_summary,
        "example": example_name,
        "section": sec.key,
        "questions": len(sec.questions),
        "choices": sum(len(q.choices) for q in sec.questions),
        "code": str(project.code),
        "cookie": f"{name}={value}",
        "cookie_name": name,
    }
    close_db_connections()
    return info


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=4, help="seconds per page and round")
    parser.add_argument("--rounds", type=int, default=4, help="measured rounds (medians kept)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    args = parser.parse_args(argv)

    if not Path(WRK).exists():
        print("wrk is not installed (apt-get install wrk): page benchmark not available")
        result("pages_available", "no")
        return 1

    with workdir("planner-bench-pages-") as wd:
        env = server_env(f"sqlite:///{wd / 'db.sqlite3'}", wd)
        info = set_up(env)
        print_set_up(info, args)
        code, section = info["code"], info["section"]
        pages = [
            ("a", "bare", "/bench/bare/", b"A bare page"),
            ("b", "crispy", f"/bench/crispy/{code}/{section}/", b'name="version"'),
            ("c", "wizard", f"/projects/{code}/wizard/{section}/", b'id="wizard-form"'),
            ("d", "plan", f"/projects/{code}/plan/", b"</html>"),
        ]
        rounds, sizes, log = run_rounds(env, wd, args, info["cookie"], pages)
        measured = {name: summarize(runs) for name, runs in rounds.items() if runs}
        print_results(measured, sizes, log)
        return record(measured, rounds)


def print_set_up(info: dict, args: argparse.Namespace) -> None:
    section = info["section"]
    print(
        f"Set-up: {info['rules']} enabled rules ({info['rules_summary']}); example "
        f"{info['example']}; largest section '{section}' ({info['questions']} questions, "
        f"{info['choices']} choices)."
    )
    print(
        f"Server: gunicorn, {args.workers} sync workers, DEBUG off, production settings "
        f"(bench/settings_bench.py adds the two comparison pages), SQLite. "
        f"Client: wrk -t{args.threads} -c{args.connections} -d{args.duration}s, "
        f"{args.rounds} rounds alternating the pages, after {args.warmup}s "
        f"warm-up, cookie {info['cookie_name']} sent as a header "
        "(the secure flag only matters to browsers)."
    )


def run_rounds(
    env: dict, wd: Path, args: argparse.Namespace, cookie: str, pages: list
) -> tuple[dict[str, list[dict]], dict[str, tuple[str, str, int]], str]:
    """Serve with gunicorn and measure every available page; return rounds, sizes and log."""
    rounds: dict[str, list[dict]] = {}
    sizes: dict[str, tuple[str, str, int]] = {}
    with Gunicorn(env, workers=args.workers, log_dir=wd) as server:
        available = []
        for letter, name, path, marker in pages:
            url = server.base_url + path
            status, body = fetch(url, cookie)
            if status != 200 or marker not in body:
                print(f"({letter}) {name} {path}: not available (HTTP {status})")
                result(f"pages_{name}_available", "no")
                continue
            available.append((name, url))
            sizes[name] = (letter, path, len(body))
            rounds[name] = []
        wrk_args = {"threads": args.threads, "connections": args.connections}
        for _name, url in available:
            run_wrk(url, cookie, duration=args.warmup, **wrk_args)
        # Rounds alternate the pages so that background load hits them alike.
        for _ in range(args.rounds):
            for name, url in available:
                cpu_before = server_cpu_seconds(server.process.pid)
                output = run_wrk(url, cookie, duration=args.duration, **wrk_args)
                cpu = server_cpu_seconds(server.process.pid) - cpu_before
                figures = parse_wrk(output)
                figures["cpu_ms"] = cpu * 1000 / max(figures["requests"], 1)
                rounds[name].append(figures)
        log = server.log_text().strip()
    return rounds, sizes, log


def print_results(measured: dict, sizes: dict, log: str) -> None:
    print()
    rows = []
    for name, m in measured.items():
        letter, _path, size = sizes[name]
        rows.append(
            [
                f"({letter}) {name}",
                f"{m['rps']:.0f}",
                f"{m['p50']:.1f}",
                f"{m['p99']:.1f}",
                f"{m['cpu_ms']:.1f}",
                m["requests"],
                m["non2xx"],
                m["socket_errors"],
                f"{size / 1024:.1f}",
                " ".join(f"{r:.0f}" for r in m["rps_rounds"]),
            ]
        )
    headers = ["page", "req/s", "p50 ms", "p99 ms", "CPU ms/req", "requests", "non-2xx"]
    headers += ["sock err", "KB", "req/s by round"]
    print(table(headers, rows))
    print(
        "\nreq/s, p50, p99 and CPU ms/req are medians over the rounds; CPU ms/req is the "
        "gunicorn workers' user+system CPU time per request, which other processes on the "
        "machine disturb far less than wall-clock throughput."
    )
    for name in measured:
        print(f"  {name}: {sizes[name][1]}")
    if log:
        print("\ngunicorn log (warnings and errors):\n" + log[-3000:])
    print()


def record(measured: dict, rounds: dict) -> int:
    """Record every figure and the wizard's ratios; return the exit status."""
    failed = False
    for name, m in measured.items():
        result(f"pages_{name}_rps", f"{m['rps']:.0f}", unit="req/s")
        result(f"pages_{name}_p50", f"{m['p50']:.1f}", unit="ms")
        result(f"pages_{name}_p99", f"{m['p99']:.1f}", unit="ms")
        result(f"pages_{name}_cpu_per_request", f"{m['cpu_ms']:.2f}", unit="ms")
        if m["non2xx"] or m["timeouts"]:
            failed = True
            print(f"{name}: {m['non2xx']} non-2xx responses, {m['timeouts']} timeouts")
    target = f">={TARGET_WIZARD_VS_CRISPY:g}"
    if "wizard" in measured and "crispy" in measured:
        wall = round_ratio(rounds["wizard"], rounds["crispy"])
        cpu = measured["crispy"]["cpu_ms"] / measured["wizard"]["cpu_ms"]
        result("pages_wizard_vs_crispy_throughput", f"{wall:.2f}", unit="x")
        result(
            "pages_wizard_vs_crispy_cpu",
            f"{cpu:.2f}",
            unit="x",
            target=target,
            met=cpu >= TARGET_WIZARD_VS_CRISPY,
        )
    else:
        result("pages_wizard_vs_crispy_cpu", "n/a", target=target)
    if "wizard" in measured and "bare" in measured:
        wall = round_ratio(rounds["wizard"], rounds["bare"])
        cpu = measured["bare"]["cpu_ms"] / measured["wizard"]["cpu_ms"]
        result("pages_wizard_vs_bare_throughput", f"{wall:.2f}", unit="x")
        result("pages_wizard_vs_bare_cpu", f"{cpu:.2f}", unit="x")
    return 1 if failed or "wizard" not in measured else 0


if __name__ == "__main__":
    sys.exit(main())
