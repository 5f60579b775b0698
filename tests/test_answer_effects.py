"""Every answer of the catalog changes the plan: a rule, a recommendation's text or the topology.

Issue 12 found answers that changed nothing (``partners``, ``passwordless``, ``saml``) and two
answers with identical advice (``our_admin_portal``, ``auth0_self_service``). This test answers
every choice of every question over a few complete answer sets and fails for any choice that
never changes the outcome compared with another choice of the same question.
"""

import pytest

from planner import catalog, rules
from planner.topology import derive_topology
from tests.helpers import EXAMPLES

RULESET = rules.CompiledRuleset.from_file()

# The example answer sets, plus two variants that show questions the examples hide.
BASES = [example["answers"] for example in EXAMPLES.values()]
BASES += [
    {**answers, "data_residency": "some_customers_other_region", "additional_regions": ["eu"]}
    for answers in BASES[:1]
]
BASES += [
    {**answers, "user_communities": ["b2b_customers", "employees"], "communities_share_apps": "all"}
    for answers in BASES[:1]
]

BASES += [{**BASES[0], "sandboxes": "per_developer"}]
BASES += [{**BASES[0], "existing_prod_tenant": "yes"}]

# Deliberate exceptions: (question, choice) -> why it changes nothing on its own.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("app_protocols", "oidc_oauth"): (
        "OIDC/OAuth 2.0 is what Organizations and every recommendation assume; only the other "
        "protocols (SAML, WS-Fed, ROPG, device flow, classic login) need advice of their own"
    ),
    ("client_types", "regular_web"): (
        "server-side web apps keep the Auth0 session and need no refresh-token advice; only SPAs "
        "and native apps get sec-refresh-token-rotation"
    ),
}
# Free answers that name the plan rather than shape it, with the reason.
TEXT_EXCEPTIONS = {
    "company_name": "names the plan (cover, summary, file name); no rule or tenant depends on it",
}

# Free-text and number answers, with two valid values whose plans must differ.
TEXT_VALUES = {
    "company_name": ("Acme", "Globex"),
    "tenant_prefix": ("acme", "globex"),
    "primary_domain": ("acme.com", "globex.com"),
    "login_host": ("login", "auth"),
    "sandbox_count": (2, 3),
    # The existing tenant keeps its own name (only when there is one to reuse).
    "existing_tenant_name": ("acme-legacy", "acme-old"),
    # A named customer with a tenant of its own adds that tenant.
    "customers": (
        [],
        [
            {
                "name": "First Harbor Bank",
                "slug": "first-harbor",
                "count": 1,
                "sign_in": ["enterprise_idp"],
                "idp": "entra_id",
                "email_domains": ["firstharbor.com"],
                "hosting": "dedicated",
                "region": "us",
                "login_domain": "login.firstharbor.com",
                "scim": "yes",
                "mfa": "required",
            }
        ],
    ),
}


def outcome(answers):
    """Return what a plan shows that answers can change: fired rules, their text, the tenants."""
    effective = catalog.effective_answers(answers)
    topology = derive_topology(effective)
    evaluation = rules.evaluate({**effective, **topology.facts}, RULESET)
    fired = tuple((r.key, r.recommendation) for r in evaluation.fired)
    return fired, repr(topology.tenants), repr(topology.production_tenants)


def multi_pairs(question, value, base):
    """Return pairs of answer sets that differ only in whether ``value`` is ticked."""
    key = question.key
    if value == "none":
        return [({**base, key: ["none"]}, {**base, key: [v]}) for v in question.values[1:]]
    others = [v for v in question.values if v not in (value, "none")]
    pairs = [({**base, key: [v, value]}, {**base, key: [v]}) for v in others]
    if "none" in question.values:
        pairs.append(({**base, key: [value]}, {**base, key: ["none"]}))
    chosen = [v for v in base.get(key) or [] if v not in (value, "none")]
    if chosen:
        pairs.append(({**base, key: [*chosen, value]}, {**base, key: chosen}))
    return pairs


def has_effect(question, value):
    """Return True when the choice changes the outcome in some base answer set.

    A single choice must differ from another choice of its question (choices may share advice,
    such as "no" and "not sure"); a ticked box must differ from the same boxes without it.
    """
    if question.type == "single":
        return any(
            outcome({**base, question.key: value}) != outcome({**base, question.key: other})
            for base in BASES
            for other in question.values
            if other != value
        )
    return any(
        outcome(with_value) != outcome(without)
        for base in BASES
        for with_value, without in multi_pairs(question, value, base)
    )


CHOICES = [
    (q.key, v)
    for q in catalog.QUESTIONS.values()
    if q.type in ("single", "multi")
    for v in q.values
]


def test_every_free_text_and_number_question_is_covered():
    free = {q.key for q in catalog.QUESTIONS.values() if q.type not in ("single", "multi")}
    assert free == set(TEXT_VALUES)


@pytest.mark.parametrize(("key", "value"), CHOICES, ids=[f"{k}={v}" for k, v in CHOICES])
def test_every_choice_changes_a_rule_or_the_topology(key, value):
    if (key, value) in EXCEPTIONS:
        pytest.skip(EXCEPTIONS[key, value])
    assert has_effect(catalog.QUESTIONS[key], value), (
        f"Answering {key} = {value!r} changes no rule, no recommendation and no tenant: "
        "give it a rule or list it in EXCEPTIONS with the reason."
    )


@pytest.mark.parametrize("key", sorted(TEXT_VALUES))
def test_every_free_answer_changes_the_plan(key):
    if key in TEXT_EXCEPTIONS:
        pytest.skip(TEXT_EXCEPTIONS[key])
    first, second = TEXT_VALUES[key]
    assert any(outcome({**base, key: first}) != outcome({**base, key: second}) for base in BASES), (
        f"{key} changes neither a recommendation nor a tenant name"
    )


def test_the_reviewers_findings_are_fixed():
    """The answers issue 12 names now each get advice of their own."""
    base = EXAMPLES["p6-customers-partners-employees"]["answers"]
    portal = outcome(
        {**base, "customer_admin_model": "our_admin_portal", "customer_staff_admin": "no"}
    )
    self_service = outcome(
        {**base, "customer_admin_model": "auth0_self_service", "customer_staff_admin": "no"}
    )
    assert portal[0] != self_service[0]
    assert {k for k, _ in self_service[0]} - {k for k, _ in portal[0]} == {"tp-self-service-sso"}
