"""Database queries per page: they must not grow with the number of rules or of projects.

In-process, settings planner.settings.test, a throwaway SQLite file. One user whose project
holds the answers of the largest example; the Django test client counts the queries of every
wizard page, the review, the project pages and the plan page and downloads, in four states:

    the default rules or 1,000 (the defaults plus synthetic variants of them, new keys, enabled)
    x 1 project or 200 projects for the user

For each state the first request after the change (may compile the rules) and the steady state
(the next requests) are counted. Then the teamwork pages (home with projects shared with the
user, members, milestones, a milestone, the plan, a diff, checklist, notes, review) are counted
with 1 and with 30 members, 30 milestones, every checklist item ticked, 200 shared projects and
30 notes. Exits 1 when a steady-state count is higher than in the smallest state.

    .venv/bin/python bench/bench_queries.py [--no-pdf]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
        ("configuration preview", "GET", f"/projects/{code}/plan/config/"),
        ("configuration zip", "GET", f"/projects/{code}/plan/config.zip"),
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
    from planner.models import Membership, Project

    user.projects.exclude(pk=keep.pk).delete()
    created = Project.objects.bulk_create(
        Project(owner=user, name=f"Other project {i}", answers=answers) for i in range(total - 1)
    )
    # bulk_create skips Project.save(), which makes the creator an owner member.
    Membership.objects.bulk_create(Membership(project=p, user=user, role="owner") for p in created)
    return user.projects.count()


@dataclass
class Bench:
    """What the counting needs: the client, the user and their project, the pages."""

    client: Any
    user: Any
    project: Any
    answers: dict
    largest: str
    defaults: list
    page_list: list[tuple[str, str, str]]


@dataclass
class Measured:
    """Query counts (first, second, third request) and steady-state times per state and page."""

    counts: dict[tuple[int, int], dict[str, tuple[int, ...]]] = field(default_factory=dict)
    timings: dict[tuple[int, int], dict[str, float]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def set_up(with_pdf: bool) -> Bench:
    """Migrate, load the default rules, create the user and the project; list the pages."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command, get_commands
    from django.urls import Resolver404, resolve
    from django.utils import timezone

    from planner import catalog
    from planner.models import Project, Rule
    from tests.helpers import signed_in_client

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
    client = signed_in_client(user)
    page_list = []
    for label, method, url in pages(code, largest, with_pdf=with_pdf):
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
    return Bench(client, user, project, answers, largest, defaults, page_list)


def measure(bench: Bench) -> Measured:
    """Count every page three times in each state (rules x projects)."""
    states = [(len(bench.defaults), 1), (len(bench.defaults), MANY_PROJECTS)]
    states += [(EXTRA_RULES, 1), (EXTRA_RULES, MANY_PROJECTS)]
    measured = Measured()
    for rules_total, projects_total in states:
        n_rules = set_rules(rules_total, bench.defaults)
        n_projects = set_projects(bench.user, projects_total, bench.answers, bench.project)
        state = (n_rules, n_projects)
        measured.counts[state], measured.timings[state] = {}, {}
        for label, method, url in bench.page_list:
            runs = measure_page(bench, measured, state, label, method, url)
            measured.counts[state][label] = tuple(q for q, _ in runs)
            measured.timings[state][label] = min(ms for _, ms in runs[1:])
            if runs[1][0] != runs[2][0]:
                measured.problems.append(
                    f"{label} ({state}): steady state not steady "
                    f"({runs[1][0]} then {runs[2][0]} queries)"
                )
    return measured


def measure_page(
    bench: Bench, measured: Measured, state: tuple[int, int], label: str, method: str, url: str
) -> list[tuple[int, float]]:
    """Return (queries, ms) of three requests to one page; note unexpected statuses."""
    runs = []
    for _ in range(3):
        payload = None
        if method == "POST":
            bench.project.refresh_from_db()
            payload = section_post(bench.largest, bench.project.answers, bench.project.version)
        queries, status, ms = count(bench.client, method, url, payload)
        expected = (302,) if method == "POST" else (200,)
        if status not in expected:
            measured.problems.append(f"{label} ({state}): HTTP {status}")
        runs.append((queries, ms))
    return runs


def print_tables(bench: Bench, measured: Measured) -> None:
    counts, timings = measured.counts, measured.timings
    headers = ["page"] + [f"{r} rules, {p} proj" for r, p in counts]
    rows = []
    for label, *_ in bench.page_list:
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
                for label, *_ in bench.page_list
            ],
        )
    )
    print()


def report(measured: Measured) -> int:
    """Print what grew and the problems, record the results; return the exit status."""
    counts, timings = measured.counts, measured.timings
    base = next(iter(counts))
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
    for line in measured.problems:
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
        unit="queries ("
        + ", ".join(
            f"{rules} rules/{projects} project{'s' if projects != 1 else ''}"
            for rules, projects in counts
        )
        + ")",
    )
    many = (EXTRA_RULES, MANY_PROJECTS)
    if many in timings:
        ms = f"{timings[many][plan_label]:.0f}"
        result("queries_plan_page_ms_1000_rules_200_projects", ms, unit="ms")
    return 1 if grew or measured.problems else 0


TEAM_FEW = {"members": 1, "milestones": 1, "ticked": 1, "shared": 1, "notes": 1}
TEAM_MANY = {"members": 30, "milestones": 30, "ticked": 10_000, "shared": 200, "notes": 30}


