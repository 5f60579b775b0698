"""Recommendation rules: compile the enabled ones, evaluate them in order, explain why.

Rules live in the database (edited in the admin) and ship as a rule file (``planner.rulefile``
reads, validates, exports and upserts it).
``current_ruleset()`` compiles the enabled rules once per content version per process; a cheap
aggregate query tells when the table changed. ``evaluate(values)`` runs every compiled rule over
effective answers plus facts; a rule that cannot be compiled or raises is reported as a
``RuleFailure`` and never stops the others.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from django.db.models import Count, Max, Q

from planner import catalog, conditions, releases
from planner.answers import NOT_ANSWERED_IN_TEXT, is_empty
from planner.conditions import NameInfo
from planner.markdown import render_markdown
from planner.models import (
    PRIORITY_ORDER,
    SECTION_ORDER,
    Rule,
)

__all__ = [
    "CONTENT_FIELDS",
    "NOT_ANSWERED",
    "CompiledRule",
    "CompiledRuleset",
    "Evaluation",
    "FiredRule",
    "Reason",
    "RuleFailure",
    "current_ruleset",
    "rule_content",
    "rules_stamp",
    "template_errors",
    "evaluate",
    "evaluate_rule",
    "interpolate",
    "interpolation_names",
    "ruleset_version",
    "values_for",
]

NOT_ANSWERED = NOT_ANSWERED_IN_TEXT
# The fields a rule file carries, in file order; also the fields compared by load/import.
CONTENT_FIELDS = (
    "key",
    "section",
    "priority",
    "position",
    "title",
    "condition",
    "recommendation",
    "rationale",
    "references",
    "enabled",
)
SORT_LAST = 99  # the rank of an unknown section or priority

# What rules are evaluated over (effective answers + facts), the names conditions may use, a
# rule as read from a rule file (parsed JSON), and one reference (title and URL).
Values = Mapping[str, object]
Schema = Mapping[str, NameInfo]
RuleData = Mapping[str, Any]
Reference = dict[str, str]


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, slots=True)
class Reason:
    """One answer (or fact) that made a rule fire, as the reader sees it."""

    question: str  # question key or fact name
    label: str  # question label or fact description
    answer: str  # answer label, or the fact as a number / "yes" / "no"


class FiredRule(NamedTuple):
    """A rule that fired, ready to display. A named tuple: immutable and cheap to build."""

    key: str
    section: str
    priority: str
    title: str
    recommendation: str  # Markdown, after interpolation
    rationale: str  # Markdown
    recommendation_html: str  # sanitized HTML
    rationale_html: str  # sanitized HTML
    references: tuple[Reference, ...]
    reasons: tuple[Reason, ...]
    position: int


@dataclass(frozen=True, slots=True)
class RuleFailure:
    key: str
    message: str


@dataclass(frozen=True, slots=True)
class Evaluation:
    ruleset_version: str
    fired: tuple[FiredRule, ...]
    failures: tuple[RuleFailure, ...]
    ruleset_release: str = ""  # e.g. "default rules, release 2"

    @property
    def fired_keys(self) -> tuple[str, ...]:
        return tuple(rule.key for rule in self.fired)


# --------------------------------------------------------------------------------------------
# Interpolation: {name} inserts an answer or fact; {{ and }} are literal braces.

_INTERPOLATION = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|\{|\}")


def _scan(template: str) -> Iterable[tuple[re.Match[str], str | None]]:
    for match in _INTERPOLATION.finditer(template):
        yield match, match.group(1)


def _brace_errors(template: str) -> list[str]:
    errors = []
    for match, name in _scan(template):
        token = match.group(0)
        if name is None and token in ("{", "}"):
            column = match.start() + 1
            errors.append(
                f'unmatched "{token}" at column {column}: write {{name}} to insert an answer, '
                f'or "{token}{token}" for a literal "{token}"'
            )
    return errors


def interpolation_names(template: str) -> set[str]:
    """Return the names ``template`` inserts with ``{name}``."""
    return {name for _, name in _scan(template) if name}


def _fact_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def value_text(name: str, value: object) -> str:
    """Return an answer or fact as the reader sees it ("(not answered)" when unanswered)."""
    if is_empty(value):
        return NOT_ANSWERED
    if name in catalog.QUESTIONS:
        return catalog.answer_label(name, value)
    return _fact_text(value)


def interpolate(template: str, values: Mapping[str, object]) -> str:
    """Return ``template`` with each ``{name}`` replaced by its answer label or fact."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name:
            return value_text(name, values.get(name))
        token = match.group(0)
        return token[0] if len(token) == 2 else token

    return _INTERPOLATION.sub(replace, template)


