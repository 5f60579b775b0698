"""Checks a rule's content needs beyond its syntax: safe text, renderable Markdown, a position
the database can store. Used by the rule admin form and by rule files (import, load_rules)."""

from __future__ import annotations

from collections.abc import Mapping

from planner import textsafety
from planner.markdown import markdown_problem

__all__ = ["POSITION_MAX", "POSITION_MIN", "rule_content_errors"]

# A 32-bit integer column on every supported database (PostgreSQL's integer).
POSITION_MIN, POSITION_MAX = -(2**31), 2**31 - 1
_TEXT_FIELDS = ("title", "condition", "recommendation", "rationale")
_MARKDOWN_FIELDS = ("recommendation", "rationale")


def rule_content_errors(data: Mapping) -> dict[str, list[str]]:
    """Return error messages by field name for unsafe text, unrenderable Markdown, bad position."""
    errors: dict[str, list[str]] = {}
    if "key" in data and not isinstance(data["key"], str):
        errors["key"] = ["Give the rule a key: lowercase letters, digits and single hyphens."]
    for name in _TEXT_FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            found = textsafety.problems(value)
            if found:
                errors[name] = found
            elif name in _MARKDOWN_FIELDS:
                problem = markdown_problem(value)
                if problem:
                    errors[name] = [problem]
    reference_errors = _reference_errors(data.get("references"))
    if reference_errors:
        errors["references"] = reference_errors
    position = data.get("position")
    if type(position) is int and not POSITION_MIN <= position <= POSITION_MAX:
        errors["position"] = [
            f"The position must be between {POSITION_MIN} and {POSITION_MAX} (this one has "
            f"{len(str(abs(position)))} digits)."
        ]
    return errors


def _reference_errors(references: object) -> list[str]:
    """Return the unsafe-text problems of a rule's references, each naming the reference."""
    if not isinstance(references, list):
        return []
    found: list[str] = []
    for number, ref in enumerate(references, start=1):
        if not isinstance(ref, Mapping):
            continue
        for part in ("title", "url"):
            value = ref.get(part)
            if isinstance(value, str):
                found.extend(
                    f"Reference {number} {part}: {message}"
                    for message in textsafety.problems(value, multiline=False)
                )
    return found
