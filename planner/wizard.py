"""The wizard's logic: read a posted section, save it with a version check and history, and
build the plain rows a section template renders (no Django form widgets: they are too slow for
sections of many radio groups)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from planner import catalog, roster
from planner.answers import Answers, is_empty
from planner.conditions import BoolOp, Call, Compare, ListLiteral, Literal, Name, Node, Not, parse
from planner.models import AnswerChange, Project

if TYPE_CHECKING:
    from planner.rules import Reason

SECTION_KEYS: tuple[str, ...] = tuple(s.key for s in catalog.SECTIONS)

STATE_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "complete": "Complete",
    "has_errors": "Has errors",
}

FINISH_STALE_MESSAGE = (
    "This project was changed in another tab or by another session since you opened this "
    "review. It was not finished: check the answers below as they are now, then finish again."
)
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
    posted = {
        q.key: catalog.normalize(
            q, roster_from_post(post, q.key) if q.type == "roster" else post.getlist(q.key)
        )
        for q in questions
    }
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


# Empty rows a roster table offers below the entered ones, and how many "Add rows" adds.
ROSTER_EMPTY_ROWS = 3
ROSTER_ADD_ROWS = 5
# Rows read from one post at most: the limit plus the empty rows on the page, plus one to report.
MAX_POSTED_ROWS = roster.MAX_ROWS + 50


def _posted_int(post, name: str, default: int = 0) -> int:
    try:
        return max(0, int(post.get(name, default)))
    except (TypeError, ValueError):
        return default


def roster_from_post(post, key: str) -> list[dict]:
    """Return the rows a roster table posted (``{key}-{i}-{field}``), in order.

    Rows ticked "remove" are left out; the row named by ``{key}-move-up`` moves up one place.
    Blank rows are dropped later, by the normalisation.
    """
    total = min(_posted_int(post, f"{key}-total"), MAX_POSTED_ROWS)
    rows = []
    for i in range(total):
        prefix = f"{key}-{i}-"
        if post.get(prefix + "remove"):
            continue
        row: dict[str, object] = {}
        for field in roster.FIELDS:
            if field == "sign_in":
                row[field] = post.getlist(prefix + field)
            else:
                row[field] = post.get(prefix + field, "")
        rows.append((i, row))
    move = post.get(f"{key}-move-up", "")
    ordered = [row for _, row in rows]
    positions = [i for i, _ in rows]
    if move.isdigit() and int(move) in positions:
        at = positions.index(int(move))
        if at > 0:
            ordered[at - 1], ordered[at] = ordered[at], ordered[at - 1]
    return ordered


def _cell_errors(
    key: str, messages: tuple[str, ...] | list[str]
) -> tuple[dict[tuple[int, str], list[str]], list[tuple[str, str]]]:
    """Return the messages by (row, field), and (anchor, message) for the error summary."""
    by_cell: dict[tuple[int, str], list[str]] = {}
    anchors = []
    for message in messages:
        index = getattr(message, "row", -1)
        field = getattr(message, "field", "")
        if index >= 0 and field in roster.FIELDS:
            by_cell.setdefault((index, field), []).append(str(message))
            suffix = "-0" if field == "sign_in" else ""
            anchors.append((f"id_{key}-{index}-{field}{suffix}", str(message)))
        else:
            anchors.append((f"id_{key}-0-name", str(message)))
    return by_cell, anchors


_SELECT_CELLS: tuple[tuple[str, tuple[str, ...], Mapping[str, str], str], ...] = (
    ("idp", roster.IDPS, roster.IDP_LABELS, "—"),
    ("hosting", roster.HOSTING, roster.HOSTING_LABELS, ""),
    ("region", roster.REGIONS, {}, "Primary region"),
    ("scim", roster.SCIM, {"no": "No", "yes": "Yes"}, ""),
    ("mfa", roster.MFA, roster.MFA_LABELS, ""),
)


def _select_options(
    row: Mapping, field: str, choices: tuple[str, ...], labels: Mapping[str, str], blank: str
) -> list[dict]:
    current = str(row.get(field) or roster.DEFAULTS.get(field, ""))
    options = [{"value": "", "label": blank, "selected": not current}] if blank else []
    options += [{"value": c, "label": labels.get(c, c), "selected": c == current} for c in choices]
    if current and current not in choices:  # keep an unknown value to correct it
        options.append({"value": current, "label": current, "selected": True})
    return options


def _roster_cells(key: str, index: int, row: Mapping, by_cell: Mapping) -> dict[str, dict]:
    """Return the cells of one table row: names, ids, values, options and errors."""
    cells: dict[str, dict] = {
        field: {
            "id": f"id_{key}-{index}-{field}",
            "name": f"{key}-{index}-{field}",
            "errors": by_cell.get((index, field), []),
        }
        for field in roster.FIELDS
    }
    sign_in = row.get("sign_in")
    methods = set(sign_in) if isinstance(sign_in, list) else set()
    cells["sign_in"]["options"] = [
        {
            "value": m,
            "label": roster.SIGN_IN_LABELS[m],
            "id": f"id_{key}-{index}-sign_in-{n}",
            "checked": m in methods,
        }
        for n, m in enumerate(roster.SIGN_IN)
    ]
    for field, choices, labels, blank in _SELECT_CELLS:
        cells[field]["options"] = _select_options(row, field, choices, labels, blank)
    for field in ("name", "slug", "login_domain"):
        cells[field]["value"] = str(row.get(field) or "")
    count = row.get("count")
    cells["count"]["value"] = "" if count is None else str(count)
    domains = row.get("email_domains")
    cells["email_domains"]["value"] = (
        ", ".join(str(d) for d in domains) if isinstance(domains, list) else str(domains or "")
    )
    name = str(row.get("name") or "")
    cells["slug"]["placeholder"] = roster.propose_slug(name) if name else ""
    return cells


def roster_table(
    key: str, value: object, messages: tuple[str, ...] | list[str], extra: int
) -> dict:
    """Return what the roster table shows: entered rows, empty rows, errors by cell."""
    by_cell, anchors = _cell_errors(key, messages)
    entered = [
        r if isinstance(r, Mapping) else {} for r in (value if isinstance(value, list) else [])
    ]
    table_rows = []
    for index, row in enumerate([*entered, *([{}] * max(extra, 0))]):
        cells = _roster_cells(key, index, row, by_cell)
        table_row = {
            "index": index,
            "number": index + 1,
            "label": roster.row_label(row, index),
            "entered": index < len(entered),
            "has_errors": any(cells[f]["errors"] for f in roster.FIELDS),
            "cells": cells,
        }
        table_row["html"] = _roster_row_html(key, table_row)
        table_rows.append(table_row)
    return {"rows": table_rows, "total": len(table_rows), "anchors": anchors, "extra": extra}


# How each roster cell is labelled for assistive technology ("Row 3: slug").
_CELL_LABELS = {
    "name": "name",
    "slug": "slug",
    "count": "count",
    "idp": "identity provider",
    "email_domains": "email domains",
    "hosting": "hosting",
    "region": "region",
    "login_domain": "login domain",
    "scim": "SCIM",
    "mfa": "MFA",
}
_TEXT_CELL_EXTRA = {
    "name": ' maxlength="200"',
    "slug": ' spellcheck="false"',
    "count": ' inputmode="numeric" placeholder="1"',
    "email_domains": ' spellcheck="false"',
    "login_domain": ' spellcheck="false"',
}


def _feedback(errors: list[str]) -> str:
    return "".join(f'<div class="invalid-feedback d-block">{escape(e)}</div>' for e in errors)


def _sign_in_cell(number: int, cell: dict, invalid: str) -> str:
    boxes = "".join(
        f'<div class="form-check"><input class="form-check-input" type="checkbox" '
        f'name="{cell["name"]}" id="{o["id"]}" value="{o["value"]}"'
        f'{" checked" if o["checked"] else ""}{invalid}> <label class="form-check-label" '
        f'for="{o["id"]}">{escape(o["label"])}</label></div>'
        for o in cell["options"]
    )
    return (
        f'<td><fieldset><legend class="visually-hidden">Row {number}: sign-in methods'
        f"</legend>{boxes}</fieldset>{_feedback(cell['errors'])}</td>"
    )


def _select_cell(number: int, field: str, cell: dict, invalid: str) -> str:
    options = "".join(
        f'<option value="{escape(o["value"])}"{" selected" if o["selected"] else ""}>'
        f"{escape(o['label'])}</option>"
        for o in cell["options"]
    )
    return (
        f'<td><select class="form-select form-select-sm{" is-invalid" if invalid else ""}" '
        f'name="{cell["name"]}" id="{cell["id"]}" '
        f'aria-label="Row {number}: {_CELL_LABELS[field]}"{invalid}>{options}</select>'
        f"{_feedback(cell['errors'])}</td>"
    )


def _text_cell(number: int, field: str, cell: dict, invalid: str) -> str:
    extra = _TEXT_CELL_EXTRA.get(field, "")
    if cell.get("placeholder"):
        extra += f' placeholder="{escape(cell["placeholder"])}"'
    css = "form-control form-control-sm"
    css += " input-number" if field == "count" else ""
    css += " roster-slug" if field == "slug" else ""
    css += " is-invalid" if invalid else ""
    return (
        f'<td><input class="{css}" type="text" name="{cell["name"]}" id="{cell["id"]}" '
        f'value="{escape(cell["value"])}" aria-label="Row {number}: {_CELL_LABELS[field]}"'
        f"{extra}{invalid}>{_feedback(cell['errors'])}</td>"
    )


def _row_actions(key: str, r: dict) -> str:
    if not r["entered"]:
        return "<td></td>"
    remove_id = f"id_{key}-{r['index']}-remove"
    actions = (
        f'<div class="form-check"><input class="form-check-input" type="checkbox" '
        f'name="{key}-{r["index"]}-remove" id="{remove_id}" value="1"> '
        f'<label class="form-check-label" for="{remove_id}">Remove</label></div>'
    )
    if r["index"] > 0:
        actions += (
            f'<button type="submit" name="{key}-move-up" value="{r["index"]}" '
            f'class="btn btn-link btn-sm p-0" formnovalidate>Move up<span '
            f'class="visually-hidden"> row {r["number"]}</span></button>'
        )
    return f"<td>{actions}</td>"


def _roster_row_html(key: str, r: dict) -> SafeString:
    """Return one roster table row as HTML (built here: 500 rows of template tags take seconds)."""
    number = r["number"]
    parts = [
        f'<tr class="roster-row{" roster-row-error" if r["has_errors"] else ""}" '
        f'data-row="{r["index"]}"><th scope="row">{number}</th>'
    ]
    for field in roster.FIELDS:
        cell = r["cells"][field]
        invalid = ' aria-invalid="true"' if cell["errors"] else ""
        if field == "sign_in":
            parts.append(_sign_in_cell(number, cell, invalid))
        elif "options" in cell:
            parts.append(_select_cell(number, field, cell, invalid))
        else:
            parts.append(_text_cell(number, field, cell, invalid))
    parts.append(_row_actions(key, r) + "</tr>")
    # Every typed value and label above went through escape(); a test posts hostile values.
    return mark_safe("".join(parts))  # noqa: S308


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


def finish(project: Project, version: int) -> bool:
    """Mark the project finished with the answers it holds at ``version``; False when stale.

    Like ``save_section``: the answers finished are the ones the person reviewed, so a Finish
    posted from a review page older than the last save changes nothing.
    """
    if version != project.version:
        return False
    now = timezone.now()
    finished_answers = dict(project.answers or {})
    updated = Project.objects.filter(pk=project.pk, version=version).update(
        finished_at=now, finished_answers=finished_answers, updated_at=now
    )
    if not updated:
        return False
    project.finished_at = now
    project.finished_answers = finished_answers
    project.updated_at = now
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


def _roster_row(
    key: str, answers: Mapping, visible: set[str], errors: Mapping[str, list[str]], extra_rows: int
) -> dict:
    """Return the template row of a roster question: its table of cells and row errors."""
    static = _static_row(key)
    messages = errors.get(key, ())
    table = roster_table(key, answers.get(key), messages, extra_rows)
    return {
        **static,
        "is_roster": True,
        "visible": key in visible,
        "errors": [str(m) for m in messages],
        "error_anchors": table["anchors"],
        "describedby": static["help_id"],
        "roster": table,
        "value": "",
    }


def question_rows(
    section_key: str,
    answers: Mapping,
    visible: set[str],
    errors: Mapping[str, list[str]],
    extra_rows: int = ROSTER_EMPTY_ROWS,
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
        if q.type == "roster":
            rows.append(_roster_row(q.key, answers, visible, errors, extra_rows))
            continue
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
            "open_items_note": sec.open_items_note,
            "open_items": [q.label for q in catalog.open_items(read, sec.key)],
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


# Where the architect changes what a fact counts: the question behind it.
FACT_QUESTIONS = {
    "enterprise": "subscription",
    "customer_count": "customers",
    "dedicated_customer_count": "customers",
    "enterprise_connection_count": "customers",
    "customers_with_own_domain": "customers",
    "shared_login_domain_count": "customers",
}


def questions_involved(reasons: Iterable[Reason]) -> list[dict[str, str]]:
    """Return the questions behind a rule's reasons (a fact counts as its question), once each."""
    questions: list[dict[str, str]] = []
    for reason in reasons:
        key = FACT_QUESTIONS.get(reason.question, reason.question)
        if key in catalog.QUESTIONS and key not in [q["key"] for q in questions]:
            question = catalog.QUESTIONS[key]
            questions.append(
                {
                    "key": key,
                    "section": question.section,
                    "label": question.label,
                    "answer": reason.answer,
                }
            )
    return questions


def review_conflicts(answers: Answers) -> list[dict]:
    """Return the design conflicts of these answers, each with links to the questions involved."""
    from planner import rules  # rules read the database; the wizard's other helpers do not

    evaluation = rules.evaluate(answers.condition_values)
    return [
        {
            "key": fired.key,
            "title": fired.title,
            "recommendation_html": fired.recommendation_html,
            "questions": questions_involved(fired.reasons),
        }
        for fired in evaluation.fired
        if fired.priority == "conflict"
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
