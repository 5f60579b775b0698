"""The rule file and the rules table: read, validate, export, upsert, diff, change records.

A rule file is ``{"schema": "planner.rules/1", "rules": [...]}``; ``load_rules``, ``import_rules``,
``export_rules``, the admin's import and export and the ``planner.E010`` system check all go
through here. Evaluating rules is ``planner.rules``' business.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction

from planner import catalog, conditions, releases, rulecheck, safejson
from planner.models import PRIORITY_ORDER, SECTION_ORDER, Rule, RuleChange
from planner.rules import CONTENT_FIELDS, SORT_LAST, rule_content, template_errors

__all__ = [
    "DATA_FILE",
    "KEY_PATTERN",
    "SCHEMA_ID",
    "RuleFileError",
    "UpsertResult",
    "diff",
    "export_data",
    "export_json",
    "ordered_rules",
    "parse_rules_bytes",
    "parse_rules_document",
    "read_rules_file",
    "record_change",
    "upsert_rules",
    "validate_rule_data",
    "validate_rule_fields",
]

SCHEMA_ID = "planner.rules/1"
DATA_FILE = Path(__file__).resolve().parent / "data" / "default_rules.json"
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_MAX_LENGTH = 80
TITLE_MAX_LENGTH = 200


def _reference_errors(references: object) -> list[str]:
    if not isinstance(references, list):
        return ["References must be a list of {title, url} pairs."]
    errors = []
    for number, ref in enumerate(references, start=1):
        if not isinstance(ref, Mapping) or set(ref) != {"title", "url"}:
            errors.append(f"Reference {number}: give exactly a title and a url.")
            continue
        title, url = ref["title"], ref["url"]
        if not isinstance(title, str) or not title.strip():
            errors.append(f"Reference {number}: the title is empty.")
        if not isinstance(url, str) or not _is_https_url(url):
            errors.append(f"Reference {number}: {url!r} is not an https:// URL.")
    return errors


def _is_https_url(url: str) -> bool:
    if any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname)


def validate_rule_fields(
    *, condition, recommendation, rationale, references, key=None
) -> dict[str, list[str]]:
    """Return error messages by field name for a rule's content; {} when valid."""
    schema = catalog.condition_schema()
    errors: dict[str, list[str]] = {}

    def add(name: str, messages: list[str]) -> None:
        if messages:
            errors.setdefault(name, []).extend(messages)

    if key is not None:
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            add("key", ["Use lowercase letters, digits and single hyphens, e.g. tp-organizations."])
        elif len(key) > KEY_MAX_LENGTH:
            add("key", [f"At most {KEY_MAX_LENGTH} characters."])
    if not isinstance(condition, str) or not condition.strip():
        add("condition", ["Enter a condition (write true for a rule that always applies)."])
    else:
        add("condition", [str(error) for error in conditions.check(condition, schema)])
    if not isinstance(recommendation, str) or not recommendation.strip():
        add("recommendation", ["Enter the recommendation."])
    else:
        add("recommendation", template_errors(recommendation, schema))
    if not isinstance(rationale, str) or not rationale.strip():
        add("rationale", ["Enter the rationale."])
    add("references", _reference_errors(references))
    return errors


def validate_rule_data(data: object) -> dict[str, list[str]]:
    """Return error messages by field for one rule as found in a rule file; {} when valid."""
    if not isinstance(data, Mapping):
        return {"rule": ["Each rule must be an object."]}
    errors: dict[str, list[str]] = {}
    missing = [name for name in CONTENT_FIELDS if name not in data]
    unknown = sorted(set(data) - set(CONTENT_FIELDS))
    if missing:
        errors["rule"] = [f"Missing fields: {', '.join(missing)}."]
    if unknown:
        errors.setdefault("rule", []).append(f"Unknown fields: {', '.join(unknown)}.")
    errors.update(
        validate_rule_fields(
            key=data.get("key"),
            condition=data.get("condition"),
            recommendation=data.get("recommendation"),
            rationale=data.get("rationale"),
            references=data.get("references", []),
        )
    )
    if not isinstance(data.get("section"), str) or data["section"] not in SECTION_ORDER:
        errors["section"] = [f"Use one of: {', '.join(SECTION_ORDER)}."]
    if not isinstance(data.get("priority"), str) or data["priority"] not in PRIORITY_ORDER:
        errors["priority"] = [f"Use one of: {', '.join(PRIORITY_ORDER)}."]
    title = data.get("title")
    if not isinstance(title, str) or not title.strip() or "\n" in title:
        errors["title"] = ["Enter a one-line title."]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [f"At most {TITLE_MAX_LENGTH} characters."]
    position = data.get("position")
    if type(position) is not int:
        errors["position"] = ["The position must be a whole number."]
    if type(data.get("enabled")) is not bool:
        errors["enabled"] = ["enabled must be true or false."]
    for name, messages in rulecheck.rule_content_errors(data).items():
        errors.setdefault(name, []).extend(messages)
    return errors


