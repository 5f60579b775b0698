"""Database queries per page: they must not grow with the number of rules or of projects.

In-process, settings planner.settings.test, a throwaway SQLite file. One user whose project
holds the answers of the largest example; the Django test client counts the queries of every
wizard page, the review, the project pages and the plan page and downloads, in four states:

    69 default rules or 1,000 (931 synthetic variants of the defaults, new keys, enabled)
    x 1 project or 200 projects for the user

For each state the first request after the change (may compile the rules) and the steady state
(the next requests) are counted. Exits 1 when a steady-state count is higher than with 69 rules
and 1 project.

    .venv/bin/python bench/bench_queries.py [--no-pdf]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import largest_example, largest_section, result, table, workdir  # noqa: E402

EXTRA_RULES = 1000
MANY_PROJECTS = 200


def configure(db_path: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "planner.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


def pages(code: str, largest: str, with_pdf: bool) -> list[tuple[str, str, str]]:
    """Return (label, method, url) of every page counted."""
    from planner import catalog

    rows = [("home (project list)", "GET", "/"), ("project page", "GET", f"/projects/{code}/")]
    for sec in catalog.SECTIONS:
        rows.append((f"wizard {sec.key}", "GET", f"/projects/{code}/wizard/{sec.key}/"))
    rows += [
        ("wizard POST (unchanged)", "POST", f"/projects/{code}/wizard/{largest}/"),
        ("review", "GET", f"/projects/{code}/review/"),
        ("plan page", "GET", f"/projects/{code}/plan/"),
        ("plan.json", "GET", f"/projects/{code}/plan.json"),
        ("plan.svg", "GET", f"/projects/{code}/plan.svg"),
    ]
    if with_pdf:
        rows.append(("plan.pdf", "GET", f"/projects/{code}/plan.pdf"))
    return rows


def section_post(section_key: str, answers: dict, version: int) -> dict:
    """Return the POST a browser sends for the section: visible questions and their answers."""
    from planner import catalog

    visible = catalog.visible_keys(answers)
    data: dict[str, object] = {"version": str(version), "action": "next", "shown": []}
    for q in catalog.section(section_key).questions:
        if q.key not in visible:
            continue
        data["shown"].append(q.key)
        value = answers.get(q.key)
        if value is None:
            continue
        data[q.key] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def count(client, method: str, url: str, data) -> tuple[int, int, float]:
    """Return (queries, status, milliseconds) of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data) if method == "POST" else client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
            response.close()
    return len(ctx.captured_queries), response.status_code, (time.perf_counter() - start) * 1000


def set_rules(total: int, defaults: list) -> int:
    """Keep the defaults and add synthetic enabled variants up to ``total``; return the count."""
    from planner.models import Rule

    Rule.objects.exclude(key__in=[r.key for r in defaults]).delete()
    extra = []
    for i in range(total - len(defaults)):
        base = defaults[i % len(defaults)]
        extra.append(
            Rule(
                key=f"{base.key}-variant-{i:04d}"[:80],
                section=base.section,
                title=f"{base.title} (variant {i})"[:200],
                recommendation=base.recommendation,
                rationale=base.rationale,
                priority=base.priority,
                references=base.references,
                condition=base.condition,
                enabled=True,
                position=base.position + 1000 + i,
            )
        )
    Rule.objects.bulk_create(extra, batch_size=200)
    return Rule.objects.filter(enabled=True).count()


