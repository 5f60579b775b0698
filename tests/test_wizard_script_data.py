"""wizard.js takes its "not answered" test and integer pattern from the page, not from a copy."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse

from planner import catalog
from planner.answers import UNANSWERED_FORMS, is_empty

STATIC_JS = Path(catalog.__file__).resolve().parent.parent / "static" / "js" / "wizard.js"


def form_attribute(html, name):
    match = re.search(rf'<form id="wizard-form"[^>]*\s{name}="([^"]*)"', html)
    assert match, f"{name} missing on the wizard form"
    return unescape(match.group(1))


@pytest.mark.django_db
def test_section_page_carries_the_server_tests(owner_client, project):
    html = owner_client.get(reverse("wizard_section", args=[project.code, "provisioning"])).text
    assert form_attribute(html, "data-integer-pattern") == catalog.INTEGER_PATTERN
    assert form_attribute(html, "data-unanswered").split() == list(UNANSWERED_FORMS)


def test_script_keeps_no_copy_of_the_tests():
    script = STATIC_JS.read_text("utf-8")
    assert "data-integer-pattern" in script and "data-unanswered" in script
    assert "{1,18}" not in script


@pytest.mark.parametrize(
    ("value", "form"),
    [(None, "null"), ("  ", "blank"), ("", "blank"), ([], "empty-list"), ((), "empty-list")],
)
def test_each_unanswered_form_is_what_the_server_calls_empty(value, form):
    assert form in UNANSWERED_FORMS
    assert is_empty(value)


@pytest.mark.parametrize("value", ["x", ["a"], 0, False])
def test_answers_are_not_empty(value):
    assert not is_empty(value)


@pytest.mark.parametrize(
    ("text", "number"), [("5", 5), ("+7", 7), ("-3", -3), ("5.0", None), ("1e3", None)]
)
def test_integer_pattern_is_what_normalize_accepts(text, number):
    matches = re.fullmatch(catalog.INTEGER_PATTERN, text) is not None
    assert matches == (number is not None)
    expected = number if number is not None else text
    assert catalog.normalize("sandbox_count", [text]) == expected
