"""The wizard's logic: read a posted section, save it with a version check and history, and
build the plain rows a section template renders (no Django form widgets: they are too slow for
sections of many radio groups)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from planner import catalog
from planner.answers import Answers, is_empty
from planner.conditions import BoolOp, Call, Compare, ListLiteral, Literal, Name, Node, Not, parse
from planner.models import AnswerChange, Project

SECTION_KEYS: tuple[str, ...] = tuple(s.key for s in catalog.SECTIONS)

STATE_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "complete": "Complete",
    "has_errors": "Has errors",
}

STALE_MESSAGE = (
    "This project was changed in another tab or by another session since you opened this page. "
    "Your answers on this page were not saved: they are shown below — review them and save again."
)


def previous_section(section_key: str) -> str | None:
    """Return the key of the section before this one, or None for the first."""
    index = SECTION_KEYS.index(section_key)
    return SECTION_KEYS[index - 1] if index > 0 else None


def next_section(section_key: str) -> str | None:
    """Return the key of the section after this one, or None for the last."""
    index = SECTION_KEYS.index(section_key)
    return SECTION_KEYS[index + 1] if index + 1 < len(SECTION_KEYS) else None


def section_states(project: Project, answers: Answers | None = None) -> list[dict]:
    """Return each section's key, title, state and state label, in wizard order.

    Same result as catalog.section_state for every section (a test holds them together), but
    validates the answers once instead of once per section: it runs on every wizard page. Pass
    the project's answers already read to skip reading them again.
    """
    if answers is None or answers.raw != (project.answers or {}):
        answers = catalog.read_answers(project.answers)
    touched = set(project.touched_sections or ())
    states = []
    for sec in catalog.SECTIONS:
        if not any(q.key in answers.errors for q in sec.questions):
            state = "complete"
        elif sec.key in touched:
            state = "has_errors"
        elif any(answers.answered(q.key) for q in sec.questions):
            state = "in_progress"
        else:
            state = "not_started"
        states.append(
            {"key": sec.key, "title": sec.title, "state": state, "label": STATE_LABELS[state]}
        )
    return states


def first_incomplete_section(states: list[dict]) -> str | None:
    """Return the key of the first section that is not complete, or None when all are."""
    return next((s["key"] for s in states if s["state"] != "complete"), None)


def progress(answers: Mapping) -> tuple[int, int]:
    """Return (complete sections, all sections) for these answers."""
    with_errors = catalog.errors_by_section(catalog.read_answers(answers))
    return len(SECTION_KEYS) - len(with_errors), len(SECTION_KEYS)


def _put(answers: dict, key: str, value: object) -> None:
    # Unanswered questions are absent from the stored answers, never stored as "" or [].
    if catalog.is_empty(value):
        answers.pop(key, None)
    else:
        answers[key] = value


def read_section_post(section_key: str, post, stored: Mapping) -> tuple[dict, dict, list[str]]:
    """Return (answers to store, answers to display, keys revealed by this post).

    Only questions the page showed (its ``shown`` markers, kept current by wizard.js) and that
    stay visible take their posted value; hidden questions keep their stored answer. A question
    that this post makes visible but the person never saw is "revealed": it is not answered by
    whatever its hidden inputs carried.
    """
    questions = catalog.section(section_key).questions
    posted = {q.key: catalog.normalize(q, post.getlist(q.key)) for q in questions}
    shown = set(post.getlist("shown"))
    merged = dict(stored)
    for key, value in posted.items():
        if key in shown:
            _put(merged, key, value)
    visible = catalog.visible_keys(merged)
    answers = dict(stored)
    display = dict(stored)
    revealed = []
    for key, value in posted.items():
        _put(display, key, value)
        if key not in visible:
            continue
        if key in shown:
            _put(answers, key, value)
        else:
            revealed.append(key)
    return answers, display, revealed


def _last_accepted(project: Project, old: Mapping, rejected_before: Mapping, key: str) -> object:
    """Return the answer the history last accepted for ``key`` (the stored one when valid)."""
    if key not in rejected_before:
        return old.get(key)
    last = project.changes.filter(question=key).order_by("-changed_at", "-id").first()
    return last.new_value if last is not None else None


def _accepted_changes(
    project: Project, user, old: Mapping, answers: Mapping, changed: list[str]
) -> list[AnswerChange]:
    """Return the history rows of this save: accepted changes only.

    A rejected input (one with an error) stays stored so nothing typed is lost, but it is not
    history; the row of the next accepted value starts from the last accepted one.
    """
    rejected_now = catalog.read_answers(answers).errors
    rejected_before = catalog.read_answers(old).errors
    rows = []
    for key in changed:
        if key in rejected_now:
            continue
        previous = _last_accepted(project, old, rejected_before, key)
        if previous == answers.get(key):
            continue  # back to the value the history already holds
        question = catalog.QUESTIONS.get(key)
        rows.append(
            AnswerChange(
                project=project,
                user=user,
                section=question.section if question else "",
                question=key,
                old_value=previous,
                new_value=answers.get(key),
            )
        )
    return rows


def save_section(project: Project, user, section_key: str, answers: dict, version: int) -> bool:
    """Store a section's answers if the project is still at ``version``; False when stale.

    Records an AnswerChange for every accepted answer that changed and marks the section
    touched. The version moves on only when something changed, so a no-op save never makes
    other tabs stale.
    """
    if version != project.version:
        return False
    touched = list(project.touched_sections or [])
    if section_key not in touched:
        touched.append(section_key)
    old = project.answers or {}
    changed = [k for k in {**old, **answers} if old.get(k) != answers.get(k)]
    if not changed and touched == project.touched_sections:
        return True
    now = timezone.now()
    with transaction.atomic():
        # "Finished" belongs to the finished answers (Project.is_finished), not to this save.
        finished_at = project.finished_at
        updated = Project.objects.filter(pk=project.pk, version=version).update(
            answers=answers,
            touched_sections=touched,
            version=F("version") + 1,
            updated_at=now,
            finished_at=finished_at,
        )
        if not updated:
            return False
        AnswerChange.objects.bulk_create(_accepted_changes(project, user, old, answers, changed))
    project.answers = answers
    project.touched_sections = touched
    project.version = version + 1
    project.updated_at = now
    project.finished_at = finished_at
    return True


# --- conditions for the browser ------------------------------------------------------------


def condition_tree(node: Node) -> dict:
    """Return a JSON-serialisable form of a parsed condition, evaluated by wizard.js."""
    if isinstance(node, Literal):
        return {"t": "lit", "v": node.value}
    if isinstance(node, ListLiteral):
        return {"t": "list", "v": [item.value for item in node.items]}
    if isinstance(node, Name):
        return {"t": "name", "n": node.name}
    if isinstance(node, Call):
        tree: dict[str, object] = {"t": "call", "f": node.func, "n": node.arg.name}
        if node.items is not None:
            tree["v"] = [item.value for item in node.items.items]
        return tree
    if isinstance(node, Compare):
        return {
            "t": "cmp",
            "op": node.op,
            "l": condition_tree(node.left),
            "r": condition_tree(node.right),
        }
    if isinstance(node, Not):
        return {"t": "not", "e": condition_tree(node.operand)}
    if isinstance(node, BoolOp):
        return {"t": node.op, "e": [condition_tree(operand) for operand in node.operands]}
    raise TypeError(f"Unknown condition node: {node!r}")


# --- rows for the section template ---------------------------------------------------------


@cache
def _static_row(key: str) -> dict:
    """Return the parts of a question's row that never change (computed once per process)."""
    q = catalog.QUESTIONS[key]
    input_id = f"id_{key}"
    choices = _choice_rows(q, input_id)
    show_if_json = (
        json.dumps(condition_tree(parse(q.show_if)), separators=(",", ":")) if q.show_if else ""
    )
    return {
        "key": key,
        "type": q.type,
        "label": q.label,
        "help": q.help,
        "links": q.links,
        "required": q.required,
        "placeholder": q.placeholder,
        "is_choice": q.type in ("single", "multi"),
        "id": input_id,
        "anchor": choices[0]["id"] if choices else input_id,
        "help_id": f"{key}-help",
        "error_id": f"{key}-error",
        "show_if": q.show_if,
        "show_if_json": show_if_json,
        "show_if_attrs": (
            format_html(' data-show-if="{}" data-show-if-json="{}"', q.show_if, show_if_json)
            if q.show_if
            else ""
        ),
        "help_html": format_html(
            "{} {}",
            q.help,
            format_html_join(
                " · ",
                '<a href="{}" target="_blank" rel="noopener">{}</a>',
                ((u, t) for t, u in q.links),
            ),
        ),
        "choices": choices,
    }


