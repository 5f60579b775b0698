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
class Teamwork:
    """A project's notes and checklist state at print time."""

    notes: tuple[NotedSection, ...]
    checklist: tuple[checklist.TrackedGroup, ...]
    done: int
    total: int


def _notes(project: Project) -> tuple[NotedSection, ...]:
    grouped: dict[str, list[PrintedNote]] = defaultdict(list)
    for comment in project.comments.select_related("user").order_by("created_at", "id"):
        text = textsafety.clean(comment.text)
        grouped[comment.question].append(
            PrintedNote(checklist.username(comment.user), comment.created_at, text)
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


def for_print(project: Project, plan: Plan) -> Teamwork:
    """Return the project's notes and checklist state as the PDF prints them now."""
    groups = checklist.tracked(project, plan)
    done, total = checklist.progress(groups)
    return Teamwork(notes=_notes(project), checklist=groups, done=done, total=total)
