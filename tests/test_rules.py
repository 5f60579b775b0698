"""The rules module: validation, interpolation, ordering, failures, caching, shipped rules."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from planner import catalog, rulefile, rules
from planner.models import PRIORITY_ORDER, SECTION_ORDER, Rule
from planner.topology import derive_topology
from tests.helpers import EXAMPLES, rule_dict

VERSION_1_KEYS = set(
    json.loads((Path(__file__).parent / "data" / "default_rules_v1.json").read_text())["rules"][i][
        "key"
    ]
    for i in range(69)
)

# --- the shipped rule file ------------------------------------------------------------------


def test_shipped_file_has_101_valid_rules():
    shipped = rulefile.read_rules_file()  # raises RuleFileError listing every problem
    assert len(shipped) == 101
    assert len({r["key"] for r in shipped}) == 101
    schema = catalog.condition_schema()
    for rule in shipped:
        assert rulefile.KEY_PATTERN.match(rule["key"]), rule["key"]
        assert rule["section"] in SECTION_ORDER
        assert rule["priority"] in PRIORITY_ORDER
        assert rulefile.validate_rule_data(rule) == {}, rule["key"]
        assert rules.interpolation_names(rule["recommendation"]) <= set(schema), rule["key"]
        assert rule["references"], rule["key"]
        for ref in rule["references"]:
            assert urlsplit(ref["url"]).scheme == "https", ref
    compiled = rules.CompiledRuleset.from_file()
    assert len(compiled.rules) == 101
    assert all(rule.condition is not None and not rule.error for rule in compiled.rules)


# --- validation -----------------------------------------------------------------------------

VALID = {
    "condition": 'user_isolation == "isolated"',
    "recommendation": "Use `{tenant_prefix}-prod`; {{literal}}.",
    "rationale": "Why.",
    "references": [{"title": "Docs", "url": "https://auth0.com/docs/"}],
}


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        (
            {"condition": 'user_isolaton == "isolated"'},
            "condition",
            'did you mean "user_isolation"',
        ),
        ({"condition": 'user_isolation == "isolatd"'}, "condition", "column 19"),
        ({"condition": "org_count == 3"}, "condition", "not a number"),
        ({"condition": "user_isolation = 1"}, "condition", 'use "=="'),
        ({"condition": ""}, "condition", "Enter a condition"),
        ({"recommendation": "Hi {tenant_prefx}"}, "recommendation", "{tenant_prefix}"),
        ({"recommendation": "Hi { there"}, "recommendation", 'unmatched "{"'),
        ({"recommendation": "  "}, "recommendation", "Enter the recommendation"),
        ({"rationale": ""}, "rationale", "Enter the rationale"),
        ({"references": [{"title": "x", "url": "http://a.com"}]}, "references", "https"),
        ({"references": [{"title": "", "url": "https://a.com"}]}, "references", "title"),
        ({"references": [{"url": "https://a.com"}]}, "references", "exactly"),
        ({"references": "https://a.com"}, "references", "list"),
    ],
)
def test_validate_rule_fields_reports_each_problem(changes, field, fragment):
    errors = rulefile.validate_rule_fields(**{**VALID, **changes})
    assert field in errors
    assert any(fragment in message for message in errors[field]), errors


def test_validate_rule_fields_accepts_a_valid_rule_and_checks_keys():
    assert rulefile.validate_rule_fields(**VALID) == {}
    assert rulefile.validate_rule_fields(**VALID, key="tp-ok") == {}
    assert "key" in rulefile.validate_rule_fields(**VALID, key="Bad Key")


# --- interpolation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "values", "expected"),
    [
        ("Prefix {tenant_prefix}.", {"tenant_prefix": "acme"}, "Prefix acme."),
        ("Plan: {subscription}", {"subscription": "enterprise"}, "Plan: Enterprise"),
        ("{user_isolation}", {}, rules.NOT_ANSWERED),
        ("{environments}", {"environments": []}, rules.NOT_ANSWERED),
        ("{production_tenant_count} prod", {"production_tenant_count": 2}, "2 prod"),
        ("{enterprise}/{enterprise}", {"enterprise": True}, "yes/yes"),
        ("{enterprise}", {"enterprise": False}, "no"),
        ("{{customer}} and {{ }}", {}, "{customer} and { }"),
        ("{{{tenant_prefix}}}", {"tenant_prefix": "a"}, "{a}"),
    ],
)
def test_interpolate(template, values, expected):
    assert rules.interpolate(template, values) == expected


def test_interpolation_names_skip_literal_braces():
    assert rules.interpolation_names("{a} {{b}} {c_d} {{{e}}}") == {"a", "c_d", "e"}


# --- evaluation order, reasons and failures ------------------------------------------------


def test_evaluate_orders_by_section_priority_position_key():
    ruleset = rules.CompiledRuleset.build(
        [
            rule_dict("ops-a", section="operations", priority="must", position=1),
            rule_dict("ctx-consider", section="context", priority="consider", position=1),
            rule_dict("ctx-should-20", section="context", priority="should", position=20),
            rule_dict("ctx-should-10-b", section="context", priority="should", position=10),
            rule_dict("ctx-should-10-a", section="context", priority="should", position=10),
            rule_dict("ctx-must", section="context", priority="must", position=99),
            rule_dict("tp-must", section="provisioning", priority="must", position=5),
            rule_dict("ctx-off", enabled=False),
            rule_dict("ctx-never", condition="false"),
        ]
    )
    evaluation = rules.evaluate({}, ruleset)
    assert evaluation.fired_keys == (
        "ctx-must",
        "ctx-should-10-a",
        "ctx-should-10-b",
        "ctx-should-20",
        "ctx-consider",
        "tp-must",
        "ops-a",
    )
    assert evaluation.failures == ()
    assert evaluation.ruleset_version == ruleset.version


def test_fired_rule_carries_reasons_interpolation_and_html():
    ruleset = rules.CompiledRuleset.build(
        [
            rule_dict(
                "tp-x",
                condition='user_isolation == "isolated" and production_tenant_count > 1',
                recommendation="Use **{tenant_prefix}** for {production_tenant_count} tenants.",
                rationale="*Because* <script>alert(1)</script>",
            )
        ]
    )
    values = {"user_isolation": "isolated", "production_tenant_count": 2, "tenant_prefix": "acme"}
    (fired,) = rules.evaluate(values, ruleset).fired
    assert fired.recommendation == "Use **acme** for 2 tenants."
    assert fired.recommendation_html == "<p>Use <strong>acme</strong> for 2 tenants.</p>"
    assert "<script>" not in fired.rationale_html and "<em>Because</em>" in fired.rationale_html
    assert fired.reasons == (
        rules.Reason(
            "user_isolation",
            catalog.QUESTIONS["user_isolation"].label,
            catalog.answer_label("user_isolation", "isolated"),
        ),
        rules.Reason("production_tenant_count", "Production tenants", "2"),
    )
    assert fired.references == ({"title": "Docs", "url": "https://auth0.com/docs/"},)


class Explodes:
    def __eq__(self, other):
        raise RuntimeError("boom")

    __hash__ = object.__hash__


def test_a_rule_raising_at_evaluation_is_a_failure_and_the_rest_fire():
    ruleset = rules.CompiledRuleset.build(
        [
            rule_dict("ctx-a", position=1),
            rule_dict("ctx-b", position=2, condition='user_isolation == "isolated"'),
            rule_dict("ctx-c", position=3),
        ]
    )
    evaluation = rules.evaluate({"user_isolation": Explodes()}, ruleset)
    assert evaluation.fired_keys == ("ctx-a", "ctx-c")
    assert [f.key for f in evaluation.failures] == ["ctx-b"]
    assert "boom" in evaluation.failures[0].message


def test_a_rule_made_invalid_in_the_database_is_reported(default_rules):
    Rule.objects.filter(key="tp-names-permanent").update(
        condition='retired_question == "yes"', updated_at=timezone.now()
    )
    evaluation = rules.evaluate({})
    assert [f.key for f in evaluation.failures] == ["tp-names-permanent"]
    assert "retired_question" in evaluation.failures[0].message
    assert "sd-tenant-per-environment" in evaluation.fired_keys  # `true`: still fires


def test_evaluate_rule_explains_both_outcomes():
    rule = Rule(condition='"b2b_customers" in user_communities and not enterprise')
    fired, reasons = rules.evaluate_rule(
        rule, {"user_communities": ["b2b_customers"], "enterprise": False}
    )
    assert fired
    assert [(r.question, r.answer) for r in reasons] == [
        ("user_communities", "Users of your business customers"),
        ("enterprise", "no"),
    ]
    fired, reasons = rules.evaluate_rule(rule, {"enterprise": True})
    assert not fired
    assert {(r.question, r.answer) for r in reasons} == {
        ("user_communities", rules.NOT_ANSWERED),
        ("enterprise", "yes"),
    }


# --- the current rule set -------------------------------------------------------------------


def test_current_ruleset_is_cached_until_a_rule_changes(default_rules, django_assert_num_queries):
    first = rules.current_ruleset()
    with django_assert_num_queries(1):  # the stamp only
        assert rules.current_ruleset() is first
    assert len(first.rules) == 101
    rule = Rule.objects.get(key="ops-log-streaming")
    rule.enabled = False
    rule.save()
    second = rules.current_ruleset()
    assert second is not first and len(second.rules) == 100
    assert second.version != first.version
    assert rules.ruleset_version() == second.version


def test_version_depends_on_content_not_on_saving(default_rules):
    before = rules.ruleset_version()
    Rule.objects.get(key="ops-log-streaming").save()  # same content, new updated_at
    assert rules.ruleset_version() == before
    assert before == rules.CompiledRuleset.from_file().version


# --- the worked examples --------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_examples_fire_exactly_the_expected_rules(default_rules, name):
    example = EXAMPLES[name]
    effective = catalog.effective_answers(example["answers"])
    values = {**effective, **derive_topology(effective).facts}
    evaluation = rules.evaluate(values)
    expected = example["expected"]["fired_rules"]
    assert evaluation.failures == ()
    assert sorted(evaluation.fired_keys) == sorted(expected)
    assert len(evaluation.fired_keys) == len(set(evaluation.fired_keys))
    # Version-2 examples list the version-1 rules in file order, then the new rules in the order
    # the specification's table adds them, so only the version-1 rules' order can be compared.
    by_file_order = sorted(
        evaluation.fired, key=lambda r: (SECTION_ORDER[r.section], r.position, r.key)
    )
    version_1 = [key for key in expected if key in VERSION_1_KEYS]
    assert [r.key for r in by_file_order if r.key in VERSION_1_KEYS] == version_1
    assert rules.values_for(example["answers"]) == values
