"""The one bounded JSON reader for everything people hand us (rule files, answer files, admin).

``json.loads`` alone raises RecursionError on deeply nested input, accepts NaN and Infinity,
and decodes ``"\\ud800"`` into a string that fails later, far from the input, when it is
encoded or stored. ``loads`` refuses all of these up front with a message that says where.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate

from planner import textsafety

__all__ = ["MAX_DEPTH", "JSONInputError", "loads", "walk_strings"]

MAX_DEPTH = 32
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Where a lone surrogate can come from: an escape such as \ud800, or one already in the text.
_MAYBE_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]|[\ud800-\udfff]")


class JSONInputError(ValueError):
    """JSON that cannot be used; the message says what is wrong and where."""


def _max_depth(text: str) -> int:
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if not brackets:
        return 0
    return max(accumulate(map(_STEP.__getitem__, brackets)))


def _refuse_constant(name: str) -> object:
    raise JSONInputError(f"{name} is not a JSON number: write a number or null.")


def walk_strings(value: object, path: str = "$"):
    """Yield (path, string) for every key and string value in decoded JSON, without recursion."""
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            for key, child in item.items():
                yield f"{where} (key)", key
                stack.append((f"{where}.{key}", child))
        elif isinstance(item, list):
            stack.extend((f"{where}[{index}]", child) for index, child in enumerate(item))


def _depth(value: object) -> int:
    """Return how many lists and objects are nested in decoded JSON, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item if isinstance(child, list | dict))
    return deepest


def _too_deep(text: str, max_depth: int) -> JSONInputError:
    return JSONInputError(
        f"Too deeply nested: {_max_depth(text)} levels of lists and objects inside each other; "
        f"at most {max_depth} are accepted."
    )


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> object:
    """Return decoded JSON, or raise JSONInputError for invalid, too deep or non-Unicode input."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise JSONInputError(
                f"Not valid JSON: not UTF-8 text (byte {exc.start}); save the file as UTF-8."
            ) from None
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except JSONInputError:
        raise
    except RecursionError:
        raise _too_deep(text, max_depth) from None
    except ValueError as exc:
        raise JSONInputError(f"Not valid JSON: {exc}.") from None
    if isinstance(value, list | dict) and _depth(value) > max_depth:
        raise _too_deep(text, max_depth)
    if _MAYBE_SURROGATE.search(text):
        for where, string in walk_strings(value):
            match = _LONE_SURROGATE.search(string)
            if match:
                raise JSONInputError(
                    f"{where}: {textsafety.describe(match.group())} at position "
                    f"{match.start() + 1} is a lone surrogate, not a character: write the "
                    "character itself (or a complete surrogate pair)."
                )
    return value
