"""Run every benchmark and write bench/RESULTS.md.

Each script that exists (bench_rules.py, bench_pdf.py, bench_pages.py, bench_queries.py,
bench_export.py) runs as a subprocess with a timeout; its output is shown live and kept for
RESULTS.md, together with the machine's description and a summary of the targets parsed from
the scripts' lines

    RESULT <name>=<value> [unit=<unit>] [target=<target>] [met=yes|no]

(for a script that prints none, from its lines "<label>: <value><unit> (target <op> <value>)").

Exits 1 when a script fails (non-zero exit or timeout), after writing RESULTS.md.

    .venv/bin/python bench/run_all.py [--only bench_pages.py ...] [--output bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import BENCH_DIR, PYTHON, ROOT, machine_info, parse_result_line  # noqa: E402

# (script, timeout in seconds)
SCRIPTS = [
    ("bench_rules.py", 900),
    ("bench_pdf.py", 900),
    ("bench_pages.py", 900),
    ("bench_queries.py", 900),
    ("bench_export.py", 300),
]


def run_script(script: Path, timeout: int) -> dict:
    """Run one script, echoing its output; return its output, exit status and duration."""
    start = time.monotonic()
    process = subprocess.Popen(
        [PYTHON, str(script)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(process.pid, signal.SIGTERM)
            time.sleep(5)
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    lines = []
    try:
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            lines.append(line)
        process.wait()
    finally:
        timer.cancel()
    if timed_out.is_set():
        lines.append(f"\n[run_all] timed out after {timeout} s and was stopped\n")
    return {
        "output": "".join(lines),
        "returncode": process.returncode,
        "timed_out": timed_out.is_set(),
        "seconds": time.monotonic() - start,
    }


# Scripts that print no RESULT lines: their "<label>: <value><unit> (target <op> <value>)" lines.
TARGET_LINE = re.compile(
    r"^\s*(?P<label>.*?):?\s*(?P<value>\d[\d,]*\.?\d*)\s*(?P<unit>[A-Za-z%]*)\s*"
    r"\(target\s*(?P<op><=|>=|<|>|=|≤|≥)\s*(?P<target>\d[\d,]*\.?\d*)\s*(?P<tunit>[A-Za-z%]*)\)"
)
COMPARE = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "≤": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "≥": lambda a, b: a >= b,
    "=": lambda a, b: a == b,
}


def parse_results(output: str) -> list[dict[str, str]]:
    """Return the RESULT lines of a script's output, or else its "(target ...)" lines."""
    lines = output.splitlines()
    results = [r for r in map(parse_result_line, lines) if r]
    if results:
        return results
    for line in lines:
        match = TARGET_LINE.match(line)
        if not match:
            continue
        value = float(match["value"].replace(",", ""))
        target = float(match["target"].replace(",", ""))
        met = COMPARE[match["op"]](value, target)
        results.append(
            {
                "name": match["label"].strip().rstrip(":") or "(unnamed)",
                "value": match["value"],
                "unit": match["unit"],
                "target": f"{match['op']}{match['target']}{match['tunit']}",
                "met": "yes" if met else "no",
            }
        )
    return results


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def uname_a() -> str:
    try:
        return subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return machine_info()["uname"]


def status_of(run: dict | None) -> str:
    if run is None:
        return "not present"
    if run["timed_out"]:
        return "TIMED OUT"
    return "ok" if run["returncode"] == 0 else f"FAILED (exit {run['returncode']})"


def write_results(path: Path, runs: dict[str, dict | None], started: str, load_before: str):
    info = machine_info()
    out = [
        "# Benchmark results",
        "",
        f"Written by `bench/run_all.py` on {started}. One run on a shared machine: absolute "
        "figures are noisy, compare the ratios (see bench/README.md).",
        "",
        "## Machine",
        "",
        f"- uname: `{uname_a()}`",
        f"- CPU: {info.get('cpu', 'unknown')} × {info['nproc']} (nproc)",
        f"- memory: {info.get('memory', 'unknown')}",
        f"- Python {info['python']}, Django {info['django']}",
        f"- load average before the run: {load_before}; after: {load_average()}",
        "",
        "## Summary",
        "",
        "| script | result | value | unit | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for script, run in runs.items():
        results = parse_results(run["output"]) if run is not None else []
        if not results:
            out.append(f"| {script} | ({status_of(run)}) | | | | |")
        for r in results:
            met = {"yes": "met", "no": "**not met**"}.get(r["met"], "")
            out.append(
                f"| {script} | {r['name']} | {r['value']} | {r['unit']} | {r['target']} | {met} |"
            )
    out += ["", "| script | status | seconds |", "|---|---|---|"]
    for script, run in runs.items():
        seconds = f"{run['seconds']:.0f}" if run else ""
        out.append(f"| {script} | {status_of(run)} | {seconds} |")
    for script, run in runs.items():
        out += ["", f"## {script}", ""]
        if run is None:
            out.append("Not present.")
            continue
        out.append(f"Status: {status_of(run)}, {run['seconds']:.0f} s.")
        out += ["", "```", run["output"].rstrip().replace("```", "'''"), "```"]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="run only these scripts (file names)")
    parser.add_argument("--output", default=str(BENCH_DIR / "RESULTS.md"))
    parser.add_argument(
        "--timeout", type=int, default=0, help="timeout per script in seconds (default per script)"
    )
    parser.add_argument(
        "--with-load",
        action="store_true",
        help="also run load.py (50 users on gunicorn + PostgreSQL; a few minutes)",
    )
    args = parser.parse_args(argv)

    started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_before = load_average()
    runs: dict[str, dict | None] = {}
    scripts = [*SCRIPTS, ("load.py", 600)] if args.with_load else SCRIPTS
    for script, timeout in scripts:
        if args.only and script not in args.only:
            continue
        path = BENCH_DIR / script
        if not path.is_file():
            print(f"== {script}: not present, skipped")
            runs[script] = None
            continue
        print(f"== {script} (timeout {args.timeout or timeout} s)", flush=True)
        runs[script] = run_script(path, args.timeout or timeout)
        print(f"== {script}: {status_of(runs[script])}\n", flush=True)

    output = Path(args.output)
    write_results(output, runs, started, load_before)
    print(f"Wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    failed = [s for s, run in runs.items() if run is not None and status_of(run) != "ok"]
    if failed:
        print("Failed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