# --------------------------------------------------------------------------------------------
# Validation


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"{{{c}}}" for c in close) + "?"


def template_errors(template: str, schema: Mapping[str, object]) -> list[str]:
    """Return what is wrong with a recommendation's {name} placeholders."""
    errors = _brace_errors(template)
    for name in sorted(interpolation_names(template)):
        if name not in schema:
            errors.append(
                f"unknown name {{{name}}}{_suggest(name, schema)} "
                "Insert a question key or a fact (see the question reference)."
            )
    return errors


# --------------------------------------------------------------------------------------------
# Compiling and evaluating


def _slot_marker(template: str) -> tuple[str, re.Pattern[str]]:
    """Return a slot format and its pattern that cannot be confused with the template's text."""
    stem = "zqplannerslot"
    while stem in template:  # a rule that quotes the marker must not be read as slots
        stem += "q"
    return stem + "{}zq", re.compile(stem + r"(\d+)zq")


@dataclass(frozen=True)
class Template:
    """A recommendation compiled once: Markdown and sanitized HTML split around its {names}.

    The HTML is rendered with placeholders and the answers are inserted afterwards, escaped:
    an answer is data, never markup, and no Markdown runs while a plan is built.
    """

    markdown_parts: tuple[str, ...]  # literal text; names go between the parts
    html_parts: tuple[str, ...]
    markdown_names: tuple[str, ...]
    html_names: tuple[str, ...]

    @classmethod
    def compile(cls, template: str) -> Template:
        slot, slot_pattern = _slot_marker(template)
        names: list[str] = []
        parts: list[str] = []
        slotted: list[str] = []
        current = ""
        last = 0
        for match, name in _scan(template):
            token = match.group(0)
            text = template[last : match.start()]
            last = match.end()
            if name:
                parts.append(current + text)
                current = ""
                slotted.append(text + slot.format(len(names)))
                names.append(name)
            else:
                piece = token[0] if len(token) == 2 else token
                current += text + piece
                slotted.append(text + piece)
        parts.append(current + template[last:])
        slotted.append(template[last:])
        pieces = slot_pattern.split(render_markdown("".join(slotted)))
        return cls(
            markdown_parts=tuple(parts),
            html_parts=tuple(pieces[0::2]),
            markdown_names=tuple(names),
            html_names=tuple(names[int(i)] for i in pieces[1::2]),
        )

    def render(self, texts: Mapping[str, str], escaped: Mapping[str, str]) -> tuple[str, str]:
        """Return (Markdown, HTML) with each name replaced by its text."""
        return _join(self.markdown_parts, self.markdown_names, texts), _join(
            self.html_parts, self.html_names, escaped
        )


def _join(parts: tuple[str, ...], names: tuple[str, ...], texts: Mapping[str, str]) -> str:
    if not names:
        return parts[0]
    out = [parts[0]]
    for name, part in zip(names, parts[1:], strict=True):
        out.append(texts[name])
        out.append(part)
    return "".join(out)


@dataclass(frozen=True)
class CompiledRule:
    key: str
    section: str
    priority: str
    position: int
    title: str
    recommendation: str
    rationale: str
    rationale_html: str
    references: tuple[Reference, ...]
    condition: conditions.Condition | None
    error: str = ""  # why the rule cannot run (set when condition is None)
    template: Template | None = None

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        return (
            SECTION_ORDER.get(self.section, SORT_LAST),
            PRIORITY_ORDER.get(self.priority, SORT_LAST),
            self.position,
            self.key,
        )


def _content(rule: Rule | RuleData) -> dict[str, Any]:
    """Return a rule's content fields as plain data (a model or a dict from a rule file)."""
    get = rule.get if isinstance(rule, Mapping) else lambda name: getattr(rule, name)
    data = {name: get(name) for name in CONTENT_FIELDS}
    data["references"] = [
        {"title": ref.get("title", ""), "url": ref.get("url", "")}
        for ref in (data["references"] or [])
        if isinstance(ref, Mapping)
    ]
    return data


