"""The implementation checklist as a tracked list: members tick items, with who and when."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from planner.models import ChecklistTick, Project
from planner.plans import Plan


def item_keys(plan: Plan) -> set[str]:
    """Return the keys of the plan's checklist items."""
    return {item.rule for group in plan.checklist for item in group.items}


def set_item(project: Project, user, item: str, done: bool) -> ChecklistTick:
    """Set one item's state (an upsert of its own row: concurrent ticks never collide)."""
    values = {"done": done, "changed_by": user, "changed_at": timezone.now()}
    try:
        with transaction.atomic():
            tick, _ = ChecklistTick.objects.update_or_create(
                project=project, item=item, defaults=values
            )
    except IntegrityError:
        # Another member created the row between our look-up and insert: update it instead.
        with transaction.atomic():
            tick, _ = ChecklistTick.objects.update_or_create(
                project=project, item=item, defaults=values
            )
    return tick


def tracked(project: Project, plan: Plan) -> list[dict]:
    """Return the plan's checklist by section with each item's tick and the section progress."""
    ticks = {tick.item: tick for tick in project.checklist_ticks.select_related("changed_by").all()}
    groups = []
    for group in plan.checklist:
        items: list[dict[str, Any]] = [
            {"item": item, "tick": ticks.get(item.rule)} for item in group.items
        ]
        done = sum(1 for row in items if row["tick"] and row["tick"].done)
        groups.append(
            {
                "section": group.section,
                "title": group.title,
                "items": items,
                "done": done,
                "total": len(items),
            }
        )
    return groups


def progress(groups: list[dict]) -> tuple[int, int]:
    """Return (done, total) over every section."""
    return sum(g["done"] for g in groups), sum(g["total"] for g in groups)