def set_team(project, user, plan_json: str, size: dict) -> dict:
    """Give the project ``size`` members, milestones, ticks and notes, and share ``size``
    other users' projects with the user; return what was made."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from planner import checklist
    from planner.models import ChecklistTick, Membership, Milestone, Project, QuestionComment
    from planner.plans import build_plan

    users = get_user_model().objects
    users.filter(username__startswith="team-").delete()  # their projects and memberships too
    project.milestones.all().delete()
    project.checklist_ticks.all().delete()
    project.comments.all().delete()
    members = users.bulk_create(
        users.model(username=f"team-{i}") for i in range(max(size["members"], 1))
    )
    Membership.objects.bulk_create(
        Membership(project=project, user=m, role="editor") for m in members[: size["members"]]
    )
    Milestone.objects.bulk_create(
        Milestone(
            project=project,
            number=n + 1,
            name=f"Milestone {n + 1}",
            created_by=members[0],
            answers=project.answers,
            rules=[],
            ruleset_version="bench",
            fingerprint="bench",
            plan_json=plan_json,
            page_html="<p>frozen</p>",
            pdf=b"%PDF-bench",
            pdf_filename="bench.pdf",
        )
        for n in range(size["milestones"])
    )
    items = sorted(checklist.item_keys(build_plan(project)))[: size["ticked"]]
    now = timezone.now()
    ChecklistTick.objects.bulk_create(
        ChecklistTick(project=project, item=i, done=True, changed_by=members[0], changed_at=now)
        for i in items
    )
    QuestionComment.objects.bulk_create(
        QuestionComment(project=project, question="company_name", text=f"note {n}", user=m)
        for n, m in zip(range(size["notes"]), members * size["notes"], strict=False)
    )
    shared = Project.objects.bulk_create(
        Project(owner=members[0], name=f"Shared {i}", answers=project.answers)
        for i in range(size["shared"])
    )
    Membership.objects.bulk_create(
        [Membership(project=p, user=members[0], role="owner") for p in shared]
        + [Membership(project=p, user=user, role="viewer") for p in shared]
    )
    return {**size, "ticked": len(items)}


def team_pages(code: str) -> list[tuple[str, str]]:
    base = f"/projects/{code}"
    return [
        ("home (shared with me)", "/"),
        ("project page", f"{base}/"),
        ("members", f"{base}/members/"),
        ("milestones", f"{base}/milestones/"),
        ("milestone page", f"{base}/plan/?milestone=1"),
        ("plan page", f"{base}/plan/"),
        ("diff 1 -> current", f"{base}/diff/?from=1&to=current"),
        ("checklist", f"{base}/checklist/"),
        ("notes", f"{base}/notes/"),
        ("review", f"{base}/review/"),
    ]


def count_teamwork(client, project, user) -> tuple[list[str], dict]:
    """Count steady-state queries per teamwork page with few and with many of everything."""
    from planner.milestones import plan_json_text
    from planner.plans import build_plan

    plan_json = plan_json_text(build_plan(project))
    counts: dict[str, dict[str, int]] = {}
    made = {}
    for label, size in (("few", TEAM_FEW), ("many", TEAM_MANY)):
        made[label] = set_team(project, user, plan_json, size)
        counts[label] = {}
        for page, url in team_pages(str(project.code)):
            runs = [count(client, "GET", url, None) for _ in range(3)]
            if any(status != 200 for _, status, _ in runs):
                counts[label][page] = -runs[0][1]  # negative: the HTTP status, a problem
            else:
                counts[label][page] = runs[2][0]
    grew = [
        f"{page}: {counts['few'][page]} -> {counts['many'][page]} queries"
        for page in counts["few"]
        if counts["many"][page] > counts["few"][page] or counts["few"][page] < 0
    ]
    return grew, {"counts": counts, "made": made}


def report_teamwork(bench: Bench) -> list[str]:
    """Count the teamwork pages with few and many members, milestones, ticks, shares, notes."""
    set_rules(len(bench.defaults), bench.defaults)
    set_projects(bench.user, 1, bench.answers, bench.project)
    team_grew, team = count_teamwork(bench.client, bench.project, bench.user)
    made = team["made"]
    print(
        f"Teamwork pages ({len(bench.defaults)} rules), steady-state queries. few: "
        + ", ".join(f"{k} {v}" for k, v in made["few"].items())
        + "; many: "
        + ", ".join(f"{k} {v}" for k, v in made["many"].items())
    )
    rows = [[p, team["counts"]["few"][p], team["counts"]["many"][p]] for p in team["counts"]["few"]]
    print(table(["page", "few", "many"], rows))
    for line in team_grew:
        print("GREW (teamwork): " + line)
    result(
        "queries_growth_with_members_milestones_ticks",
        len(team_grew),
        unit="pages",
        target="0",
        met=not team_grew,
    )
    return team_grew


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="skip plan.pdf (slow to render)")
    args = parser.parse_args(argv)

    with workdir("planner-bench-queries-") as wd:
        configure(wd / "db.sqlite3")
        from django.conf import settings

        cache_dir = Path(settings.PLANNER_GENERATED_DIR)
        try:
            bench = set_up(with_pdf=not args.no_pdf)
            measured = measure(bench)
            print_tables(bench, measured)
            status = report(measured)
            return 1 if report_teamwork(bench) else status
        finally:
            shutil.rmtree(cache_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
