"""The architecture plan: built once, rendered as HTML, SVG, PDF, JSON and text.

``make_plan(answers, ...)`` turns read ``Answers`` into one immutable ``Plan``;
``build_plan(project)`` and ``build_plan_from_answers(raw, ...)`` are the boundaries that read the
stored mapping once.
Everything a template shows is decided here; templates only display it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from planner import blueprint, catalog, diagram, rules, textsafety
from planner.answers import NOT_ANSWERED, Answers
from planner.decisions import DecisionRecord, decision_records
from planner.models import PRIORITY_ORDER, RECOMMENDATION_PRIORITIES, SECTION_CHOICES
from planner.topology import PURPOSE_LABELS, Topology

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

    from planner.models import Project

JsonObject = dict[str, Any]  # a JSON object as json.dumps takes it

__all__ = [
    "PLAN_FORMAT_VERSION",
    "PLAN_SCHEMA",
    "Plan",
    "build_plan",
    "build_plan_from_answers",
    "make_plan",
    "compute_fingerprint",
    "plan_to_json",
    "template_digest",
]

PLAN_SCHEMA = "planner.plan/2"
# Bump when the plan's content or layout changes in code (the templates are hashed separately).
PLAN_FORMAT_VERSION = "plan-format/3"  # 3: diagram titles wrap, names fit their boxes

# The files whose content shapes a rendered plan; their hash is part of the fingerprint.
TEMPLATE_FILES = (
    "templates/pdf",
    "templates/planner/plan.html",
    "templates/planner/plan",
    "static/css/pdf.css",
)

SECTION_TITLES = dict(SECTION_CHOICES)
PRIORITY_LABELS = {
    "conflict": "Conflict",
    "must": "Must",
    "should": "Should",
    "consider": "Consider",
}
TAG_LABELS = {"production": "Production", "staging": "Staging", "development": "Development"}


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    section: str = ""  # the questionnaire section to fix it in, when there is one


@dataclass(frozen=True)
class RecommendationGroup:
    section: str
    title: str
    recommendations: tuple[rules.FiredRule, ...]  # must first, then should, then consider


@dataclass(frozen=True)
class InventoryRow:
    name: str
    purpose: str
    environment: str
    environment_tag: str
    region: str
    custom_domain: str
    per_customer: bool
    custom_domains: tuple[str, ...] = ()  # every custom domain ("—" shown when none)
    existing: bool = False


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
    recommendations: tuple[rules.FiredRule, ...]  # in the rule set's order, no conflicts
    recommendation_groups: tuple[RecommendationGroup, ...]
    warnings: tuple[Warning, ...]
    checklist: tuple[ChecklistGroup, ...]
    summary: Summary
    decisions: tuple[DecisionRecord, ...]  # context, options, choice, consequences
    appendix: tuple[AppendixSection, ...]
    answers: Mapping[str, object]  # effective answers, catalog order
    svg: str
    # The roster's blueprint (docs/plan-json.md), DNS records and usage; empty without one.
    customers: tuple[blueprint.CustomerEntry, ...] = ()
    dns_records: tuple[blueprint.DnsRecord, ...] = ()
    usage: blueprint.Usage | None = None
    conflicts: tuple[rules.FiredRule, ...] = ()  # priority "conflict", rule set's order

    @property
    def customers_by_tenant(self) -> tuple[tuple[str, tuple[blueprint.CustomerEntry, ...]], ...]:
        """Return the blueprint grouped by production stem, in the order the stems first appear."""
        groups: dict[str, list[blueprint.CustomerEntry]] = {}
        for entry in self.customers:
            groups.setdefault(entry.tenant, []).append(entry)
        return tuple((stem, tuple(entries)) for stem, entries in groups.items())

    @property
    def dedicated_customers(self) -> tuple[blueprint.CustomerEntry, ...]:
        """Return the blueprint's customers with a tenant of their own, in roster order."""
        return tuple(entry for entry in self.customers if entry.hosting == "dedicated")

    @property
    def shared_customers_by_tenant(
        self,
    ) -> tuple[tuple[str, tuple[blueprint.CustomerEntry, ...]], ...]:
        """Return ``customers_by_tenant`` without the tenants of dedicated customers."""
        return tuple(
            (stem, shared)
            for stem, entries in self.customers_by_tenant
            if (shared := tuple(e for e in entries if e.hosting != "dedicated"))
        )

    ruleset_release: str = ""  # e.g. "default rules, release 2", for the colophon

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
                custom_domains=t.custom_domains,
                existing=t.existing,
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