def _choice_rows(q: catalog.Question, input_id: str) -> tuple[dict, ...]:
    """Return the escaped input and label of each choice of a question."""
    input_type = "radio" if q.type == "single" else "checkbox"
    return tuple(
        {
            "value": c.value,
            "id": f"{input_id}_{i}",
            # Escaped once per process: these fragments are most of a section page.
            # A required radio group says so to assistive technology (the form is novalidate:
            # the server still decides); a checkbox's "required" would demand every box.
            "input": format_html(
                '<input class="form-check-input" type="{}" name="{}" id="{}_{}"{} value="{}"',
                input_type,
                q.key,
                input_id,
                i,
                " required" if q.required and q.type == "single" else "",
                c.value,
            ),
            "label": format_html(
                '<label class="form-check-label" for="{}_{}">{}</label>{}',
                input_id,
                i,
                c.label,
                format_html(' <span class="form-text d-block">{}</span>', c.help) if c.help else "",
            ),
        }
        for i, c in enumerate(q.choices)
    )


# The example names help texts use, replaced on the page by the project's own once answered.
EXAMPLE_PREFIX = re.compile(r"\bacme(?=-)")
EXAMPLE_DOMAIN = re.compile(r"\bexample\.com\b")


def _own_examples(static: dict, prefix: str, domain: str) -> dict:
    """Return the row's help with the project's prefix and domain in its examples."""
    help_text = static["help"]
    if prefix:
        help_text = EXAMPLE_PREFIX.sub(prefix, help_text)
    if domain:
        help_text = EXAMPLE_DOMAIN.sub(domain, help_text)
    if help_text == static["help"]:
        return static
    links = format_html_join(
        " · ",
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        ((u, t) for t, u in static["links"]),
    )
    return {**static, "help": help_text, "help_html": format_html("{} {}", help_text, links)}


