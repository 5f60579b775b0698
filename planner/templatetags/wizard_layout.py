"""Wizard page layout: a revealed follow-up question sits right under the question that
reveals it, whatever the catalog order, and a rejected name comes with a valid proposal
(presentation only; visibility and validation stay server-side)."""

from __future__ import annotations

import re

from django import template

from planner import catalog
from planner.conditions import names

register = template.Library()


def _trigger(key: str, position: dict[str, int]) -> str | None:
    """Return the question on the same page whose answer reveals ``key`` (the latest one)."""
    show_if = catalog.QUESTIONS[key].show_if if key in catalog.QUESTIONS else ""
    if not show_if:
        return None
    on_page = [name for name in names(show_if) if name in position and name != key]
    return max(on_page, key=position.__getitem__) if on_page else None


@register.filter
def under_triggers(questions) -> list:
    """Return the page's questions with each follow-up placed right after its trigger."""
    questions = list(questions)
    position = {q["key"]: i for i, q in enumerate(questions)}
    children: dict[str | None, list] = {}
    for q in questions:
        trigger = _trigger(q["key"], position)
        if trigger is not None and position[trigger] > position[q["key"]]:
            trigger = None  # a trigger below its follow-up: keep the catalog order
        children.setdefault(trigger, []).append(q)
    ordered: list = []

    def emit(q) -> None:
        ordered.append(q)
        for child in children.get(q["key"], ()):
            emit(child)

    for q in children.get(None, ()):
        emit(q)
    return ordered if len(ordered) == len(questions) else questions


def _label_from(text: str, limit: int) -> str:
    """Return text as one DNS label: lowercase letters, digits and single inner hyphens."""
    label = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return label[:limit].strip("-")


def _domain_from(text: str) -> str:
    host = catalog.bare_host(text)  # "https://Example.com/x" proposes "example.com"
    labels = [_label_from(part, 63) for part in host.lower().split(".")]
    labels = [label for label in labels if label]
    domain = ".".join(labels)
    return domain if len(labels) >= 2 and len(domain) <= 253 else ""


# A valid value derived from what was typed, for the questions where one can be derived.
_FIXES = {
    "tenant_prefix": lambda text: _label_from(text, 40),
    "login_host": lambda text: _label_from(text, 63),
    "primary_domain": _domain_from,
}


@register.filter
def proposed_fix(q) -> str:
    """Return a valid value close to the rejected one the user typed, or ""."""
    fix = _FIXES.get(q.get("key"))
    typed = str(q.get("value") or "")
    if fix is None or not q.get("errors") or not typed:
        return ""
    proposal = fix(typed)
    return proposal if proposal != typed and _valid(q["key"], proposal) else ""


def _valid(key: str, value: str) -> bool:
    label = re.compile(catalog.DNS_LABEL_PATTERN)
    if key == "tenant_prefix":
        return len(value) >= 2 and re.fullmatch(catalog.TENANT_PREFIX_PATTERN, value) is not None
    if key == "login_host":
        return label.fullmatch(value) is not None
    return "." in value and all(label.fullmatch(part) for part in value.split("."))