class RuleFileError(ValueError):
    """A rule file that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_rules_document(document: object) -> list[dict]:
    """Return the rules of a decoded rule file, or raise RuleFileError listing every problem."""
    if not isinstance(document, Mapping) or document.get("schema") != SCHEMA_ID:
        raise RuleFileError(
            [f'Not a rule file: expected {{"schema": "{SCHEMA_ID}", "rules": [...]}}.']
        )
    rules = document.get("rules")
    if not isinstance(rules, list):
        raise RuleFileError(['"rules" must be a list.'])
    problems = []
    seen: set[str] = set()
    for number, data in enumerate(rules, start=1):
        key = data.get("key") if isinstance(data, Mapping) else None
        where = f"rule {number} ({key})" if isinstance(key, str) else f"rule {number}"
        for name, messages in validate_rule_data(data).items():
            for message in messages:
                problems.append(f"{where}: {name}: {message}")
        if isinstance(key, str):
            if key in seen:
                problems.append(f"{where}: key: {key!r} appears more than once.")
            seen.add(key)
    if problems:
        raise RuleFileError(problems)
    return [rule_content(data) for data in rules]


def read_rules_file(path: Path | str = DATA_FILE) -> list[dict]:
    """Read and validate a rule file; raise RuleFileError listing every problem."""
    try:
        text = Path(path).read_bytes()
    except OSError as exc:
        raise RuleFileError([f"Cannot read {path}: {exc.strerror or exc}."]) from exc
    return parse_rules_bytes(text)


def parse_rules_bytes(text: str | bytes) -> list[dict]:
    """Decode and validate a rule file's text; raise RuleFileError listing every problem."""
    try:
        document = safejson.loads(text)
    except safejson.JSONInputError as exc:
        raise RuleFileError([str(exc)]) from None
    return parse_rules_document(document)


def ordered_rules(queryset=None) -> list[Rule]:
    """Return rules in file order: section, position, key."""
    rules = list(Rule.objects.all() if queryset is None else queryset)
    return sorted(rules, key=lambda r: (SECTION_ORDER.get(r.section, SORT_LAST), r.position, r.key))


def export_data(rules: Iterable[Rule] | None = None) -> dict:
    """Return rules (default: all) as a rule-file document."""
    rules = ordered_rules() if rules is None else ordered_rules(rules)
    return {"schema": SCHEMA_ID, "rules": [rule_content(rule) for rule in rules]}


def export_json(rules: Iterable[Rule] | None = None) -> str:
    return json.dumps(export_data(rules), indent=2, ensure_ascii=False) + "\n"


def diff(old: Mapping | None, new: Mapping) -> dict[str, list]:
    """Return {field: [old, new]} for the content fields that differ."""
    return {
        name: [None if old is None else old.get(name), new.get(name)]
        for name in CONTENT_FIELDS
        if old is None or old.get(name) != new.get(name)
    }


@dataclass
class UpsertResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    differ: list[str] = field(default_factory=list)  # kept as edited locally (no force)
    upgraded: list[str] = field(default_factory=list)  # an earlier shipped release, never edited

    def summary(self) -> str:
        text = (
            f"Rules: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )
        if self.upgraded:
            text += f", {len(self.upgraded)} upgraded to release {releases.current_release()}"
        if self.differ:
            text += f", {len(self.differ)} differ (kept: edited locally; use --force to reset)"
        return text + "."


def upsert_rules(
    rule_dicts: list[dict],
    *,
    overwrite: bool,
    action: str,
    user=None,
    dry_run: bool = False,
    upgrade: bool = False,
) -> UpsertResult:
    """Create missing rules by key; update differing ones only when ``overwrite``.

    With ``upgrade``, a differing rule that is still exactly an earlier shipped release (never
    edited by an administrator) is updated too and reported as upgraded.
    Rules not in ``rule_dicts`` are left alone. Every change is recorded as a RuleChange.
    ``rule_dicts`` must already be validated (``read_rules_file``/``parse_rules_bytes``).
    """
    result = UpsertResult()
    with transaction.atomic():
        existing = {rule.key: rule for rule in Rule.objects.select_for_update()}
        changes: list[RuleChange] = []
        for data in rule_dicts:
            rule = existing.get(data["key"])
            if rule is None:
                result.created.append(data["key"])
                if not dry_run:
                    Rule.objects.create(**data)
                changes.append(
                    RuleChange(
                        rule_key=data["key"], user=user, action=action, changes=diff(None, data)
                    )
                )
                continue
            current = rule_content(rule)
            delta = diff(current, data)
            if not delta:
                result.unchanged.append(rule.key)
            elif not overwrite and not (upgrade and releases.is_earlier_shipped(current)):
                result.differ.append(rule.key)
            else:
                (result.updated if overwrite else result.upgraded).append(rule.key)
                if not dry_run:
                    for name, (_, new) in delta.items():
                        setattr(rule, name, new)
                    rule.save()
                changes.append(
                    RuleChange(rule_key=rule.key, user=user, action=action, changes=delta)
                )
        if not dry_run:
            RuleChange.objects.bulk_create(changes)
    return result


def record_change(rule_key: str, action: str, changes: Mapping, user=None) -> RuleChange:
    """Record who changed which rule, and what."""
    return RuleChange.objects.create(
        rule_key=rule_key, user=user, action=action, changes=dict(changes)
    )