def set_projects(user, total: int, answers: dict, keep) -> int:
    """Give the user ``total`` projects (``keep`` among them); return the count."""
    from planner.models import Project

    user.projects.exclude(pk=keep.pk).delete()
    Project.objects.bulk_create(
        Project(owner=user, name=f"Other project {i}", answers=answers) for i in range(total - 1)
    )
    return user.projects.count()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="skip plan.pdf (slow to render)")
    args = parser.parse_args(argv)

    with workdir("planner-bench-queries-") as wd:
        configure(wd / "db.sqlite3")
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.management import call_command, get_commands
        from django.test import Client
        from django.urls import Resolver404, resolve
        from django.utils import timezone

        from planner import catalog
        from planner.models import Project, Rule

        cache_dir = Path(settings.PLANNER_GENERATED_DIR)
        try:
            call_command("migrate", interactive=False, verbosity=0)
            if "load_rules" in get_commands():
                call_command("load_rules", stdout=open(os.devnull, "w"))  # noqa: SIM115
            defaults = list(Rule.objects.all())
            example_name, answers = largest_example()
            user = get_user_model().objects.create_user("bench", password="bench-password-1")
            project = Project.objects.create(
                owner=user,
                name="Bench project",
                answers=answers,
                touched_sections=[s.key for s in catalog.SECTIONS],
                finished_at=timezone.now(),
            )
            code = str(project.code)
            largest = largest_section().key
            client = Client()
            client.force_login(user)
            page_list = []
            for label, method, url in pages(code, largest, with_pdf=not args.no_pdf):
                try:
                    resolve(url)  # not a request: the first request must stay the first
                except Resolver404:
                    print(f"{label} {url}: not available (no such URL), not counted")
                    continue
                page_list.append((label, method, url))
            print(
                f"Example {example_name}; {len(defaults)} default rules; the POST saves the "
                f"'{largest}' section unchanged. Counts: first request after the change / "
                "steady state (2nd and 3rd request, which must agree)."
            )

            states = [(len(defaults), 1), (len(defaults), MANY_PROJECTS)]
            states += [(EXTRA_RULES, 1), (EXTRA_RULES, MANY_PROJECTS)]
            counts: dict[tuple[int, int], dict[str, tuple[int, int, int]]] = {}
            timings: dict[tuple[int, int], dict[str, float]] = {}
            problems: list[str] = []
            for rules_total, projects_total in states:
                n_rules = set_rules(rules_total, defaults)
                n_projects = set_projects(user, projects_total, answers, project)
                state = (n_rules, n_projects)
                counts[state], timings[state] = {}, {}
                for label, method, url in page_list:
                    runs = []
                    for _ in range(3):
                        payload = None
                        if method == "POST":
                            project.refresh_from_db()
                            payload = section_post(largest, project.answers, project.version)
                        queries, status, ms = count(client, method, url, payload)
                        expected = (302,) if method == "POST" else (200,)
                        if status not in expected:
                            problems.append(f"{label} ({state}): HTTP {status}")
                        runs.append((queries, ms))
                    counts[state][label] = tuple(q for q, _ in runs)
                    timings[state][label] = min(ms for _, ms in runs[1:])
                    if runs[1][0] != runs[2][0]:
                        problems.append(
                            f"{label} ({state}): steady state not steady "
                            f"({runs[1][0]} then {runs[2][0]} queries)"
                        )

            base = next(iter(counts))
            headers = ["page"] + [f"{r} rules, {p} proj" for r, p in counts]
            rows = []
            for label, *_ in page_list:
                rows.append([label] + [f"{c[label][0]} / {c[label][1]}" for c in counts.values()])
            print()
            print(table(headers, rows))
            print()
            print("Steady-state time per request, ms (in-process test client, DEBUG on):")
            print(
                table(
                    headers,
                    [
                        [label] + [f"{t[label]:.0f}" for t in timings.values()]
                        for label, *_ in page_list
                    ],
                )
            )
            print()

            grew, first_grew = [], []
            for state, page_counts in counts.items():
                for label, (first, steady, _) in page_counts.items():
                    base_first, base_steady, _ = counts[base][label]
                    if steady > base_steady:
                        grew.append(f"{label}: {base_steady} -> {steady} queries at {state}")
                    if first > base_first:
                        first_grew.append(f"{label}: {base_first} -> {first} queries at {state}")
            for line in grew:
                print("GREW (steady state): " + line)
            for line in first_grew:
                print("note, first request grew: " + line)
            for line in problems:
                print("PROBLEM: " + line)
            worst = max(max(c[1] for c in page_counts.values()) for page_counts in counts.values())
            result("queries_max_steady_per_page", worst, unit="queries")
            result(
                "queries_growth_with_rules_or_projects",
                len(grew),
                unit="pages",
                target="0",
                met=not grew,
            )
            plan_label = "plan page"
            result(
                "queries_plan_page_steady",
                "/".join(str(c[plan_label][1]) for c in counts.values()),
                unit="queries (69 rules/1 project, 69/200, 1000/1, 1000/200)",
            )
            many = (EXTRA_RULES, MANY_PROJECTS)
            if many in timings:
                ms = f"{timings[many][plan_label]:.0f}"
                result("queries_plan_page_ms_1000_rules_200_projects", ms, unit="ms")
            return 1 if grew or problems else 0
        finally:
            shutil.rmtree(cache_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
