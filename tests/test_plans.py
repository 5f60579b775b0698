"""The plan builder: examples, JSON schema, fingerprint, warnings, checklist, appendix."""

import copy
import json

import pytest

from planner import catalog
from planner.models import Rule
from planner.plans import (
    PLAN_SCHEMA,
    build_plan,
    build_plan_from_answers,
    compute_fingerprint,
    plan_to_json,
    template_digest,
)
from tests.helpers import EXAMPLES

P6 = EXAMPLES["p6-customers-partners-employees"]["answers"]


def plan_json(answers, name="Acme", author="Olivia"):
    return plan_to_json(build_plan_from_answers(answers, name=name, author=author))


# The roster facts of a plan without a roster (docs/conditions.md).
NO_ROSTER = {
    "customer_count": 0,
    "dedicated_customer_count": 0,
    "enterprise_connection_count": 0,
    "customers_with_own_domain": 0,
    "shared_login_domain_count": 0,
}


def expected_tenants(expected):
    """Return version-1 expected tenants as planner.plan/2 writes them: one domain, not existing."""
    return [
        dict(
            t,
            custom_domain=t["custom_domain"] or None,
            custom_domains=[t["custom_domain"]] if t["custom_domain"] else [],
            existing=False,
        )
        for t in expected["tenants"]
    ]


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_example_plans(default_rules, key):
    example = EXAMPLES[key]
    data = plan_json(example["answers"])
    assert data["tenants"] == expected_tenants(example["expected"])
    assert data["facts"] == {**example["expected"]["facts"], **NO_ROSTER}
    assert data["customers"] == [] and data["usage"]["organizations"] == 0
    assert sorted(r["rule"] for r in data["recommendations"]) == sorted(
        example["expected"]["fired_rules"]
    )
    # The examples predate the security section: its questions are open items, nothing worse.
    assert [w["code"] for w in data["warnings"]] == ["open"]
    assert "Answer these to get the security recommendations" in data["warnings"][0]["message"]


def test_json_schema_keys(default_rules):
    data = plan_json(P6)
    assert set(data) == {
        "schema",
        "project",
        "questionnaire_version",
        "ruleset_version",
        "fingerprint",
        "facts",
        "production_tenants",
        "tenants",
        "customers",
        "dns_records",
        "usage",
        "conflicts",
        "recommendations",
        "warnings",
        "answers",
    }
    assert data["schema"] == PLAN_SCHEMA == "planner.plan/2"
    assert data["project"] == {"name": "Acme", "company": "Acme Logistics"}
    assert data["questionnaire_version"] == catalog.CATALOG_VERSION
    assert set(data["facts"]) == {"enterprise", "production_tenant_count", "tenant_count"} | set(
        NO_ROSTER
    )
    assert [pt["stem"] for pt in data["production_tenants"]] == ["acme", "acme-workforce"]
    for pt in data["production_tenants"]:
        assert set(pt) == {"purpose", "stem", "region", "reasons"}
        assert pt["reasons"]
    for tenant in data["tenants"]:
        assert set(tenant) == {
            "name",
            "purpose",
            "environment",
            "environment_tag",
            "region",
            "custom_domain",
            "custom_domains",
            "existing",
        }
    for rec in data["recommendations"]:
        assert set(rec) == {
            "rule",
            "section",
            "priority",
            "title",
            "recommendation",
            "rationale",
            "references",
            "reasons",
        }
        for ref in rec["references"]:
            assert set(ref) == {"title", "url"}
        for reason in rec["reasons"]:
            assert set(reason) == {"question", "label", "answer"}
    assert set(data["answers"]) == {
        "context",
        "provisioning",
        "association",
        "custom_domains",
        "sdlc",
    }
    assert data["answers"]["context"]["company_name"] == "Acme Logistics"
    assert data["answers"]["sdlc"]["environments"] == ["dev", "qa", "staging", "prod"]
    json.dumps(data)  # serializable as is


def test_tenant_without_domain_has_null_custom_domain(default_rules):
    answers = dict(P6, use_custom_domain="no")
    data = plan_json(answers)
    assert {t["custom_domain"] for t in data["tenants"]} == {None}


