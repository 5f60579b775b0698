"""The architecture plan (spec/plan.md): built once, rendered as HTML, SVG, PDF, JSON and text.

``build_plan(project)`` and ``build_plan_from_answers(answers, ...)`` return one immutable
``Plan``. Everything a template shows is decided here; templates only display it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from planner import catalog, diagram, rules, textsafety
from planner.models import PRIORITY_ORDER, SECTION_CHOICES
from planner.topology import Topology, derive_topology

__all__ = [
    "PLAN_FORMAT_VERSION",
    "PLAN_SCHEMA",
    "Plan",
    "build_plan",
    "build_plan_from_answers",
    "compute_fingerprint",
    "plan_to_json",
    "template_digest",
]

PLAN_SCHEMA = "planner.plan/1"
# Bump when the plan's content or layout changes in code (the templates are hashed separately).
PLAN_FORMAT_VERSION = "plan-format/1"

# The files whose content shapes a rendered plan; their hash is part of the fingerprint.
TEMPLATE_FILES = (
    "templates/pdf",
    "templates/planner/plan.html",
    "templates/planner/plan",
    "static/css/pdf.css",
)

SECTION_TITLES = dict(SECTION_CHOICES)
PRIORITY_LABELS = {"must": "Must", "should": "Should", "consider": "Consider"}
PURPOSE_LABELS = {
    "primary": "Primary",
    "workforce": "Workforce",
    "regional": "Regional",
    "dedicated": "Dedicated (per customer)",
}
TAG_LABELS = {"production": "Production", "staging": "Staging", "development": "Development"}
NOT_ANSWERED = "Not answered"


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    section: str = ""  # the questionnaire section to fix it in, when there is one


@dataclass(frozen=True)
class RecommendationGroup:
    section: str
    title: str
    recommendations: tuple  # FiredRule, must first, then should, then consider


@dataclass(frozen=True)
class InventoryRow:
    name: str
    purpose: str
    environment: str
    environment_tag: str
    region: str
    custom_domain: str
    per_customer: bool


@dataclass(frozen=True)
class ChecklistItem:
    rule: str
    priority: str
    title: str


@dataclass(frozen=True)
class ChecklistGroup:
    section: str
    title: str
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class AppendixAnswer:
    key: str
    label: str
    answer: str
    answered: bool


@dataclass(frozen=True)
class AppendixSection:
    section: str
    title: str
    answers: tuple[AppendixAnswer, ...]


@dataclass(frozen=True)
class Decision:
    topic: str
    text: str


@dataclass(frozen=True)
class Summary:
    paragraph: str
    decisions: tuple[Decision, ...]
    counts: Mapping[str, int]  # must, should, consider


@dataclass(frozen=True)
class Plan:
    name: str
    company: str
    author: str
    date: datetime.date
    questionnaire_version: str
    ruleset_version: str
    fingerprint: str
    tenant_prefix: str
    topology: Topology
    facts: Mapping[str, object]
    organizations: bool
    recommendations: tuple  # FiredRule, in the rule set's order
    recommendation_groups: tuple[RecommendationGroup, ...]
    warnings: tuple[Warning, ...]
    checklist: tuple[ChecklistGroup, ...]
    summary: Summary
    appendix: tuple[AppendixSection, ...]
    answers: Mapping[str, object]  # effective answers, catalog order
    svg: str

    @property
    def inventory(self) -> tuple[InventoryRow, ...]:
        """Return the tenant inventory with display labels."""
        per_customer = {pt.stem for pt in self.topology.production_tenants if pt.per_customer}
        return tuple(
            InventoryRow(
                name=t.name,
                purpose=PURPOSE_LABELS.get(t.purpose, t.purpose),
                environment=t.environment,
                environment_tag=TAG_LABELS.get(t.environment_tag, t.environment_tag),
                region=t.region or "—",
                custom_domain=t.custom_domain or "—",
                per_customer=t.stem in per_customer,
            )
            for t in self.topology.tenants
        )

    @property
    def complete(self) -> bool:
        return not any(w.code in ("incomplete", "answer-invalid") for w in self.warnings)

    @property
    def filename_stem(self) -> str:
        """Return the stem of download file names: the tenant prefix, else the project slug."""
        return self.tenant_prefix or slugify(self.name) or "plan"


# --------------------------------------------------------------------------- fingerprint


def _template_paths(base: Path, entries) -> list[Path]:
    paths: list[Path] = []
    for entry in entries:
        path = base / entry
        if path.is_dir():
            paths.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        elif path.is_file():
            paths.append(path)
    return paths


def current_template_digest() -> str:
    """Return template_digest() of the installed templates; computed once unless DEBUG.

    In production templates change only with a deploy (a new process); in development they are
    edited live, so the digest is recomputed on every plan.
    """
    if settings.DEBUG:
        return template_digest()
    return _installed_template_digest()


@cache
def _installed_template_digest() -> str:
    return template_digest()


def template_digest(base: Path | None = None, entries=TEMPLATE_FILES) -> str:
    """Return a sha256 over the names and contents of the plan's template and CSS files."""
    base = Path(settings.BASE_DIR) if base is None else base
    digest = hashlib.sha256()
    for path in _template_paths(base, entries):
        digest.update(path.relative_to(base).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def compute_fingerprint(
    answers: Mapping,
    *,
    name: str,
    author: str,
    ruleset_version: str,
    templates: str,
    questionnaire_version: str = catalog.CATALOG_VERSION,
) -> str:
    """Return the sha256 of everything a rendered plan depends on."""
    payload = {
        "answers": answers,
        "name": name,
        "author": author,
        "questionnaire_version": questionnaire_version,
        "ruleset_version": ruleset_version,
        "format": PLAN_FORMAT_VERSION,
        "templates": templates,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# --------------------------------------------------------------------------- warnings


def _answer_warnings(answers: Mapping) -> list[Warning]:
    """Return one "incomplete" warning per section with unanswered questions, and one
    "answer-invalid" warning per invalid answer."""
    warnings: list[Warning] = []
    for section_key, errors in catalog.validate_all(answers).items():
        title = catalog.section(section_key).title
        missing = []
        for key, messages in errors.items():
            question = catalog.QUESTIONS[key]
            if catalog.is_empty(answers.get(key)):
                missing.append(question.label)
            else:
                for message in messages:
                    warnings.append(
                        Warning(
                            "answer-invalid",
                            f"{title}: “{question.label}”: {message}",
                            section_key,
                        )
                    )
        if missing:
            count = len(missing)
            listed = "; ".join(f"“{label}”" for label in missing)
            warnings.append(
                Warning(
                    "incomplete",
                    f"{title}: {count} question{'s' if count != 1 else ''} "
                    f"not answered yet: {listed}.",
                    section_key,
                )
            )
    order = {s.key: i for i, s in enumerate(catalog.SECTIONS)}
    warnings.sort(key=lambda w: (order.get(w.section, 99), w.code != "incomplete"))
    return warnings


# --------------------------------------------------------------------------- summary


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _label(answers: Mapping, key: str) -> str:
    return catalog.answer_label(key, answers.get(key))


def _environment_names(answers: Mapping) -> list[str]:
    selected = answers.get("environments") or []
    return [c.value for c in catalog.QUESTIONS["environments"].choices if c.value in selected]


def _decisions(answers: Mapping, topology: Topology, organizations: bool) -> list[Decision]:
    decisions = []
    pts = topology.production_tenants
    if pts:
        described = []
        for pt in pts:
            kind = PURPOSE_LABELS.get(pt.purpose, pt.purpose).lower()
            described.append(
                f"{pt.stem} ({kind}, {pt.region or 'region not chosen'}): " + " ".join(pt.reasons)
            )
        decisions.append(
            Decision(
                "Production tenants",
                f"{_plural(len(pts), 'production tenant')}. " + " ".join(described),
            )
        )
    else:
        decisions.append(
            Decision("Production tenants", "None derived yet: set the tenant prefix first.")
        )
    if organizations:
        decisions.append(
            Decision(
                "Organizations",
                "Auth0 Organizations, one Organization per business customer, in the "
                "primary tenant.",
            )
        )
    elif answers.get("user_communities"):
        decisions.append(
            Decision("Organizations", "Not used: business customers are not a user community.")
        )
    else:
        decisions.append(Decision("Organizations", "Not decided yet: choose the user communities."))
    if answers.get("use_custom_domain") == "yes":
        prod = [pt.custom_domain for pt in pts if pt.custom_domain]
        text = f"{_label(answers, 'domain_strategy')}"
        if prod:
            text += f": {_join(prod)} in production"
        if answers.get("custom_domain_nonprod") == "yes":
            text += ", with custom domains in the other environments too"
        decisions.append(Decision("Login domain", text + "."))
    elif answers.get("use_custom_domain"):
        decisions.append(
            Decision(
                "Login domain",
                f"No custom domain yet ({_label(answers, 'use_custom_domain')}): users sign "
                "in on the Auth0 default domains.",
            )
        )
    else:
        decisions.append(Decision("Login domain", "Not decided yet."))
    environments = _environment_names(answers)
    if environments:
        text = f"{_join(environments)} for every production tenant"
        sandboxes = [t.name for t in topology.tenants if t.environment == "sandbox"]
        if sandboxes:
            text += f", plus {len(sandboxes)} sandbox{'' if len(sandboxes) == 1 else 'es'}"
        decisions.append(
            Decision("Environments", f"{text}; {_plural(len(topology.tenants), 'tenant')} in all.")
        )
    else:
        decisions.append(Decision("Environments", "Not chosen yet."))
    if answers.get("config_management"):
        text = _label(answers, "config_management")
        if answers.get("cicd_pipeline") == "yes":
            text += ", deployed by a CI/CD pipeline"
        elif answers.get("cicd_pipeline") == "no":
            text += ", without a CI/CD pipeline yet"
        decisions.append(Decision("Configuration management", text + "."))
    else:
        decisions.append(Decision("Configuration management", "Not chosen yet."))
    return decisions


def _summary_paragraph(
    company: str, answers: Mapping, topology: Topology, organizations: bool, counts: Mapping
) -> str:
    who = company or "This project"
    pts = topology.production_tenants
    if not pts:
        return (
            f"{who} has no tenant topology yet: the questionnaire is not far enough along to "
            "derive tenant names. The recommendations below follow from the answers given so far."
        )
    stems = _join([pt.stem + (" (one per customer)" if pt.per_customer else "") for pt in pts])
    if topology.tenants:
        total_tenants = (
            f"{_plural(len(topology.tenants), 'tenant')} in all once every environment is counted."
        )
    else:
        total_tenants = "with the environments still to be chosen."
    parts = [
        f"{who} runs Auth0 in {_plural(len(pts), 'production tenant')} ({stems}), {total_tenants}"
    ]
    if organizations:
        parts.append(
            "Business customers are modelled as Auth0 Organizations in the primary tenant."
        )
    domains = [pt.custom_domain for pt in pts if pt.custom_domain]
    if domains:
        parts.append(f"Users sign in on {_join(domains)}.")
    total = sum(counts.values())
    parts.append(
        f"The plan holds {counts['must']} must, {counts['should']} should and "
        f"{counts['consider']} consider recommendation{'' if total == 1 else 's'}."
    )
    return " ".join(parts)


# --------------------------------------------------------------------------- building


def _grouped(recommendations) -> tuple[RecommendationGroup, ...]:
    groups = []
    for key, title in SECTION_CHOICES:
        recs = sorted(
            (r for r in recommendations if r.section == key),
            key=lambda r: PRIORITY_ORDER.get(r.priority, 9),
        )
        if recs:
            groups.append(RecommendationGroup(key, title, tuple(recs)))
    return tuple(groups)


def _checklist(groups: tuple[RecommendationGroup, ...]) -> tuple[ChecklistGroup, ...]:
    checklist = []
    for group in groups:
        items = tuple(
            ChecklistItem(r.key, r.priority, r.title)
            for r in group.recommendations
            if r.priority in ("must", "should")
        )
        if items:
            checklist.append(ChecklistGroup(group.section, group.title, items))
    return tuple(checklist)


def _appendix(answers: Mapping) -> tuple[AppendixSection, ...]:
    visible = catalog.visible_keys(answers)
    sections = []
    for section in catalog.SECTIONS:
        rows = []
        for question in section.questions:
            if question.key not in visible:
                continue
            value = answers.get(question.key)
            answered = not catalog.is_empty(value)
            rows.append(
                AppendixAnswer(
                    question.key,
                    question.label,
                    catalog.answer_label(question.key, value) if answered else NOT_ANSWERED,
                    answered,
                )
            )
        sections.append(AppendixSection(section.key, section.title, tuple(rows)))
    return tuple(sections)


def build_plan_from_answers(
    answers: Mapping,
    *,
    name: str,
    author: str = "",
    date: datetime.date | None = None,
    ruleset: rules.CompiledRuleset | None = None,
) -> Plan:
    """Return the plan for these stored answers and the enabled rules."""
    answers = answers if isinstance(answers, Mapping) else {}
    effective = catalog.effective_answers(answers)
    topology = derive_topology(effective)
    facts = topology.facts
    evaluation = rules.evaluate({**effective, **facts}, ruleset)
    recommendations = tuple(evaluation.fired)
    organizations = "b2b_customers" in (effective.get("user_communities") or [])

    warnings = [Warning(issue.code, issue.message) for issue in topology.issues]
    warnings.extend(_answer_warnings(answers))
    warnings.extend(
        Warning(
            "rule-failed", f"The rule “{failure.key}” could not be evaluated: {failure.message}"
        )
        for failure in evaluation.failures
    )

    groups = _grouped(recommendations)
    counts = {p: sum(1 for r in recommendations if r.priority == p) for p in PRIORITY_ORDER}
    company = str(effective.get("company_name") or "")
    summary = Summary(
        paragraph=_summary_paragraph(company, effective, topology, organizations, counts),
        decisions=tuple(_decisions(effective, topology, organizations)),
        counts=MappingProxyType(counts),
    )
    fingerprint = compute_fingerprint(
        effective,
        name=name,
        author=author,
        ruleset_version=evaluation.ruleset_version,
        templates=current_template_digest(),
    )
    return Plan(
        name=name,
        company=company,
        author=author,
        date=date or timezone.localdate(),
        questionnaire_version=catalog.CATALOG_VERSION,
        ruleset_version=evaluation.ruleset_version,
        fingerprint=fingerprint,
        tenant_prefix=str(effective.get("tenant_prefix") or ""),
        topology=topology,
        facts=facts,
        organizations=organizations,
        recommendations=recommendations,
        recommendation_groups=groups,
        warnings=tuple(warnings),
        checklist=_checklist(groups),
        summary=summary,
        appendix=_appendix(answers),
        answers=MappingProxyType(effective),
        svg=diagram.render_svg(
            topology, organizations=organizations, title=f"{name}: tenant topology"
        ),
    )


def _author(user) -> str:
    if user is None:
        return ""
    return textsafety.visible_or_empty(user.get_full_name()) or user.get_username()


def build_plan(project) -> Plan:
    """Return the plan of a saved project, dated by the last change of the project."""
    updated = project.updated_at
    date = timezone.localtime(updated).date() if updated else None
    return build_plan_from_answers(
        # Text stored before invisible characters were refused must not reorder the plan.
        textsafety.clean_answers(project.answers),
        name=textsafety.clean(project.name, multiline=False),
        author=_author(project.owner),
        date=date,
    )


# --------------------------------------------------------------------------- JSON


def _reference(ref) -> dict:
    if isinstance(ref, Mapping):
        return {"title": ref.get("title", ""), "url": ref.get("url", "")}
    title, url = ref
    return {"title": title, "url": url}


def plan_to_json(plan: Plan) -> dict:
    """Return the plan as the public ``planner.plan/1`` document (spec/plan.md §4)."""
    answers: dict[str, dict] = {}
    for section in catalog.SECTIONS:
        values = {q.key: plan.answers[q.key] for q in section.questions if q.key in plan.answers}
        if values:
            answers[section.key] = values
    return {
        "schema": PLAN_SCHEMA,
        "project": {"name": plan.name, "company": plan.company},
        "questionnaire_version": plan.questionnaire_version,
        "ruleset_version": plan.ruleset_version,
        "fingerprint": plan.fingerprint,
        "facts": dict(plan.facts),
        "production_tenants": [
            {
                "purpose": pt.purpose,
                "stem": pt.stem,
                "region": pt.region,
                "reasons": list(pt.reasons),
            }
            for pt in plan.topology.production_tenants
        ],
        "tenants": [
            {
                "name": t.name,
                "purpose": t.purpose,
                "environment": t.environment,
                "environment_tag": t.environment_tag,
                "region": t.region,
                "custom_domain": t.custom_domain or None,
            }
            for t in plan.topology.tenants
        ],
        "recommendations": [
            {
                "rule": r.key,
                "section": r.section,
                "priority": r.priority,
                "title": r.title,
                "recommendation": r.recommendation,
                "rationale": r.rationale,
                "references": [_reference(ref) for ref in r.references],
                "reasons": [
                    {"question": reason.question, "label": reason.label, "answer": reason.answer}
                    for reason in r.reasons
                ],
            }
            for r in plan.recommendations
        ],
        "warnings": [{"code": w.code, "message": w.message} for w in plan.warnings],
        "answers": answers,
    }
