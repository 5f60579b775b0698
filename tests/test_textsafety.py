"""textsafety and safejson: the helpers every typed text and every JSON input goes through."""

import sys
import unicodedata

import pytest

from planner import safejson, textsafety

UNSAFE_CATEGORIES = {"Cf", "Cs", "Zl", "Zp"}


def test_every_format_surrogate_and_separator_character_is_caught():
    missed = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        unsafe = category in UNSAFE_CATEGORIES and char not in "\u200c\u200d"
        if unsafe and textsafety.clean("a" + char + "b") != "ab":
            missed.append(f"U+{code:04X}")
    assert missed == []


@pytest.mark.parametrize(
    ("text", "multiline", "cleaned"),
    [
        ("plain text", False, "plain text"),
        ("Acme\u202e evil", False, "Acme evil"),
        ("\u2066isolated\u2069", False, "isolated"),
        ("zero\u200bwidth\ufeff", False, "zerowidth"),
        ("nul\x00 and bell\x07", False, "nul and bell"),
        ("two\nlines\r\n\tindented", True, "two\nlines\r\n\tindented"),
        ("two\nlines", False, "twolines"),
        ("family 👨\u200d👩\u200d👧", False, "family 👨\u200d👩\u200d👧"),  # ZWJ kept
        ("lone \ud800 surrogate", False, "lone  surrogate"),
        ("tag \U000e0041 char", False, "tag  char"),
        ("café Ünïcode 日本", False, "café Ünïcode 日本"),
    ],
)
def test_clean(text, multiline, cleaned):
    assert textsafety.clean(text, multiline=multiline) == cleaned


def test_problems_name_the_character_and_where_it_is():
    assert textsafety.problems("safe") == []
    assert textsafety.problems("ab\u202ecd\u202e") == [
        "Remove the character U+202E (RIGHT-TO-LEFT OVERRIDE) at position 3 and 1 more "
        "time(s): it reverses or reorders the text around it."
    ]
    (message,) = textsafety.problems("line one\nline\x00two")
    assert message.startswith("Remove the character U+0000 (a control character) at line 2, col")


def test_problems_are_bounded():
    text = "".join(chr(code) for code in range(0x2060, 0x2070) if code != 0x2065)
    messages = textsafety.problems(text)
    assert len(messages) == textsafety.MAX_LISTED + 1
    assert messages[-1].startswith("… and ")


@pytest.mark.parametrize(
    ("text", "visible"),
    [("a", True), (" \u200b ", False), ("\u200d\u200d", False), ("\u202e", False), ("é", True)],
)
def test_visible_or_empty(text, visible):
    assert bool(textsafety.visible_or_empty(text)) is visible


def test_listing_and_bounded_lines():
    assert textsafety.listing(["a", "b"]) == "'a', 'b'"
    assert textsafety.listing(range(10), limit=2, quote=str) == "0, 1 and 8 more"
    assert textsafety.bounded_lines(["x"] * 3, limit=5) == ["x"] * 3
    assert textsafety.bounded_lines(["x"] * 3000, limit=2) == [
        "x",
        "x",
        "… and 2,998 more problem(s) not shown.",
    ]


def test_clean_answers():
    assert textsafety.clean_answers([1, 2]) == {}
    assert textsafety.clean_answers({"a": "x\u202e", "b": ["y\u2066", 3], "c": 4}) == {
        "a": "x",
        "b": ["y", 3],
        "c": 4,
    }


# --- safejson ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{"a": [1, {"b": "c"}]}', {"a": [1, {"b": "c"}]}),
        ('"[[[[ in a string is not nesting"', "[[[[ in a string is not nesting"),
        ('["escaped \\" [[[["]', ['escaped " [[[[']),
        (b"\xef\xbb\xbf[1]", [1]),  # a byte-order mark as some editors write it
        ('"\\ud83d\\ude00"', "😀"),  # a complete surrogate pair is one character
    ],
)
def test_loads_accepts_ordinary_json(text, value):
    assert safejson.loads(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 33 + "]" * 33, "Too deeply nested: 33 levels"),
        ("[" * 200_000, "Too deeply nested: 200000 levels"),
        ('{"a": NaN}', "NaN is not a JSON number"),
        ("[Infinity]", "Infinity is not a JSON number"),
        ('{"a": ["\\udc00"]}', "$.a[0]: U+DC00 (a lone surrogate) at position 1"),
        ('{"\\ud800": 1}', "$ (key): U+D800"),
        (b"\xff", "not UTF-8 text (byte 0)"),
        ("{", "Not valid JSON"),
        ("1" * 5000, "Not valid JSON"),
    ],
)
def test_loads_refuses_with_a_message(text, message):
    with pytest.raises(safejson.JSONInputError) as excinfo:
        safejson.loads(text)
    assert message in str(excinfo.value)


def test_loads_accepts_the_maximum_depth():
    assert safejson.loads("[" * safejson.MAX_DEPTH + "]" * safejson.MAX_DEPTH) is not None