def _template_paths(base: Path, entries: Iterable[str]) -> list[Path]:
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


def template_digest(base: Path | None = None, entries: Iterable[str] = TEMPLATE_FILES) -> str:
    """Return a sha256 over the names and contents of the plan's template and CSS files."""
    base = Path(settings.BASE_DIR) if base is None else base
    digest = hashlib.sha256()
    for path in _template_paths(base, entries):
        digest.update(path.relative_to(base).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def compute_fingerprint(
    answers: Mapping[str, object],
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


def _section_warnings(answers: Answers, section_key: str, keys: list[str]) -> list[Warning]:
    """Return one "answer-invalid" warning per invalid answer, then one "incomplete" warning."""
    title = catalog.section(section_key).title
    warnings: list[Warning] = []
    missing = []
    for key in keys:
        question = catalog.QUESTIONS[key]
        if answers.missing(key):
            missing.append(question.label)
            continue
        warnings.extend(
            Warning("answer-invalid", f"{title}: “{question.label}”: {message}", section_key)
            for message in answers.errors[key]
        )
    if missing:
        count = len(missing)
        listed = "; ".join(f"“{label}”" for label in missing)
        warnings.insert(
            0,
            Warning(
                "incomplete",
                f"{title}: {count} question{'s' if count != 1 else ''} not answered yet: {listed}.",
                section_key,
            ),
        )
    return warnings


def _open_item_warning(answers: Answers, section: catalog.Section) -> list[Warning]:
    """Return one "open" warning listing a section's unanswered optional questions, if any."""
    questions = catalog.open_items(answers, section.key)
    if not questions:
        return []
    listed = "; ".join(f"“{q.label}”" for q in questions)
    message = f"{section.title}: {section.open_items_note}: {listed}."
    return [Warning("open", message, section.key)]


def _answer_warnings(answers: Answers) -> list[Warning]:
    """Return, section by section, the "incomplete", "answer-invalid" and "open" warnings."""
    by_section: dict[str, list[str]] = {}
    for key in answers.errors:
        by_section.setdefault(catalog.QUESTIONS[key].section, []).append(key)
    warnings: list[Warning] = []
    for section in catalog.SECTIONS:
        if section.key in by_section:
            warnings.extend(_section_warnings(answers, section.key, by_section[section.key]))
        warnings.extend(_open_item_warning(answers, section))
    return warnings


# --------------------------------------------------------------------------- summary


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _label(answers: Answers, key: str) -> str:
    """Return the label of an answer that counts ("Not answered" for one that does not)."""
    return answers.label(key) if key in answers else NOT_ANSWERED


def _environment_names(answers: Mapping[str, object]) -> list[str]:
    selected = answers.get("environments")
    chosen = set(selected) if isinstance(selected, list | tuple) else set()
    return [c.value for c in catalog.QUESTIONS["environments"].choices if c.value in chosen]


def _production_decision(topology: Topology) -> Decision:
    pts = topology.production_tenants
    if not pts:
        return Decision("Production tenants", "None derived yet: set the tenant prefix first.")
    described = []
    for pt in pts:
        kind = PURPOSE_LABELS.get(pt.purpose, pt.purpose).lower()
        described.append(
            f"{pt.stem} ({kind}, {pt.region or 'region not chosen'}): " + " ".join(pt.reasons)
        )
    return Decision(
        "Production tenants",
        f"{_plural(len(pts), 'production tenant')}. " + " ".join(described),
    )


def _organizations_decision(answers: Mapping[str, object], organizations: bool) -> Decision:
    if organizations:
        return Decision(
            "Organizations",
            "Auth0 Organizations, one Organization per business customer, in the primary tenant.",
        )
    if answers.get("user_communities"):
        return Decision("Organizations", "Not used: business customers are not a user community.")
    return Decision("Organizations", "Not decided yet: choose the user communities.")


def _domain_decision(answers: Answers, topology: Topology) -> Decision:
    if answers.get("use_custom_domain") == "yes":
        prod = [pt.custom_domain for pt in topology.production_tenants if pt.custom_domain]
        text = f"{_label(answers, 'domain_strategy')}"
        if prod:
            text += f": {_join(prod)} in production"
        if answers.get("custom_domain_nonprod") == "yes":
            text += ", with custom domains in the other environments too"
        return Decision("Login domain", text + ".")
    if answers.get("use_custom_domain"):
        return Decision(
            "Login domain",
            f"No custom domain yet ({_label(answers, 'use_custom_domain')}): users sign "
            "in on the Auth0 default domains.",
        )
    return Decision("Login domain", "Not decided yet.")


def _environments_decision(answers: Mapping[str, object], topology: Topology) -> Decision:
    environments = _environment_names(answers)
    if not environments:
        return Decision("Environments", "Not chosen yet.")
    text = f"{_join(environments)} for every production tenant"
    sandboxes = [t.name for t in topology.tenants if t.environment == "sandbox"]
    if sandboxes:
        text += f", plus {len(sandboxes)} sandbox{'' if len(sandboxes) == 1 else 'es'}"
    return Decision("Environments", f"{text}; {_plural(len(topology.tenants), 'tenant')} in all.")


def _configuration_decision(answers: Answers) -> Decision:
    if not answers.get("config_management"):
        return Decision("Configuration management", "Not chosen yet.")
    text = _label(answers, "config_management")
    if answers.get("cicd_pipeline") == "yes":
        text += ", deployed by a CI/CD pipeline"
    elif answers.get("cicd_pipeline") == "no":
        text += ", without a CI/CD pipeline yet"
    return Decision("Configuration management", text + ".")


def _decisions(answers: Answers, topology: Topology, organizations: bool) -> list[Decision]:
    return [
        _production_decision(topology),
        _organizations_decision(answers, organizations),
        _domain_decision(answers, topology),
        _environments_decision(answers, topology),
        _configuration_decision(answers),
    ]


def _tenants_sentence(who: str, topology: Topology) -> str:
    """Return the summary's first sentence: production tenants, and every tenant counted."""
    pts = topology.production_tenants
    # Customers listed with their own tenant are counted, not named one by one.
    listed = [pt for pt in pts if pt.purpose == "dedicated" and not pt.per_customer]
    named = [pt.stem + (" (one per customer)" if pt.per_customer else "") for pt in pts]
    if listed:
        named = [stem for pt, stem in zip(pts, named, strict=True) if pt not in listed]
        named.append(f"one for each of {_plural(len(listed), 'customer')} with its own tenant")
    total = f"{_plural(len(topology.tenants), 'tenant')} in all once every environment is counted"
    if topology.tenants and listed:
        per_customer = len(topology.tenants_of(listed[0]))
        shared = len(topology.tenants) - sum(len(topology.tenants_of(pt)) for pt in listed)
        total += (
            f": {shared} for the shared platform and {per_customer} for each customer with its "
            "own tenant."
        )
    elif topology.tenants:
        total += "."
    else:
        total = "with the environments still to be chosen."
    return f"{who} runs Auth0 in {_plural(len(pts), 'production tenant')} ({_join(named)}), {total}"


def _organizations_sentence(topology: Topology, organizations: bool) -> str:
    if not organizations:
        return ""
    shared_customers = [c for c in topology.customers if not c.dedicated]
    if topology.customers and not shared_customers:
        return "Every listed customer has its own tenant, without Organizations."
    primary_region = topology.production_tenants[0].region
    if any(c.region != primary_region for c in shared_customers):
        return (
            "Business customers are modelled as Auth0 Organizations in the shared tenant of "
            "their region."
        )
    return "Business customers are modelled as Auth0 Organizations in the primary tenant."


def _summary_paragraph(
    company: str,
    answers: Mapping[str, object],
    topology: Topology,
    organizations: bool,
    counts: Mapping[str, int],
    conflicts: int = 0,
) -> str:
    who = company or "This project"
    pts = topology.production_tenants
    if not pts:
        return (
            f"{who} has no tenant topology yet: the questionnaire is not far enough along to "
            "derive tenant names. The recommendations below follow from the answers given so far."
        )
    parts = [_tenants_sentence(who, topology)]
    organizations_text = _organizations_sentence(topology, organizations)
    if organizations_text:
        parts.append(organizations_text)
    domains = [pt.custom_domain for pt in pts if pt.custom_domain]
    if domains:
        parts.append(f"Users sign in on {_join(domains)}.")
    total = sum(counts.values())
    parts.append(
        f"The plan holds {counts['must']} must, {counts['should']} should and "
        f"{counts['consider']} consider recommendation{'' if total == 1 else 's'}."
    )
    if conflicts:
        parts.append(
            f"{_plural(conflicts, 'open design conflict')} between the answers "
            f"{'needs' if conflicts == 1 else 'need'} a decision first."
        )
    return " ".join(parts)


# --------------------------------------------------------------------------- building


def _grouped(recommendations: Iterable[rules.FiredRule]) -> tuple[RecommendationGroup, ...]:
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


def _appendix(answers: Answers) -> tuple[AppendixSection, ...]:
    sections = []
    for section in catalog.SECTIONS:
        rows = tuple(
            AppendixAnswer(
                question.key,
                question.label,
                answers.label(question.key),
                answers.answered(question.key),
            )
            for question in section.questions
            if answers.is_visible(question.key)
        )
        sections.append(AppendixSection(section.key, section.title, rows))
    return tuple(sections)


def _warnings(answers: Answers, evaluation: rules.Evaluation) -> tuple[Warning, ...]:
    warnings = [Warning(issue.code, issue.message) for issue in answers.topology.issues]
    warnings.extend(_answer_warnings(answers))
    warnings.extend(
        Warning(
            "rule-failed", f"The rule “{failure.key}” could not be evaluated: {failure.message}"
        )
        for failure in evaluation.failures
    )
    return tuple(warnings)


def _summary(
    answers: Answers,
    company: str,
    recommendations: tuple[rules.FiredRule, ...],
    organizations: bool,
    conflicts: int = 0,
) -> Summary:
    counts = {
        p: sum(1 for r in recommendations if r.priority == p) for p in RECOMMENDATION_PRIORITIES
    }
    topology = answers.topology
    return Summary(
        paragraph=_summary_paragraph(company, answers, topology, organizations, counts, conflicts),
        decisions=tuple(_decisions(answers, topology, organizations)),
        counts=MappingProxyType(counts),
    )


def make_plan(
    answers: Answers,
    *,
    name: str,
    author: str = "",
    date: datetime.date | None = None,
    ruleset: rules.CompiledRuleset | None = None,
) -> Plan:
    """Return the plan for these read answers and the rule set (default: the enabled rules)."""
    topology = answers.topology
    evaluation = rules.evaluate(answers.condition_values, ruleset)
    conflicts = tuple(r for r in evaluation.fired if r.priority == "conflict")
    recommendations = tuple(r for r in evaluation.fired if r.priority != "conflict")
    communities = answers.get("user_communities")
    organizations = isinstance(communities, list) and "b2b_customers" in communities
    groups = _grouped(recommendations)
    company = str(answers.get("company_name") or "")
    fingerprint = compute_fingerprint(
        dict(answers),
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
        tenant_prefix=str(answers.get("tenant_prefix") or ""),
        topology=topology,
        facts=answers.facts,
        organizations=organizations,
        recommendations=recommendations,
        recommendation_groups=groups,
        warnings=_warnings(answers, evaluation),
        checklist=_checklist(groups),
        summary=_summary(answers, company, recommendations, organizations, len(conflicts)),
        decisions=decision_records(answers, organizations),
        appendix=_appendix(answers),
        answers=MappingProxyType(dict(answers)),
        svg=diagram.render_svg(
            topology, organizations=organizations, title=f"{name}: tenant topology"
        ),
        customers=blueprint.customer_entries(answers, topology),
        dns_records=blueprint.dns_records(answers, topology),
        usage=blueprint.usage(answers, topology),
        conflicts=conflicts,
        ruleset_release=evaluation.ruleset_release,
    )


def build_plan_from_answers(
    answers: Mapping[str, object],
    *,
    name: str,
    author: str = "",
    date: datetime.date | None = None,
    ruleset: rules.CompiledRuleset | None = None,
) -> Plan:
    """Return the plan for these stored answers: read them once, then make the plan."""
    return make_plan(
        catalog.read_answers(answers), name=name, author=author, date=date, ruleset=ruleset
    )


def _author(user: AbstractUser | None) -> str:
    if user is None:
        return ""
    return textsafety.visible_or_empty(user.get_full_name()) or user.get_username()


def build_plan(project: Project) -> Plan:
    """Return the plan of a saved project, dated by the last change of the project."""
    updated = project.updated_at
    date = timezone.localtime(updated).date() if updated else None
    # Text stored before invisible characters were refused must not reorder the plan.
    answers = catalog.read_answers(textsafety.clean_answers(project.answers))
    return make_plan(
        answers,
        name=textsafety.clean(project.name, multiline=False),
        author=_author(project.owner),
        date=date,
    )


# --------------------------------------------------------------------------- JSON


def _reference(ref: Mapping[str, str] | tuple[str, str]) -> dict[str, str]:
    if isinstance(ref, Mapping):
        return {"title": ref.get("title", ""), "url": ref.get("url", "")}
    title, url = ref
    return {"title": title, "url": url}


def _fired_json(r: rules.FiredRule) -> JsonObject:
    return {
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


def _customer_json(entry: blueprint.CustomerEntry) -> JsonObject:
    return {
        "name": entry.name,
        "slug": entry.slug,
        "count": entry.count,
        "hosting": entry.hosting,
        "tenant": entry.tenant,
        "region": entry.region,
        "organization": entry.organization,
        "display_name": entry.display_name,
        "connections": [
            {
                "name": c.name,
                "strategy": c.strategy,
                "kind": c.kind,
                "membership_on_login": c.membership_on_login,
            }
            for c in entry.connections
        ],
        "domain_aliases": list(entry.domain_aliases),
        "login_domain": entry.login_domain,
        "scim": entry.scim,
        "mfa": entry.mfa,
    }


def _usage_json(usage: blueprint.Usage | None) -> JsonObject:
    if usage is None:
        usage = blueprint.Usage({t: 0 for t in blueprint.TAGS}, 0, 0, 0, 0, ())
    return {
        "tenants_by_tag": dict(usage.tenants_by_tag),
        "organizations": usage.organizations,
        "enterprise_connections_per_environment": usage.enterprise_connections_per_environment,
        "enterprise_connections_all_environments": usage.enterprise_connections_all_environments,
        "max_custom_domains_per_tenant": usage.max_custom_domains_per_tenant,
        "enterprise_features": list(usage.enterprise_features),
    }


def plan_to_json(plan: Plan) -> JsonObject:
    """Return the plan as the public ``planner.plan/2`` document."""
    answers: dict[str, dict[str, object]] = {}
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
                "custom_domains": list(t.custom_domains),
                "existing": t.existing,
            }
            for t in plan.topology.tenants
        ],
        "customers": [_customer_json(entry) for entry in plan.customers],
        "dns_records": [
            {
                "domain": r.domain,
                "tenant": r.tenant,
                "certificate": r.certificate,
                "record": r.record,
                "zone_owner": r.zone_owner,
            }
            for r in plan.dns_records
        ],
        "usage": _usage_json(plan.usage),
        "conflicts": [_fired_json(r) for r in plan.conflicts],
        "recommendations": [_fired_json(r) for r in plan.recommendations],
        "warnings": [{"code": w.code, "message": w.message} for w in plan.warnings],
        "answers": answers,
    }
