"""Milestones: save a frozen version of a project's plan, and compare any two versions.

A milestone stores everything it shows (answers, the enabled rules' content, plan JSON, plan
page, PDF), rendered once when saved: later edits of answers or rules never reach it. A
"version" is a milestone or the project as it is now; ``compare`` diffs any two.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from planner import catalog, pdf, rulefile, rules, tasks, teamwork, textsafety
from planner.models import Milestone, Project, Rule, RuleChange
from planner.plans import Plan, build_plan, build_plan_from_answers, plan_to_json
from planner.teamwork import Teamwork

CURRENT = "current"


def plan_json_text(plan: Plan) -> str:
    """Return the plan JSON exactly as the download serves it."""
    return json.dumps(plan_to_json(plan), indent=2)


def enabled_rules_content() -> list[dict]:
    """Return the enabled rules' full content, in rule-file order."""
    return rulefile.export_data(Rule.objects.filter(enabled=True))["rules"]


def document_version(number: int, name: str, when) -> str:
    """Return the text naming a milestone as the document version (PDF cover)."""
    return f"Milestone {number}: {name} ({timezone.localtime(when):%-d %B %Y})"


def _pdf_values(plan: Plan, version: str, printed: Teamwork) -> dict[str, Any]:
    """Return the milestone's PDF fields: rendered now (inline mode) or its print document,
    for a worker to render once (the bytes then land in the row and never change)."""
    html = pdf.plan_html(plan, version=version, status="Milestone", teamwork=printed)
    if settings.PLANNER_PDF_INLINE:
        return {"pdf": pdf.html_to_pdf(html), "pdf_key": "", "pdf_html": ""}
    return {"pdf": b"", "pdf_key": tasks.print_key(html), "pdf_html": html}


def create(project: Project, user, name: str, note: str = "", *, finished: bool) -> Milestone:
    """Freeze the project's plan now as the next milestone; its PDF rendered once."""
    plan = build_plan(project)
    now = timezone.now()
    next_number = (project.milestones.aggregate(n=Max("number"))["n"] or 0) + 1
    printed = teamwork.for_print(project, plan)
    page_html = render_to_string(
        "planner/plan/_body.html",
        {"plan": plan, "project": project, "live": False, "checklist_groups": printed.checklist},
    )
    stem = pdf.pdf_filename(plan).removesuffix("-architecture-plan.pdf")
    values = dict(
        project=project,
        name=name,
        note=note,
        created_by=user,
        answers=dict(project.answers or {}),
        rules=enabled_rules_content(),
        ruleset_version=plan.ruleset_version,
        fingerprint=plan.fingerprint,
        finished=finished,
        complete=plan.complete,
        plan_json=plan_json_text(plan),
        page_html=page_html,
        svg=plan.svg,
        pdf_filename=f"{stem}-milestone-{next_number}.pdf",
        **_pdf_values(plan, document_version(next_number, name, now), printed),
    )
    try:
        with transaction.atomic():
            milestone = Milestone.objects.create(number=next_number, **values)
    except IntegrityError:
        # Another member saved a milestone at the same moment: take the next number. The PDF
        # cover would then name a number one lower, so print it again with the right one.
        with transaction.atomic():
            number = (project.milestones.aggregate(n=Max("number"))["n"] or 0) + 1
            values.update(_pdf_values(plan, document_version(number, name, now), printed))
            values["pdf_filename"] = f"{stem}-milestone-{number}.pdf"
            milestone = Milestone.objects.create(number=number, **values)
    if milestone.pdf_pending:
        tasks.milestone_pdf(milestone)  # queued now; a worker copies the bytes in when done
    return milestone


def frozen_plan(milestone: Milestone) -> Plan:
    """Return the milestone's plan built again from its frozen answers and rules.

    For what a milestone does not store as a file (the configuration export): later edits of
    the project's answers or rules never reach it.
    """
    saved = json.loads(milestone.plan_json or "{}").get("project") or {}
    plan = build_plan_from_answers(
        textsafety.clean_answers(milestone.answers),
        name=str(saved.get("name") or milestone.project.name),
        date=timezone.localtime(milestone.created_at).date(),
        ruleset=rules.CompiledRuleset.build(milestone.rules),
    )
    # The fingerprint the milestone was saved with (its page, PDF and JSON show it), not one
    # computed again with today's templates.
    return replace(plan, fingerprint=milestone.fingerprint)