def compile_rule(rule: Rule | RuleData, schema: Schema | None = None) -> CompiledRule:
    """Compile one rule; a rule that is no longer valid compiles with ``error`` set."""
    schema = catalog.condition_schema() if schema is None else schema
    data = _content(rule)
    condition, error, template = None, "", None
    try:
        condition = conditions.compile(data["condition"] or "", schema)
    except conditions.ConditionError as exc:
        error = f"Invalid condition: {exc.short}"
    recommendation = data["recommendation"] or ""
    problems = template_errors(recommendation, schema)
    if problems and not error:
        condition, error = None, f"Invalid recommendation: {problems[0]}"
    if not error:
        template = Template.compile(recommendation)
    return CompiledRule(
        key=data["key"],
        section=data["section"],
        priority=data["priority"],
        position=data["position"] or 0,
        title=data["title"],
        recommendation=recommendation,
        rationale=data["rationale"] or "",
        rationale_html=render_markdown(data["rationale"] or ""),
        references=tuple(data["references"]),
        condition=condition,
        error=error,
        template=template,
    )


def _compile_or_fail(rule: Rule | RuleData, schema: Schema) -> CompiledRule:
    """Compile one rule; one that cannot be compiled at all becomes a failed rule, never a 500."""
    try:
        return compile_rule(rule, schema)
    except Exception as exc:  # one bad rule must not break every plan
        get = rule.get if isinstance(rule, Mapping) else lambda name: getattr(rule, name, None)
        position = get("position")
        return CompiledRule(
            key=str(get("key")),
            section=str(get("section")),
            priority=str(get("priority")),
            position=position if type(position) is int else 0,
            title=str(get("title")),
            recommendation="",
            rationale="",
            rationale_html="",
            references=(),
            condition=None,
            error=f"The rule cannot be compiled ({type(exc).__name__}): fix it in the admin.",
        )