def question_rows(
    section_key: str,
    answers: Mapping,
    visible: set[str],
    errors: Mapping[str, list[str]],
    *,
    project_name: str = "",
) -> list[dict]:
    """Return one plain dict per question of the section, ready for the template.

    Help texts show the project's own valid prefix and domain in their examples, and an
    unanswered company name is proposed from the project name (a value the person can change).
    """
    read = catalog.read_answers(answers)
    prefix = str(read.get("tenant_prefix") or "")
    domain = str(read.get("primary_domain") or "")
    rows = []
    for q in catalog.section(section_key).questions:
        static = _own_examples(_static_row(q.key), prefix, domain)
        value = answers.get(q.key)
        if value is None and q.default is not None:
            value = q.default
        if q.key == "company_name" and is_empty(value) and q.key not in errors:
            value = project_name if len(project_name) <= (q.max_length or 100) else None
        messages = errors.get(q.key, ())
        row = dict(static)
        row["visible"] = q.key in visible
        row["errors"] = messages
        row["describedby"] = (
            f"{static['help_id']} {static['error_id']}" if messages else static["help_id"]
        )
        if static["is_choice"]:
            chosen = set(value) if isinstance(value, list) else {value}
            row["choices"] = [{**c, "checked": c["value"] in chosen} for c in static["choices"]]
            row["value"] = ""
        else:
            row["value"] = "" if value is None else str(value)
        rows.append(row)
    return rows


def browser_context(section_key: str, answers: Mapping) -> str:
    """Return, as JSON, the answers of other sections that wizard.js needs for show_if."""
    own = {q.key for q in catalog.section(section_key).questions}
    effective = catalog.read_answers(answers)
    return json.dumps({k: v for k, v in effective.items() if k not in own}, separators=(",", ":"))


def review_sections(answers: Mapping) -> list[dict]:
    """Return every section with its visible questions and answer labels, for the review."""
    read = catalog.read_answers(answers)
    return [
        {
            "key": sec.key,
            "title": sec.title,
            "errors": any(q.key in read.errors for q in sec.questions),
            "answers": [
                {
                    "key": q.key,
                    "label": q.label,
                    "answer": read.label(q.key),
                    "errors": read.errors.get(q.key, ()),
                }
                for q in sec.questions
                if read.is_visible(q.key)
            ],
        }
        for sec in catalog.SECTIONS
    ]


def history_rows(project: Project, limit: int = 50) -> list[dict]:
    """Return the latest answer changes, newest first, with question and answer labels."""
    rows = []
    for change in project.changes.select_related("user")[:limit]:
        key = change.question
        if key in catalog.QUESTIONS:
            label = catalog.QUESTIONS[key].label
            old = catalog.answer_label(key, change.old_value)
            new = catalog.answer_label(key, change.new_value)
        else:  # a question since removed from the catalog
            label, old, new = key, str(change.old_value), str(change.new_value)
        rows.append(
            {
                "user": change.user.get_username() if change.user else "(deleted user)",
                "question": label,
                "old": old,
                "new": new,
                "at": change.changed_at,
            }
        )
    return rows
