"""The roster parts of the version-2 default rules (rule release 3), each tipped by a roster.

Conditions are evaluated from the shipped file, as the plan evaluates them, on the example
answers with a roster added or changed; the facts are asserted too, so a roster the catalog
refused (and counted as empty) cannot make a case pass by accident.
"""

import json
from pathlib import Path

import pytest

from planner import catalog, rules

DATA = Path(__file__).parent / "data"
V1 = json.loads((DATA / "examples.json").read_text("utf-8"))
P1 = V1["p1-five-enterprise-customers"]["answers"]  # Enterprise, 5 customers on their own IdP
P2 = V1["p2-small-business-saas"]["answers"]  # Professional, thousands on our database
SHARED = {"name": "Contoso", "sign_in": ["enterprise_idp"], "idp": "entra_id"}
DEDICATED = {**SHARED, "name": "Fabrikam", "idp": "okta", "hosting": "dedicated"}
RULESET = rules.CompiledRuleset.from_file()

# Every rule that assumes customers share a tenant as Organizations; silent when every listed
# customer has a tenant of its own.
ORGANIZATION_RULES = {
    "tp-organizations",
    "tp-invitations",
    "tp-enterprise-auto-membership",
    "authz-org-claim",
    "tp-shared-app-login",
    "tp-db-per-org",
    "tp-multi-idp-orgs",
}
# P1 widened so that each of ORGANIZATION_RULES fires without a roster.
ORGS = {
    **P1,
    "customer_auth_methods": ["enterprise_idp", "our_database"],
    "multi_idp_orgs": "few",
    "dedicated_tenant_contract": "yes",  # dedicated rows are no design conflict
}


def evaluate(answers):
    read = catalog.read_answers(answers)
    assert "customers" not in read.errors, read.errors.get("customers")
    values = read.condition_values
    return values, {r.key: r for r in rules.evaluate(values, RULESET).fired}


def fired(answers):
    return set(evaluate(answers)[1])


def domain_rows(count, hosting="shared"):
    return [
        {**SHARED, "name": f"Customer {i}", "login_domain": f"login.customer{i}.com",
         "hosting": hosting}
        for i in range(count)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("customers", "fires"),
    [
        (None, True),  # no roster: as in version 1
        ([SHARED], True),
        ([DEDICATED], False),  # every listed customer has its own tenant
        ([DEDICATED, {**DEDICATED, "name": "Northwind"}], False),
        ([DEDICATED, SHARED], True),  # some customers still share a tenant
        ([DEDICATED, {**SHARED, "name": "Small firms", "count": 40}], True),
    ],
)
def test_organization_rules_stay_silent_when_every_customer_has_its_own_tenant(customers, fires):
    answers = ORGS if customers is None else {**ORGS, "customers": customers}
    values, _ = evaluate(answers)
    assert values["dedicated_customer_count"] == sum(
        1 for c in customers or () if c.get("hosting") == "dedicated"
    )
    got = fired(answers)
    assert (got >= ORGANIZATION_RULES) is fires
    assert (got & ORGANIZATION_RULES == set()) is not fires


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        (P2, "tp-shared-db-isolated"),
        ({**P1, "user_isolation": "shared"}, "tp-shared-users"),
    ],
)
def test_shared_connection_rules_stay_silent_when_every_customer_has_its_own_tenant(answers, key):
    assert key in fired(answers)
    own = {**DEDICATED, "sign_in": ["our_database"], "idp": None}
    assert key in fired({**answers, "customers": [own, {**SHARED, "name": "Northwind"}]})
    assert key not in fired({**answers, "dedicated_tenant_contract": "yes", "customers": [own]})


def test_connection_entitlement_counts_the_roster_on_self_service_plans():
    assert "tp-connection-entitlement" not in fired(P2)  # no roster: nothing counted
    archetype = {**SHARED, "name": "Mid-market firms", "count": 40}
    northwind = {**SHARED, "name": "Northwind", "idp": "okta"}
    answers = {
        **P2,
        "customer_auth_methods": ["our_database", "enterprise_idp"],
        "customers": [archetype, northwind],
    }
    values, by_key = evaluate(answers)
    assert values["enterprise_connection_count"] == 41
    rule = by_key["tp-connection-entitlement"]
    assert "each environment tenant: 41, on the Professional plan" in rule.recommendation
    assert "tp-connection-entitlement" not in fired({**answers, "subscription": "enterprise"})
    database_only = {**answers, "customers": [{"name": "Solo", "sign_in": ["our_database"]}]}
    assert "tp-connection-entitlement" not in fired(database_only)


@pytest.mark.parametrize(
    ("count", "config", "onboarding", "fires"),
    [
        (None, "deploy_cli", "manual", False),
        (999, "deploy_cli", "manual", False),
        (1000, "deploy_cli", "manual", True),  # thousands of Organizations, however created
        (1000, "terraform", "manual", True),
        (1000, "manual", "manual", False),  # no pipeline to revert them
        (None, "deploy_cli", "realtime_api", True),  # as in release 2
    ],
)
def test_runtime_orgs_stay_out_of_the_pipeline_from_a_thousand_customers(
    count, config, onboarding, fires
):
    answers = {**P1, "config_management": config, "org_onboarding": onboarding}
    if count is not None:
        archetype = {"name": "Small firms", "count": count, "sign_in": ["our_database"]}
        answers["customers"] = [archetype]
    values, by_key = evaluate(answers)
    assert values["customer_count"] == (count or 0)
    assert ("sd-exclude-runtime-orgs" in by_key) is fires


MCD = {**P1, "customer_login_domains": "up_to_20", "login_domains_per_tenant": "2_20"}


@pytest.mark.parametrize(
    ("answers", "fires"),
    [
        ({**MCD, "customers": domain_rows(20)}, True),  # 20 + the generic default > 20
        ({**MCD, "customers": domain_rows(19)}, False),  # 19 + the default fit
        ({**MCD, "customers": domain_rows(19) + [DEDICATED]}, False),  # any dedicated row: off
        ({**MCD, "customers": domain_rows(25), "subscription": "professional"}, False),
        ({**MCD, "customers": domain_rows(25), "login_domains_per_tenant": "one"}, False),
        ({**MCD, "login_domains_per_tenant": "gt_20"}, True),  # as in release 2
    ],
)
def test_mcd_addon_counts_customer_domains_beside_the_default_domain(answers, fires):
    assert ("cd-mcd-addon" in fired(answers)) is fires


@pytest.mark.parametrize(
    ("answers", "fires"),
    [
        # One login domain per tenant, yet a shared customer brings its own: MCD after all.
        ({**MCD, "login_domains_per_tenant": "one", "customers": domain_rows(1)}, True),
        # Only a dedicated customer has its own domain, on its own tenant: no MCD needed.
        (
            {**MCD, "login_domains_per_tenant": "one", "dedicated_tenant_contract": "yes",
             "customers": domain_rows(1, hosting="dedicated")},
            False,
        ),
        ({**MCD, "login_domains_per_tenant": "one"}, False),  # no roster, one domain
        (MCD, True),  # no roster, several domains per tenant: as in release 2
        ({**MCD, "customer_login_domains": "none", "login_domains_per_tenant": "one"}, False),
        ({**MCD, "subscription": "professional", "customers": domain_rows(1)}, False),
    ],
)  # fmt: skip
def test_vanity_domains_need_mcd_when_a_shared_customer_brings_its_own_domain(answers, fires):
    got = fired(answers)
    assert ("tp-vanity-domain-mcd" in got) is fires
    assert ("cd-mcd-contract" in got) is fires
