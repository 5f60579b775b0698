"""Wizard page layout: a revealed follow-up question sits right under the question that
reveals it, whatever the catalog order (presentation only; visibility stays server-side)."""

from __future__ import annotations

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