def test_reasons_explain_the_answers(default_rules):
    data = plan_json(P6)
    workforce = next(r for r in data["recommendations"] if r["rule"] == "ctx-workforce-separate")
    assert {r["question"] for r in workforce["reasons"]} >= {"user_communities"}


# --- fingerprint ---------------------------------------------------------------------------


def fingerprint(answers, **kwargs):
    kwargs = {"name": "Acme", "author": "Olivia", **kwargs}
    return build_plan_from_answers(answers, **kwargs).fingerprint


def test_fingerprint_is_stable(default_rules):
    assert fingerprint(P6) == fingerprint(copy.deepcopy(P6))
    assert fingerprint(P6) == fingerprint(dict(reversed(list(P6.items()))))
    assert len(fingerprint(P6)) == 64


def test_fingerprint_changes_with_an_answer(default_rules):
    assert fingerprint(P6) != fingerprint(dict(P6, primary_region="eu"))
    assert fingerprint(P6) != fingerprint(dict(P6, environments=["dev", "prod"]))


def test_fingerprint_ignores_answers_that_do_not_count(default_rules):
    # sandbox_count is hidden unless sandboxes == "per_developer"; an invalid answer never counts.
    assert fingerprint(P6) == fingerprint(dict(P6, sandbox_count=7))
    assert fingerprint(P6) == fingerprint(dict(P6, login_host="Not A Label"))


def test_fingerprint_changes_with_name_and_author(default_rules):
    assert fingerprint(P6) != fingerprint(P6, name="Other")
    assert fingerprint(P6) != fingerprint(P6, author="Someone else")


def test_fingerprint_changes_with_a_rule(default_rules):
    before = fingerprint(P6)
    rule = Rule.objects.get(key="ops-log-streaming")
    rule.title = "Stream logs somewhere safe"
    rule.save()
    after = fingerprint(P6)
    assert after != before
    rule.enabled = False
    rule.save()
    assert fingerprint(P6) not in (before, after)


def test_fingerprint_changes_with_the_templates(tmp_path):
    (tmp_path / "templates" / "pdf").mkdir(parents=True)
    page = tmp_path / "templates" / "pdf" / "plan.html"
    page.write_text("<p>one</p>")
    entries = ("templates/pdf", "static/css/pdf.css")
    first = template_digest(tmp_path, entries)
    assert template_digest(tmp_path, entries) == first
    page.write_text("<p>two</p>")
    second = template_digest(tmp_path, entries)
    assert second != first
    common = {"name": "Acme", "author": "Olivia", "ruleset_version": "r1"}
    assert compute_fingerprint(P6, templates=first, **common) != compute_fingerprint(
        P6, templates=second, **common
    )
    assert compute_fingerprint(P6, templates=first, **common) == compute_fingerprint(
        P6, templates=first, **common
    )


def test_template_digest_covers_the_real_templates():
    digest = template_digest()
    assert len(digest) == 64


# --- warnings ------------------------------------------------------------------------------


def test_incomplete_project_still_plans_with_warnings(default_rules):
    plan = build_plan_from_answers(
        {"company_name": "Acme", "tenant_prefix": "acme"}, name="Draft", author="Olivia"
    )
    codes = {w.code for w in plan.warnings}
    assert "incomplete" in codes
    assert not plan.complete
    incomplete = [w for w in plan.warnings if w.code == "incomplete"]
    # Every section with a required question; customers and security ask none.
    assert {w.section for w in incomplete} == {s.key for s in catalog.SECTIONS} - {
        "customers",
        "security",
    }
    # Security asks only optional questions: the unanswered ones are open items instead.
    open_items = [w for w in plan.warnings if w.code == "open"]
    assert [w.section for w in open_items] == ["security"]
    assert "“Which kinds of applications sign users in?”" in open_items[0].message
    context = next(w for w in incomplete if w.section == "context")
    assert "User communities" in context.message or "user communities" in context.message.lower()
    assert plan.recommendations  # rules that hold without answers still fire
    data = plan_to_json(plan)
    assert all(set(w) == {"code", "message"} for w in data["warnings"])


def test_empty_project_plans(default_rules):
    plan = build_plan_from_answers({}, name="Empty")
    assert plan.topology.tenants == ()
    assert "tenant-prefix-missing" in {w.code for w in plan.warnings}
    assert plan.filename_stem == "empty"


