"""Answers read once: what each question shows, counts and is missing; facts computed once."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from planner import catalog, facts, topology
from planner.answers import NOT_ANSWERED, Answers

EXAMPLES = json.loads((Path(__file__).parent / "data" / "examples.json").read_text("utf-8"))
P2 = EXAMPLES["p2-small-business-saas"]["answers"]


def test_counts_only_visible_valid_answers():
    raw = {**P2, "sandboxes": "none", "sandbox_count": 7, "peak_auth_rps": "warp_speed"}
    answers = catalog.read_answers(raw)
    assert "sandbox_count" not in answers.visible  # hidden: sandboxes is not per_developer
    assert "sandbox_count" not in answers
    assert "peak_auth_rps" not in answers  # visible but invalid
    assert answers.errors["peak_auth_rps"]
    assert answers.answered("peak_auth_rps") and not answers.missing("peak_auth_rps")
    assert answers.label("peak_auth_rps") == "warp_speed"
    assert answers["company_name"] == P2["company_name"]
    assert list(answers) == [key for key in catalog.QUESTIONS if key in answers]


def test_missing_and_labels():
    answers = catalog.read_answers({"company_name": "Acme", "subscription": "enterprise"})
    assert answers.missing("tenant_prefix")
    assert answers.label("tenant_prefix") == NOT_ANSWERED
    assert not answers.answered("tenant_prefix")
    assert answers.label("subscription") == catalog.QUESTIONS["subscription"].choice_label(
        "enterprise"
    )
    assert answers.raw == {"company_name": "Acme", "subscription": "enterprise"}


def test_is_read_only_and_keeps_no_reference_to_the_raw_mapping():
    raw = dict(P2)
    answers = catalog.read_answers(raw)
    raw["company_name"] = "Changed"
    assert answers["company_name"] == P2["company_name"]
    with pytest.raises(TypeError):
        answers["company_name"] = "x"  # type: ignore[index]
    with pytest.raises(TypeError):
        answers.raw["company_name"] = "x"  # type: ignore[index]


def test_reading_twice_returns_the_same_object():
    answers = catalog.read_answers(P2)
    assert catalog.read_answers(answers) is answers


@pytest.mark.parametrize("raw", [None, [], "text", 3])
def test_anything_not_a_mapping_reads_as_no_answers(raw):
    answers = catalog.read_answers(raw)
    assert isinstance(answers, Answers) and len(answers) == 0
    assert answers.missing("company_name")


def test_topology_and_facts_are_derived_once():
    answers = catalog.read_answers(P2)
    assert answers.topology is answers.topology
    assert answers.facts == topology.derive_topology(dict(answers)).facts
    assert dict(answers.condition_values) == {**dict(answers), **answers.facts}


def test_facts_schema_is_the_condition_schema_for_facts():
    schema = catalog.condition_schema()
    for fact in facts.FACTS:
        assert schema[fact.name].kind == fact.kind and schema[fact.name].label == fact.label
    assert set(facts.compute({})) == {fact.name for fact in facts.FACTS}


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_the_length_check_covers_every_derived_name(key):
    answers = catalog.read_answers(EXAMPLES[key]["answers"])
    longest = catalog.longest_tenant_name(answers.raw)
    derived = [
        t.name for t in answers.topology.tenants if topology.CUSTOMER_PLACEHOLDER not in t.name
    ]
    assert derived and max(len(name) for name in derived) <= len(longest)
    assert longest in derived


# --- the question data drives validation ----------------------------------------------------


def text_errors(question, value):
    return catalog.QUESTION_TYPES[question.type].field_errors(question, value)


def test_prefix_limits_come_from_the_question():
    prefix = catalog.QUESTIONS["tenant_prefix"]
    assert text_errors(prefix, "abcdefghijkl") == []
    shorter = replace(prefix, max_length=10)
    assert text_errors(shorter, "abcdefghijkl") == ["The prefix has 12 characters; use 2 to 10."]


def test_prefix_pattern_comes_from_the_question():
    prefix = catalog.QUESTIONS["tenant_prefix"]
    assert text_errors(prefix, "a--b")[0].startswith("Use single hyphens")
    assert text_errors(replace(prefix, pattern=r"[a-z-]+"), "a--b") == []


def test_login_host_pattern_and_message_come_from_the_question():
    host = catalog.QUESTIONS["login_host"]
    assert text_errors(host, "login") == []
    assert text_errors(replace(host, pattern=r"auth[0-9]*"), "login") == [host.message]
    assert text_errors(replace(host, message="Custom rule."), "-a") == ["Custom rule."]


def test_every_question_names_a_known_check_and_type():
    for question in catalog.QUESTIONS.values():
        assert question.type in catalog.QUESTION_TYPES, question.key
        if question.type == "text":
            assert question.check in catalog.TEXT_CHECKS, question.key
        else:
            assert not question.check, question.key
