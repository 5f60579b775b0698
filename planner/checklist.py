"""The implementation checklist as a tracked list: members tick items, with who and when."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from planner import textsafety
from planner.models import ChecklistTick, Project
from planner.plans import Plan


@dataclass(frozen=True)
class Tick:
    """Who last ticked or reopened an item, and when."""

    done: bool
    by: str
    at: datetime.datetime


@dataclass(frozen=True)
class TrackedItem:
    key: str  # the rule key
    title: str
    priority: str
    tick: Tick | None  # None: never ticked


@dataclass(frozen=True)
class TrackedGroup:
    """One section of the checklist with its items' state: the page, the plan and the PDF."""

    section: str
    title: str
    items: tuple[TrackedItem, ...]

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.tick and item.tick.done)

    @property
    def total(self) -> int:
        return len(self.items)


def username(user) -> str:
    """Return the name a tick or a note is shown under (a deleted user has none)."""
    return textsafety.clean(user.get_username(), multiline=False) if user else "(deleted user)"


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


def tracked(project: Project, plan: Plan) -> tuple[TrackedGroup, ...]:
    """Return the plan's checklist by section with each item's tick and the section progress."""
    ticks = {
        tick.item: Tick(tick.done, username(tick.changed_by), tick.changed_at)
        for tick in project.checklist_ticks.select_related("changed_by").all()
    }
    return tuple(
        TrackedGroup(
            group.section,
            group.title,
            tuple(
                TrackedItem(item.rule, item.title, item.priority, ticks.get(item.rule))
                for item in group.items
            ),
        )
        for group in plan.checklist
    )


def progress(groups: tuple[TrackedGroup, ...]) -> tuple[int, int]:
    """Return (done, total) over every section."""
    return sum(g.done for g in groups), sum(g.total for g in groups)
