"""What the team added to a project, as printed: notes per question and the checklist state.

The PDF is keyed by its exact HTML, so putting these in the print document (not the plan JSON)
means a new note or tick gives a new PDF, and an unchanged state reuses the one rendered.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from planner import catalog, checklist, textsafety
from planner.models import Project
from planner.plans import Plan


@dataclass(frozen=True)
class PrintedNote:
    author: str
    written_at: object  # an aware datetime; the template formats it
    text: str


@dataclass(frozen=True)
class NotedQuestion:
    key: str
    label: str
    notes: tuple[PrintedNote, ...]


@dataclass(frozen=True)
class NotedSection:
    title: str
    questions: tuple[NotedQuestion, ...]


@dataclass(frozen=True)
class PrintedTick:
    done: bool
    by: str
    at: object


@dataclass(frozen=True)
class PrintedItem:
    key: str
    title: str
    priority: str
    tick: PrintedTick | None


@dataclass(frozen=True)
class PrintedGroup:
    section: str
    title: str
    items: tuple[PrintedItem, ...]
    done: int
    total: int


@dataclass(frozen=True)
class Teamwork:
    """A project's notes and checklist state at print time."""

    notes: tuple[NotedSection, ...]
    checklist: tuple[PrintedGroup, ...]
    done: int
    total: int


def _username(user) -> str:
    return textsafety.clean(user.get_username(), multiline=False) if user else "(deleted user)"


def _notes(project: Project) -> tuple[NotedSection, ...]:
    grouped: dict[str, list[PrintedNote]] = defaultdict(list)
    for comment in project.comments.select_related("user").order_by("created_at", "id"):
        text = textsafety.clean(comment.text)
        grouped[comment.question].append(
            PrintedNote(_username(comment.user), comment.created_at, text)
        )
    sections = []
    for section in catalog.SECTIONS:
        questions = tuple(
            NotedQuestion(q.key, q.label, tuple(grouped.pop(q.key)))
            for q in section.questions
            if q.key in grouped
        )
        if questions:
            sections.append(NotedSection(section.title, questions))
    if grouped:  # notes on questions the catalog no longer has: kept, under their key
        others = tuple(NotedQuestion(k, k, tuple(v)) for k, v in sorted(grouped.items()))
        sections.append(NotedSection("Other questions", others))
    return tuple(sections)


def _checklist(project: Project, plan: Plan) -> tuple[PrintedGroup, ...]:
    groups = []
    for group in checklist.tracked(project, plan):
        items = []
        for row in group["items"]:
            tick = row["tick"]
            printed = (
                PrintedTick(tick.done, _username(tick.changed_by), tick.changed_at)
                if tick
                else None
            )
            item = row["item"]
            items.append(PrintedItem(item.rule, item.title, item.priority, printed))
        groups.append(
            PrintedGroup(
                group["section"], group["title"], tuple(items), group["done"], group["total"]
            )
        )
    return tuple(groups)


def for_print(project: Project, plan: Plan) -> Teamwork:
    """Return the project's notes and checklist state as the PDF prints them now."""
    groups = _checklist(project, plan)
    return Teamwork(
        notes=_notes(project),
        checklist=groups,
        done=sum(g.done for g in groups),
        total=sum(g.total for g in groups),
    )
