"""Every question's show_if compiles and names only earlier questions (system check E011)."""

from dataclasses import replace

import pytest

from planner import catalog
from planner.checks import check_show_if


def with_show_if(key, show_if):
    """Return the catalog's questions with one question's show_if replaced."""
    questions = dict(catalog.QUESTIONS)
    questions[key] = replace(questions[key], show_if=show_if)
    return questions


def test_shipped_questions_are_sound():
    assert catalog.show_if_errors() == {}
    assert check_show_if(None) == []


@pytest.mark.parametrize(
    ("show_if", "expected"),
    [
        ('sandboxes == "per_developer" and', "unexpected end of the condition"),
        ('sandboxes == "every_tuesday"', "every_tuesday"),
        ('sandboxe == "shared"', "sandboxe"),
        ('config_management == "terraform"', "not asked before this one: config_management"),
    ],
    ids=["syntax", "unknown-choice", "unknown-name", "later-question"],
)
def test_broken_show_if_is_reported(show_if, expected):
    problems = catalog.show_if_errors(with_show_if("sandbox_count", show_if))
    assert list(problems) == ["sandbox_count"]
    assert any(expected in message for message in problems["sandbox_count"]), problems


def test_facts_may_be_named():
    questions = with_show_if("sandbox_count", "enterprise and tenant_count > 3")
    assert catalog.show_if_errors(questions) == {}


def test_system_check_names_the_question(monkeypatch):
    monkeypatch.setattr(catalog, "QUESTIONS", with_show_if("login_host", "nope =="))
    errors = check_show_if(None)
    assert [e.id for e in errors] == ["planner.E011"]
    assert errors[0].msg.startswith("Question login_host: show_if:")
    assert "planner/questions.py" in errors[0].hint