def listing(project: Project):
    """Return the project's milestones, newest first, without their large fields."""
    return (
        project.milestones.select_related("created_by")
        .defer("pdf", "pdf_html", "page_html", "plan_json", "answers", "rules")
        .order_by("-number")
    )


def latest(project: Project) -> Milestone | None:
    """Return the project's latest milestone (all fields but the PDF), or None."""
    return project.milestones.defer("pdf", "pdf_html", "page_html").order_by("-number").first()


# --------------------------------------------------------------------------------------------
# Versions and their differences


@dataclass
class Version:
    """A milestone or the current state, as plain data to compare."""

    key: str  # "current" or the milestone number as text
    label: str
    answers: dict
    plan: dict
    rules: list[dict]
    saved_at: datetime.datetime | None = None  # set for milestones
    milestone: Milestone | None = field(default=None, repr=False)


def current_version(project: Project, plan: Plan | None = None) -> Version:
    plan = plan or build_plan(project)
    return Version(
        key=CURRENT,
        label="Current answers",
        answers=dict(project.answers or {}),
        plan=plan_to_json(plan),
        rules=enabled_rules_content(),
    )


def milestone_version(milestone: Milestone) -> Version:
    return Version(
        key=str(milestone.number),
        label=f"Milestone {milestone.number}: {milestone.name}",
        answers=dict(milestone.answers),
        plan=json.loads(milestone.plan_json),
        rules=list(milestone.rules),
        saved_at=milestone.created_at,
        milestone=milestone,
    )


def version(project: Project, key: str) -> Version | None:
    """Return the version a key names ("current" or a milestone number), or None."""
    if key == CURRENT:
        return current_version(project)
    if not key.isdigit():
        return None
    milestone = (
        project.milestones.defer("pdf", "pdf_html", "page_html").filter(number=int(key)).first()
    )
    return milestone_version(milestone) if milestone else None


def _question_label(key: str) -> str:
    return catalog.QUESTIONS[key].label if key in catalog.QUESTIONS else key


def _answer_text(key: str, value: object) -> str:
    if key in catalog.QUESTIONS:
        return catalog.answer_label(key, value)
    return "Not answered" if value is None else str(value)


def _answers_diff(before: dict, after: dict) -> list[dict]:
    order = {key: index for index, key in enumerate(catalog.QUESTIONS)}
    keys = sorted(
        (k for k in {**before, **after} if before.get(k) != after.get(k)),
        key=lambda k: (order.get(k, len(order)), k),
    )
    return [
        {
            "question": key,
            "label": _question_label(key),
            "before": _answer_text(key, before.get(key)),
            "after": _answer_text(key, after.get(key)),
        }
        for key in keys
    ]


def _keyed_diff(before: list[dict], after: list[dict], key: str, fields: tuple) -> dict:
    old = {item[key]: item for item in before}
    new = {item[key]: item for item in after}
    changed = []
    for name in old.keys() & new.keys():
        fields_changed = {
            f: [old[name].get(f), new[name].get(f)]
            for f in fields
            if old[name].get(f) != new[name].get(f)
        }
        if fields_changed:
            changed.append({key: name, "changes": fields_changed, "title": new[name].get("title")})
    return {
        "added": [new[name] for name in new if name not in old],
        "removed": [old[name] for name in old if name not in new],
        "changed": sorted(changed, key=lambda c: c[key]),
    }


TENANT_FIELDS = ("purpose", "environment", "environment_tag", "region", "custom_domain")
RECOMMENDATION_FIELDS = ("priority", "title", "recommendation", "rationale", "section")
RULE_FIELDS = tuple(rules.CONTENT_FIELDS)