def fingerprint(rules: Iterable[Rule | RuleData]) -> str:
    """Return a short sha256 of the rules' content (order-independent)."""
    contents = sorted((_content(rule) for rule in rules), key=lambda data: data["key"])
    payload = json.dumps(contents, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class CompiledRuleset:
    version: str
    rules: tuple[CompiledRule, ...]  # in evaluation order
    schema: Schema = field(repr=False, default_factory=dict)
    release: str = ""  # which shipped release the rules are (releases.label)

    @classmethod
    def build(cls, rules: Iterable[Rule | RuleData]) -> CompiledRuleset:
        """Compile rules (models or rule-file dicts); disabled ones are left out."""
        enabled = [rule for rule in rules if _content(rule)["enabled"]]
        schema = catalog.condition_schema()
        compiled = sorted((_compile_or_fail(rule, schema) for rule in enabled), key=_sort_key)
        return cls(
            version=fingerprint(enabled),
            rules=tuple(compiled),
            schema=schema,
            release=releases.label(_content(rule) for rule in enabled),
        )

    @classmethod
    def from_file(cls, path: Path | str | None = None) -> CompiledRuleset:
        """Return the rule set of a rule file (default: the shipped one)."""
        # The rule file module builds on this one; imported here to keep the layers one-way.
        from planner import rulefile

        return cls.build(rulefile.read_rules_file(rulefile.DATA_FILE if path is None else path))


def _sort_key(rule: CompiledRule) -> tuple[int, int, int, str]:
    return rule.sort_key


class _Memo:
    """Per-evaluation memo of answer texts and reasons: many rules look at the same names."""

    __slots__ = ("escaped", "reason_tuples", "reasons", "schema", "texts", "values")

    def __init__(self, values: Values, schema: Schema) -> None:
        self.values = values
        self.schema = schema
        self.texts: dict[str, str] = {}
        self.escaped: dict[str, str] = {}
        self.reasons: dict[str, Reason] = {}
        self.reason_tuples: dict[tuple[str, ...], tuple[Reason, ...]] = {}

    def text(self, name: str) -> str:
        text = self.texts.get(name)
        if text is None:
            text = self.texts[name] = value_text(name, self.values.get(name))
            self.escaped[name] = html.escape(text)
        return text

    def fired_reasons(self, condition: conditions.Condition) -> tuple[Reason, ...]:
        """The reasons of a condition that fired; shared by rules that test the same names."""
        names = condition.static_names
        if names is None:
            names = tuple(name for name, _ in condition.explain_true(self.values))
        reasons = self.reason_tuples.get(names)
        if reasons is None:
            reasons = self.reason_tuples[names] = tuple([self.reason(name) for name in names])
        return reasons

    def reason(self, name: str) -> Reason:
        reason = self.reasons.get(name)
        if reason is None:
            info = self.schema.get(name)
            label = info.label if info is not None and info.label else name
            reason = self.reasons[name] = Reason(name, label, self.text(name))
        return reason


def _reasons(condition: conditions.Condition, memo: _Memo, fired: bool) -> tuple[Reason, ...]:
    names: Iterable[str]
    if fired:
        static = condition.static_names
        names = (
            static if static is not None else [n for n, _ in condition.explain_true(memo.values)]
        )
    else:
        names = sorted(condition.names)
    return tuple(memo.reason(name) for name in names)


def _fire(rule: CompiledRule, memo: _Memo) -> FiredRule:
    template, condition = rule.template, rule.condition
    assert template is not None and condition is not None, "a failed rule never fires"
    if template.markdown_names:
        text = memo.text
        for name in template.markdown_names:
            text(name)
        recommendation, recommendation_html = template.render(memo.texts, memo.escaped)
    else:
        recommendation, recommendation_html = template.markdown_parts[0], template.html_parts[0]
    # Positional: this runs once per fired rule, and keyword construction costs twice as much.
    return FiredRule(
        rule.key,
        rule.section,
        rule.priority,
        rule.title,
        recommendation,
        rule.rationale,
        recommendation_html,
        rule.rationale_html,
        rule.references,
        memo.fired_reasons(condition),
        rule.position,
    )


def values_for(answers: Mapping[str, object]) -> dict[str, object]:
    """Return what rules see for stored answers: the effective answers plus the facts."""
    return dict(
        catalog.read_answers(answers if isinstance(answers, Mapping) else {}).condition_values
    )


def evaluate(values: Values, ruleset: CompiledRuleset | None = None) -> Evaluation:
    """Evaluate every enabled rule over effective answers + facts, in plan order."""
    ruleset = current_ruleset() if ruleset is None else ruleset
    fired: list[FiredRule] = []
    failures: list[RuleFailure] = []
    memo = _Memo(values, ruleset.schema)
    for rule in ruleset.rules:
        if rule.condition is None:
            failures.append(RuleFailure(rule.key, rule.error))
            continue
        try:
            if rule.condition.evaluate(values):
                fired.append(_fire(rule, memo))
        except Exception as exc:  # one broken rule must not break the plan
            failures.append(RuleFailure(rule.key, f"Evaluation failed: {exc!r}"))
    return Evaluation(
        ruleset_version=ruleset.version,
        fired=tuple(fired),
        failures=tuple(failures),
        ruleset_release=ruleset.release,
    )


def evaluate_rule(rule: Rule, values: Values) -> tuple[bool, tuple[Reason, ...]]:
    """Return whether ``rule`` (saved or not) fires on ``values``, and why.

    The reasons are the comparisons that made it fire or, when it does not fire, the answers
    its condition looked at. Raises ``conditions.ConditionError`` for an invalid condition.
    """
    schema = catalog.condition_schema()
    condition = conditions.compile(rule.condition, schema)
    fired = condition.evaluate(values)
    return fired, _reasons(condition, _Memo(values, schema), fired)


# --------------------------------------------------------------------------------------------
# The current rule set, compiled once per version per process

_lock = threading.Lock()


class _Current:
    """The process's compiled rule set and the rules-table stamp it was compiled at."""

    stamp: tuple[object, ...] | None = None
    ruleset: CompiledRuleset | None = None


_current = _Current()


def rules_stamp() -> tuple[object, ...]:
    """Return a stamp (one aggregate query) that changes whenever a rule is added, saved or
    deleted."""
    row = Rule.objects.aggregate(
        total=Count("id"),
        enabled=Count("id", filter=Q(enabled=True)),
        latest=Max("updated_at"),
        top=Max("id"),
    )
    return (row["total"], row["enabled"], row["latest"], row["top"])


def current_ruleset() -> CompiledRuleset:
    """Return the compiled enabled rules, recompiled only when the rules table changed."""
    stamp = rules_stamp()
    current = _current.ruleset
    if _current.stamp == stamp and current is not None:
        return current
    with _lock:
        ruleset = CompiledRuleset.build(Rule.objects.filter(enabled=True))
        previous = _current.ruleset
        if previous is not None and previous.version == ruleset.version:
            ruleset = previous  # same content: keep the identical object
        _current.stamp, _current.ruleset = stamp, ruleset
    return ruleset


def ruleset_version() -> str:
    """Return the fingerprint of the enabled rules' content."""
    return current_ruleset().version


# --------------------------------------------------------------------------------------------
# Rule files: read, validate, upsert, export


def rule_content(rule: Rule | RuleData) -> dict[str, Any]:
    """Return a rule's content fields as plain data."""
    return _content(rule)