def test_invalid_answer_is_a_warning(default_rules):
    plan = build_plan_from_answers(dict(P6, subscription="platinum"), name="Acme")
    invalid = [w for w in plan.warnings if w.code == "answer-invalid"]
    assert len(invalid) == 1
    assert "platinum" in invalid[0].message
    assert invalid[0].section == "context"


def test_failing_rule_is_a_warning_and_the_rest_of_the_plan_stays(default_rules):
    Rule.objects.create(
        key="broken-rule",
        section="operations",
        title="Broken",
        recommendation="Never shown.",
        rationale="Never shown.",
        priority="must",
        condition="no_such_question == 1",
    )
    plan = build_plan_from_answers(P6, name="Acme")
    failed = [w for w in plan.warnings if w.code == "rule-failed"]
    assert len(failed) == 1
    assert "broken-rule" in failed[0].message
    keys = {r.key for r in plan.recommendations}
    assert set(EXAMPLES["p6-customers-partners-employees"]["expected"]["fired_rules"]) == keys


# --- summary, checklist, appendix ----------------------------------------------------------


def test_summary(default_rules):
    plan = build_plan_from_answers(P6, name="Acme")
    summary = plan.summary
    assert "2 production tenants" in summary.paragraph
    assert "Organizations" in summary.paragraph
    assert "login.acme.com" in summary.paragraph
    topics = [d.topic for d in summary.decisions]
    assert topics == [
        "Production tenants",
        "Organizations",
        "Login domain",
        "Environments",
        "Configuration management",
    ]
    counts = {p: sum(1 for r in plan.recommendations if r.priority == p) for p in summary.counts}
    assert dict(summary.counts) == counts
    assert sum(summary.counts.values()) == len(plan.recommendations)


def test_recommendations_grouped_by_section_must_first(default_rules):
    plan = build_plan_from_answers(P6, name="Acme")
    order = {"must": 0, "should": 1, "consider": 2}
    for group in plan.recommendation_groups:
        priorities = [order[r.priority] for r in group.recommendations]
        assert priorities == sorted(priorities)
        assert {r.section for r in group.recommendations} == {group.section}


def test_checklist_has_must_and_should_only(default_rules):
    plan = build_plan_from_answers(P6, name="Acme")
    items = [item for group in plan.checklist for item in group.items]
    expected = [r.key for g in plan.recommendation_groups for r in g.recommendations]
    expected = [k for k in expected if k != "sd-staging-sandboxes"]  # the one "consider"
    assert [item.rule for item in items] == expected
    assert {item.priority for item in items} == {"must", "should"}


def test_appendix_lists_visible_questions_and_marks_unanswered(default_rules):
    answers = dict(P6)
    del answers["primary_region"]
    plan = build_plan_from_answers(answers, name="Acme")
    rows = {row.key: row for section in plan.appendix for row in section.answers}
    assert set(rows) == catalog.visible_keys(answers)
    assert rows["primary_region"].answer == "Not answered"
    assert not rows["primary_region"].answered
    assert rows["subscription"].answer == catalog.answer_label("subscription", "enterprise")
    assert "sandbox_count" not in rows  # hidden


def test_build_plan_from_project(default_rules, project):
    project.answers = P6
    project.save()
    plan = build_plan(project)
    assert plan.name == project.name
    assert plan.author == project.owner.get_username()
    assert plan.date == project.updated_at.date()
    assert plan.fingerprint == fingerprint(P6, name=project.name, author="olivia")
    assert "<svg" in plan.svg
    assert plan.filename_stem == "acme"


def test_plan_is_immutable(default_rules):
    plan = build_plan_from_answers(P6, name="Acme")
    with pytest.raises(AttributeError):
        plan.name = "Other"
    with pytest.raises(TypeError):
        plan.answers["company_name"] = "Other"


def test_summary_counts_tenants_only_once_environments_are_chosen(default_rules):
    with_envs = build_plan_from_answers(P6, name="Acme").summary.paragraph
    assert "8 tenants in all once every environment is counted" in with_envs

    without = {k: v for k, v in P6.items() if k != "environments"}
    paragraph = build_plan_from_answers(without, name="Acme").summary.paragraph
    assert "2 production tenants (acme and acme-workforce)" in paragraph
    assert "with the environments still to be chosen" in paragraph
    assert "0 tenants" not in paragraph
