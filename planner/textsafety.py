"""Text that people type: find and remove invisible characters, and keep messages bounded.

Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder the text that
follows them wherever it is shown, a PDF included; other format characters (zero-width spaces,
word joiners, the byte-order mark, tag characters…) are invisible; control characters and NUL
cannot be stored by PostgreSQL's JSON; lone surrogates are not Unicode text at all and fail
when encoded. Interactive forms strip them (``clean``); files and staff-edited content are
refused with a message naming each character and where it is (``problems``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "BIDI_CONTROLS",
    "MAX_LINES",
    "MAX_LISTED",
    "MAX_STORED_CHARS",
    "bounded_lines",
    "clean_answers",
    "clean",
    "describe",
    "first_problem",
    "has_visible",
    "listing",
    "problems",
    "stored_text",
    "visible_or_empty",
]

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Format characters that legitimately join or separate letters inside words (emoji sequences,
# Persian and Indic scripts): kept, but they never count as visible on their own.
_JOINERS = frozenset("\u200c\u200d")
_ALLOWED_CONTROLS = frozenset("\t\n\r")
MAX_LISTED = 5
# The longest typed text an answer or a roster cell keeps: kept for correction, not without bound.
MAX_STORED_CHARS = 2000


def _is_unsafe(char: str, *, multiline: bool) -> bool:
    if char in _JOINERS:
        return False
    category = unicodedata.category(char)
    if category == "Cc":
        return not (multiline and char in _ALLOWED_CONTROLS)
    return category in ("Cf", "Cs", "Zl", "Zp")


# A fast path: almost every text is plain and needs no per-character look-up.
_SUSPECT = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    r"\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
    r"\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    r"\U000e0000-\U000e007f]"
)


def _unsafe_positions(text: str, multiline: bool) -> Iterable[int]:
    for match in _SUSPECT.finditer(text):
        if _is_unsafe(match.group(), multiline=multiline):
            yield match.start()


def describe(char: str) -> str:
    """Return a character as people can look it up: "U+202E (RIGHT-TO-LEFT OVERRIDE)"."""
    name = unicodedata.name(char, "")
    if not name:
        category = unicodedata.category(char)
        name = {"Cs": "a lone surrogate", "Cc": "a control character"}.get(category, "unnamed")
    return f"U+{ord(char):04X} ({name})"


def _where(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}" if "\n" in text else f"position {column}"


def problems(text: str, *, multiline: bool = True, limit: int = MAX_LISTED) -> list[str]:
    """Return one message per kind of invisible or unsafe character in ``text``; [] when safe."""
    if not isinstance(text, str) or not _SUSPECT.search(text):
        return []
    found: dict[str, list[int]] = {}
    for index in _unsafe_positions(text, multiline):
        found.setdefault(text[index], []).append(index)
    messages = []
    for char, places in list(found.items())[:limit]:
        where = _where(text, places[0])
        more = f" and {len(places) - 1} more time(s)" if len(places) > 1 else ""
        why = (
            "it reverses or reorders the text around it"
            if char in BIDI_CONTROLS
            else "it is invisible or cannot be stored"
        )
        messages.append(f"Remove the character {describe(char)} at {where}{more}: {why}.")
    if len(found) > limit:
        messages.append(f"… and {len(found) - limit} more kinds of invisible character.")
    return messages


def first_problem(text: str, *, multiline: bool = True) -> str:
    """Return the first message of ``problems`` or "" when the text is safe."""
    found = problems(text, multiline=multiline, limit=1)
    return found[0] if found else ""


def clean(text: str, *, multiline: bool = True) -> str:
    """Return ``text`` without its invisible or unsafe characters."""
    if not _SUSPECT.search(text):
        return text
    unsafe = set(_unsafe_positions(text, multiline))
    return "".join(char for index, char in enumerate(text) if index not in unsafe)


def visible_or_empty(text: str, *, multiline: bool = False) -> str:
    """Return ``text`` cleaned and stripped, or "" when nothing visible is left."""
    text = clean(text, multiline=multiline).strip()
    return text if has_visible(text) else ""


def stored_text(text: str) -> str:
    """Return typed text as an answer or a roster cell stores it: visible, at most 2,000 chars."""
    return visible_or_empty(text)[:MAX_STORED_CHARS]


def clean_answers(answers: object) -> dict:
    """Return stored answers with unsafe characters removed from every text (for display)."""
    if not isinstance(answers, dict):
        return {}
    cleaned = {}
    for key, value in answers.items():
        if isinstance(value, str):
            value = clean(value, multiline=False)
        elif isinstance(value, list):
            value = [_clean_item(v) for v in value]
        cleaned[key] = value
    return cleaned


def _clean_item(value: object) -> object:
    """Clean a list item: a text, or a roster row (an object of texts and lists of texts)."""
    if isinstance(value, str):
        return clean(value, multiline=False)
    if isinstance(value, dict):
        return {
            k: clean(v, multiline=False)
            if isinstance(v, str)
            else [clean(x, multiline=False) if isinstance(x, str) else x for x in v]
            if isinstance(v, list)
            else v
            for k, v in value.items()
        }
    return value


def has_visible(text: str) -> bool:
    """Return True when ``text`` has at least one character that shows (not space, not format)."""
    return any(
        not char.isspace()
        and unicodedata.category(char)[0] not in ("C", "Z")
        and char not in _JOINERS
        for char in text
    )


def listing(items: Iterable[object], *, limit: int = MAX_LISTED, quote=repr) -> str:
    """Return the first ``limit`` items, then "and N more": a message that stays short."""
    items = list(items)
    shown = ", ".join(quote(item) for item in items[:limit])
    if len(items) > limit:
        shown += f" and {len(items) - limit:,} more"
    return shown


MAX_LINES = 50


def bounded_lines(lines: Iterable[str], *, limit: int = MAX_LINES) -> list[str]:
    """Return the first ``limit`` lines, then one line counting the rest."""
    lines = list(lines)
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"… and {len(lines) - limit:,} more problem(s) not shown."]
