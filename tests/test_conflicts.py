"""Design conflicts (docs/rule-file.md): the default conflict rules, where they show, Finish."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from planner import catalog, rules
from planner.models import Project
from planner.plans import build_plan_from_answers, plan_to_json

DATA = Path(__file__).parent / "data"
V1 = json.loads((DATA / "examples.json").read_text("utf-8"))
V2 = json.loads((DATA / "examples_v2.json").read_text("utf-8"))
P1 = V1["p1-five-enterprise-customers"]["answers"]
P8 = V2["p8-hr-suite-mixed-roster"]["answers"]
SHARED = {"name": "Contoso", "sign_in": ["enterprise_idp"], "idp": "entra_id"}
DEDICATED = {**SHARED, "hosting": "dedicated"}

pytestmark = pytest.mark.django_db


@pytest.fixture
def default_rules(db):
    call_command("load_rules", verbosity=0)


def conflicts(answers):
    values = catalog.read_answers(answers).condition_values
    return [r.key for r in rules.evaluate(values).fired if r.priority == "conflict"]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (P1, []),
        (
            {**P1, "customers": [{**SHARED, "login_domain": "login.contoso.com"}]},
            ["cf-one-domain-customer-domains", "cf-customer-domains-answer"],
        ),
        (
            {**P1, "subscription": "professional",
             "customers": [{**SHARED, "login_domain": "login.contoso.com"}]},
            ["cf-one-domain-customer-domains", "cf-customer-domains-need-enterprise",
             "cf-customer-domains-answer"],
        ),
        (
            {**P1, "use_custom_domain": "no", "customer_login_domains": "up_to_20",
             "customers": [{**DEDICATED, "login_domain": "login.contoso.com"}]},
            ["cf-custom-domains-off", "cf-dedicated-without-reason"],
        ),
        ({**P1, "customers": [DEDICATED]}, ["cf-dedicated-without-reason"]),
        ({**P1, "customers": [DEDICATED], "dedicated_tenant_contract": "yes"}, []),
        (
            {**P1, "customer_auth_methods": ["our_database"], "customers": [SHARED]},
            ["cf-enterprise-idp-answer"],
        ),
        (
            {**P1, "customers": [{"name": "Many", "count": 10, "sign_in": ["our_database"]}]},
            ["cf-org-count-answer"],
        ),
        (
            {**P1, "existing_prod_tenant": "yes", "existing_tenant_name": "hoopla-live",
             "data_residency": "country_not_in_public_cloud"},
            ["cf-existing-tenant-region"],
        ),
    ],
)  # fmt: skip
def test_default_conflict_rules(default_rules, answers, expected):
    fired = conflicts(answers)
    assert sorted(fired) == sorted(expected)


def test_conflicts_are_apart_from_recommendations_in_the_plan(default_rules):
    plan = build_plan_from_answers(P8, name="Peoplegrid")
    assert [c.key for c in plan.conflicts] == ["cf-one-domain-customer-domains"]
    assert all(r.priority != "conflict" for r in plan.recommendations)
    assert "1 open design conflict between the answers needs a decision" in (plan.summary.paragraph)
    data = plan_to_json(plan)
    (conflict,) = data["conflicts"]
    assert conflict["priority"] == "conflict"
    reasons = {r["question"]: r["answer"] for r in conflict["reasons"]}
    assert reasons == {"login_domains_per_tenant": "One", "shared_login_domain_count": "2"}


def test_plan_page_lists_conflicts_first(owner_client, project, default_rules):
    project.answers = dict(P8)
    project.save()
    html = owner_client.get(f"/projects/{project.code}/plan/").text
    assert html.index('id="conflicts">Design conflicts') < html.index('id="summary"')
    assert 'id="rule-cf-one-domain-customer-domains"' in html
    assert "Customers in a shared tenant with their own login domain: 2" in html


def test_plan_page_without_conflicts_says_so(owner_client, project, default_rules):
    project.answers = dict(P1)
    project.save()
    assert (
        "No conflicts between the answers."
        in owner_client.get(f"/projects/{project.code}/plan/").text
    )


def test_review_page_shows_conflicts_with_links_and_finish_is_allowed(
    owner_client, project, default_rules
):
    answers = {k: v for k, v in P8.items() if k in catalog.QUESTIONS}
    project.answers = answers
    project.save()
    html = owner_client.get(f"/projects/{project.code}/review/").text
    assert "Design conflicts (1)" in html
    base = f"/projects/{project.code}/wizard/"
    assert f'href="{base}custom_domains/#q-login_domains_per_tenant"' in html
    assert f'href="{base}customers/#q-customers"' in html
    assert html.index("Design conflicts (1)") < html.index(">Finish</button>")
    response = owner_client.post(f"/projects/{project.code}/finish/", {"version": project.version})
    assert response.status_code == 302 and response.url.endswith("/plan/")
    assert Project.objects.get(pk=project.pk).finished_at is not None


def test_conflict_rules_can_be_disabled_like_any_rule(default_rules):
    from planner.models import Rule

    Rule.objects.filter(key="cf-one-domain-customer-domains").update(enabled=False)
    assert conflicts(P8) == []


def test_summary_counts_the_tenants_of_customers_with_their_own_tenant(default_rules):
    p7 = V2["p7-twelve-banks-dedicated"]["answers"]
    paragraph = build_plan_from_answers(p7, name="Ledgerline").summary.paragraph
    assert paragraph.startswith(
        "Ledgerline runs Auth0 in 13 production tenants (ledgerline and one for each of 12 "
        "customers with its own tenant), 52 tenants in all once every environment is counted: "
        "4 for the shared platform and 4 for each customer with its own tenant."
    )
    assert "Every listed customer has its own tenant, without Organizations." in paragraph
    p8 = build_plan_from_answers(P8, name="Peoplegrid").summary.paragraph
    assert "Organizations in the shared tenant of their region" in p8