def _warnings_diff(before: list[dict], after: list[dict]) -> dict:
    old = {(w["code"], w["message"]) for w in before}
    new = {(w["code"], w["message"]) for w in after}
    return {
        "added": [{"code": c, "message": m} for c, m in sorted(new - old)],
        "removed": [{"code": c, "message": m} for c, m in sorted(old - new)],
    }


def _blueprint_diff(before: dict, after: dict) -> dict:
    facts_b, facts_a = before.get("facts", {}), after.get("facts", {})
    facts = {
        name: [facts_b.get(name), facts_a.get(name)]
        for name in sorted({**facts_b, **facts_a})
        if facts_b.get(name) != facts_a.get(name)
    }
    return {
        "facts": facts,
        "production_tenants": _keyed_diff(
            before.get("production_tenants", []),
            after.get("production_tenants", []),
            "stem",
            ("purpose", "region", "reasons"),
        ),
    }


def _rule_authors(keys: set[str], since) -> dict[str, dict]:
    """Return, per rule key, who changed it last and when (after ``since`` when given)."""
    if not keys:
        return {}
    changes = RuleChange.objects.filter(rule_key__in=keys).select_related("user")
    if since is not None:
        changes = changes.filter(changed_at__gt=since)
    authors: dict[str, dict] = {}
    for change in changes.order_by("-changed_at", "-id"):
        if change.rule_key not in authors:
            authors[change.rule_key] = {
                "user": change.user.get_username() if change.user else "(deleted user)",
                "at": change.changed_at.isoformat(),
                "action": change.action,
            }
    return authors


def compare(a: Version, b: Version) -> dict:
    """Return what changed from version ``a`` to version ``b`` (JSON-ready)."""
    rule_diff = _keyed_diff(a.rules, b.rules, "key", RULE_FIELDS)
    keys = {r["key"] for r in rule_diff["added"] + rule_diff["removed"]}
    keys |= {r["key"] for r in rule_diff["changed"]}
    since = min((t for t in (a.saved_at, b.saved_at) if t is not None), default=None)
    authors = _rule_authors(keys, since)
    for group in ("added", "removed"):
        rule_diff[group] = [
            {"key": r["key"], "title": r.get("title", ""), "by": authors.get(r["key"])}
            for r in rule_diff[group]
        ]
    for entry in rule_diff["changed"]:
        entry["by"] = authors.get(entry["key"])
    diff: dict[str, Any] = {
        "schema": "planner.diff/1",
        "from": {"version": a.key, "label": a.label},
        "to": {"version": b.key, "label": b.label},
        "answers": _answers_diff(a.answers, b.answers),
        "tenants": _keyed_diff(a.plan["tenants"], b.plan["tenants"], "name", TENANT_FIELDS),
        "recommendations": _keyed_diff(
            a.plan["recommendations"], b.plan["recommendations"], "rule", RECOMMENDATION_FIELDS
        ),
        "warnings": _warnings_diff(a.plan.get("warnings", []), b.plan.get("warnings", [])),
        "blueprint": _blueprint_diff(a.plan, b.plan),
        "rules": rule_diff,
    }
    diff["identical"] = not any(
        [
            diff["answers"],
            *diff["tenants"].values(),
            *diff["recommendations"].values(),
            *diff["warnings"].values(),
            diff["blueprint"]["facts"],
            *diff["blueprint"]["production_tenants"].values(),
            *rule_diff.values(),
        ]
    )
    return diff


def since_latest(project: Project, plan: Plan) -> dict | None:
    """Return how the current plan differs from the latest milestone, and why; None if none.

    ``same`` is True when the plan is what the milestone froze (same fingerprint).
    """
    milestone = latest(project)
    if milestone is None:
        return None
    if milestone.fingerprint == plan.fingerprint:
        return {"milestone": milestone, "same": True}
    diff = compare(milestone_version(milestone), current_version(project, plan))
    return {
        "milestone": milestone,
        "same": False,
        "answers": diff["answers"],
        "rules": diff["rules"],
        "recommendations": diff["recommendations"],
        "other_reason": not diff["answers"] and not any(diff["rules"].values()),
    }
