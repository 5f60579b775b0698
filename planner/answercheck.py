"""The shape of a stored answers document: an object of known question keys whose values have
the question's type and hold only safe text. The wizard builds such documents itself; answers
that come from elsewhere (an answers file, the admin's JSON field) are checked here first."""

from __future__ import annotations

import json

from planner import catalog, roster, textsafety

__all__ = ["MAX_LIST_ITEMS", "NOT_AN_OBJECT", "shape_errors"]

NOT_AN_OBJECT = (
    'The answers must be a JSON object mapping question keys to values, such as {"company_name": '
    '"Hoopla", "environments": ["dev", "prod"]}.'
)
MAX_LIST_ITEMS = 100
_SHOWN_CHARS = 60


def _texts(value: object) -> list[str]:
    """Return every text in an answer: the value, its list items, a roster row's cells."""
    if isinstance(value, str):
        return [value]
    texts: list[str] = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            for cell in item.values():
                texts += _texts(cell) if isinstance(cell, list | str) else []
        elif isinstance(item, str):
            texts.append(item)
    return texts


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def shape_errors(answers: object, *, bound_sizes: bool = False) -> list[str]:
    """Return "key: problem" messages for unknown keys, wrong types and unsafe text; [] if fine.

    ``bound_sizes`` also refuses texts and lists longer than the wizard ever stores.
    """
    if not isinstance(answers, dict):
        return [NOT_AN_OBJECT]
    errors = []
    for key, value in answers.items():
        question = catalog.QUESTIONS.get(key)
        if question is None:
            errors.append(
                f"{_shown(key)[1:-1]}: unknown question key (see the question reference)."
            )
            continue
        if value is None:
            continue
        kind = catalog.QUESTION_TYPES[question.type]
        if not kind.is_stored_shape(value):
            errors.append(f"{key}: expected {kind.expected}, got {_shown(value)}.")
            continue
        texts = _texts(value)
        limit = roster.MAX_ROWS if question.type == "roster" else MAX_LIST_ITEMS
        if bound_sizes and isinstance(value, list) and len(value) > limit:
            what = "rows" if question.type == "roster" else "choices"
            errors.append(f"{key}: at most {limit} {what} (this list has {len(value)}).")
            continue
        for text in texts:
            if bound_sizes and len(text) > textsafety.MAX_STORED_CHARS:
                errors.append(
                    f"{key}: at most {textsafety.MAX_STORED_CHARS} characters "
                    f"(this text has {len(text):,})."
                )
            found = textsafety.first_problem(text, multiline=False)
            if not found and text.strip() and not textsafety.has_visible(text):
                found = "has no visible character: write visible text or leave it empty."
            if found:
                errors.append(f"{key}: {found}")
                break
    return errors
