"""The derived topology (tenants, names, domains, facts): pure Python, no Django."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.topology import (
    ENV_ORDER,
    REASON_DEDICATED_COMPLEX,
    REASON_DEDICATED_CONSENT,
    REASON_DEDICATED_CONTRACT,
    REASON_DEDICATED_DOMAIN,
    Tenant,
    Topology,
    check_tenant_name,
    derive_topology,
    environment_tag,
)
from tests.helpers import EXAMPLES

FIELDS = ("name", "purpose", "environment", "environment_tag", "region", "custom_domain")


def rows(topology: Topology) -> list[dict[str, str]]:
    return [{f: getattr(t, f) for f in FIELDS} for t in topology.tenants]


def names(topology: Topology) -> list[str]:
    return [t.name for t in topology.tenants]


def codes(topology: Topology) -> list[str]:
    return [i.code for i in topology.issues]


BASE = {
    "company_name": "Acme",
    "tenant_prefix": "acme",
    "primary_domain": "acme.com",
    "user_communities": ["b2b_customers"],
    "subscription": "professional",
    "customer_login_domains": "none",
    "dedicated_tenant_contract": "no",
    "data_residency": "single_region",
    "primary_region": "us",
    "use_custom_domain": "yes",
    "custom_domain_nonprod": "yes",
    "environments": ["dev", "prod"],
    "sandboxes": "none",
}


def make(**changes) -> dict:
    answers = dict(BASE)
    for key, value in changes.items():
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
    return answers


# The roster facts of a plan without a roster (docs/conditions.md).
NO_ROSTER = {
    "customer_count": 0,
    "dedicated_customer_count": 0,
    "enterprise_connection_count": 0,
    "customers_with_own_domain": 0,
    "shared_login_domain_count": 0,
}

# --------------------------------------------------------------------------- examples


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_examples_tenants_and_facts(key):
    example = EXAMPLES[key]
    topology = derive_topology(example["answers"])
    assert rows(topology) == example["expected"]["tenants"]
    # Version-1 examples have no roster: the roster facts are 0 and the others unchanged.
    assert dict(topology.facts) == {**example["expected"]["facts"], **NO_ROSTER}
    assert topology.issues == ()


def test_examples_file_has_the_four_projects():
    assert len(EXAMPLES) >= 4


def test_p6_production_tenants():
    topology = derive_topology(EXAMPLES["p6-customers-partners-employees"]["answers"])
    assert [
        (p.purpose, p.stem, p.region, p.custom_domain) for p in topology.production_tenants
    ] == [
        ("primary", "acme", "us", "login.acme.com"),
        ("workforce", "acme-workforce", "us", "login.workforce.acme.com"),
    ]
    assert all(p.reasons for p in topology.production_tenants)
    assert [t.name for t in topology.tenants_of(topology.production_tenants[1])] == [
        "acme-workforce-dev",
        "acme-workforce-qa",
        "acme-workforce-staging",
        "acme-workforce-prod",
    ]


# --------------------------------------------------------------------------- purposes


@pytest.mark.parametrize(
    ("communities", "share", "workforce"),
    [
        (["b2b_customers", "employees"], "none", True),
        (["b2b_customers", "employees"], "some", False),
        (["b2b_customers", "employees"], "all", False),
        (["b2b_customers", "employees"], None, False),  # hidden/unanswered
        (["b2b_customers", "partners"], "none", False),
        (["employees"], None, False),
    ],
)
def test_workforce(communities, share, workforce):
    topology = derive_topology(make(user_communities=communities, communities_share_apps=share))
    purposes = [p.purpose for p in topology.production_tenants]
    assert ("workforce" in purposes) is workforce
    if workforce:
        assert purposes == ["primary", "workforce"]
        assert names(topology) == [
            "acme-dev",
            "acme-prod",
            "acme-workforce-dev",
            "acme-workforce-prod",
        ]
        assert topology.facts["production_tenant_count"] == 2
        assert topology.production_tenants[1].custom_domain == "login.workforce.acme.com"
        assert topology.tenants[2].custom_domain == "login-dev.workforce.acme.com"


def test_regional_two_regions():
    topology = derive_topology(
        make(
            data_residency="some_customers_other_region",
            additional_regions=["eu", "au"],
            environments=["qa", "prod", "dev"],
        )
    )
    assert [(p.purpose, p.stem, p.region) for p in topology.production_tenants] == [
        ("primary", "acme", "us"),
        ("regional", "acme-eu", "eu"),
        ("regional", "acme-au", "au"),
    ]
    assert rows(topology)[3:6] == [
        {
            "name": "acme-eu-dev",
            "purpose": "regional",
            "environment": "dev",
            "environment_tag": "development",
            "region": "eu",
            "custom_domain": "login-dev.eu.acme.com",
        },
        {
            "name": "acme-eu-qa",
            "purpose": "regional",
            "environment": "qa",
            "environment_tag": "development",
            "region": "eu",
            "custom_domain": "login-qa.eu.acme.com",
        },
        {
            "name": "acme-eu-prod",
            "purpose": "regional",
            "environment": "prod",
            "environment_tag": "production",
            "region": "eu",
            "custom_domain": "login.eu.acme.com",
        },
    ]
    assert topology.production_tenants[1].custom_domain == "login.eu.acme.com"
    assert names(topology)[6:] == ["acme-au-dev", "acme-au-qa", "acme-au-prod"]
    assert "eu" in topology.production_tenants[1].reasons[0]
    assert dict(topology.facts) == {
        "enterprise": False,
        "production_tenant_count": 3,
        "tenant_count": 9,
        **NO_ROSTER,
    }


def test_regional_only_with_some_customers_other_region():
    topology = derive_topology(make(data_residency="single_region", additional_regions=["eu"]))
    assert [p.purpose for p in topology.production_tenants] == ["primary"]


def test_regional_skips_the_primary_region_with_an_issue():
    topology = derive_topology(
        make(data_residency="some_customers_other_region", additional_regions=["us", "eu"])
    )
    assert [p.stem for p in topology.production_tenants] == ["acme", "acme-eu"]
    assert "region-duplicate" in codes(topology)


@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        (
            {
                "user_isolation": "isolated",
                "multi_idp_orgs": "few",
                "complex_org_hosting": "dedicated_tenants",
            },
            (REASON_DEDICATED_COMPLEX,),
        ),
        ({"branded_social_consent": "yes"}, (REASON_DEDICATED_CONSENT,)),
        ({"dedicated_tenant_contract": "yes"}, (REASON_DEDICATED_CONTRACT,)),
        ({"customer_login_domains": "up_to_20"}, (REASON_DEDICATED_DOMAIN,)),
        ({"customer_login_domains": "more_than_20"}, (REASON_DEDICATED_DOMAIN,)),
        (
            {
                "complex_org_hosting": "dedicated_tenants",
                "branded_social_consent": "yes",
                "dedicated_tenant_contract": "yes",
                "customer_login_domains": "up_to_20",
            },
            (
                REASON_DEDICATED_COMPLEX,
                REASON_DEDICATED_CONSENT,
                REASON_DEDICATED_CONTRACT,
                REASON_DEDICATED_DOMAIN,
            ),
        ),
    ],
)
def test_dedicated_group_triggers(changes, reasons):
    topology = derive_topology(make(**changes))
    dedicated = topology.production_tenants[-1]
    assert dedicated.purpose == "dedicated"
    assert dedicated.per_customer is True
    assert dedicated.stem == "acme-{customer}"
    assert dedicated.region == "us"
    assert dedicated.reasons == reasons
    assert dedicated.custom_domain == ""
    assert names(topology) == [
        "acme-dev",
        "acme-prod",
        "acme-{customer}-dev",
        "acme-{customer}-prod",
    ]
    assert all(t.custom_domain == "" for t in topology.tenants if t.purpose == "dedicated")
    assert topology.facts["production_tenant_count"] == 2
    assert topology.facts["tenant_count"] == 4
    assert topology.issues == ()


def test_contract_reason_wording():
    assert REASON_DEDICATED_CONTRACT == "A customer contractually requires its own tenant."


@pytest.mark.parametrize(
    "changes",
    [
        {"complex_org_hosting": "organizations"},
        {"branded_social_consent": "no"},
        {"customer_login_domains": "none"},
        {"customer_login_domains": None},  # unanswered: the comparison is false
        {"customer_login_domains": "up_to_20", "subscription": "enterprise"},
        {"customer_login_domains": "up_to_20", "subscription": "private_cloud"},
    ],
)
def test_no_dedicated_group(changes):
    topology = derive_topology(make(**changes))
    assert [p.purpose for p in topology.production_tenants] == ["primary"]


def test_all_purposes_in_order():
    topology = derive_topology(
        make(
            user_communities=["b2b_customers", "employees"],
            communities_share_apps="none",
            data_residency="some_customers_other_region",
            additional_regions=["eu"],
            dedicated_tenant_contract="yes",
            environments=["prod"],
            sandboxes="shared",
        )
    )
    assert [p.purpose for p in topology.production_tenants] == [
        "primary",
        "workforce",
        "regional",
        "dedicated",
    ]
    assert names(topology) == [
        "acme-prod",
        "acme-sandbox",
        "acme-workforce-prod",
        "acme-eu-prod",
        "acme-{customer}-prod",
    ]
    assert topology.facts["production_tenant_count"] == 4
    assert topology.facts["tenant_count"] == 5


# --------------------------------------------------------------------------- sandboxes


def test_shared_sandbox():
    topology = derive_topology(make(sandboxes="shared"))
    assert rows(topology) == [
        {
            "name": "acme-dev",
            "purpose": "primary",
            "environment": "dev",
            "environment_tag": "development",
            "region": "us",
            "custom_domain": "login-dev.acme.com",
        },
        {
            "name": "acme-prod",
            "purpose": "primary",
            "environment": "prod",
            "environment_tag": "production",
            "region": "us",
            "custom_domain": "login.acme.com",
        },
        {
            "name": "acme-sandbox",
            "purpose": "primary",
            "environment": "sandbox",
            "environment_tag": "development",
            "region": "us",
            "custom_domain": "",
        },
    ]
    assert topology.facts["tenant_count"] == 3


def test_per_developer_sandboxes_follow_primary_environments():
    topology = derive_topology(
        make(
            sandboxes="per_developer",
            sandbox_count=3,
            user_communities=["employees", "b2b_customers"],
            communities_share_apps="none",
        )
    )
    assert names(topology) == [
        "acme-dev",
        "acme-prod",
        "acme-sandbox1",
        "acme-sandbox2",
        "acme-sandbox3",
        "acme-workforce-dev",
        "acme-workforce-prod",
    ]
    for tenant in topology.tenants[2:5]:
        assert tenant == Tenant(
            name=tenant.name,
            purpose="primary",
            environment="sandbox",
            environment_tag="development",
            region="us",
            custom_domain="",
            stem="acme",
        )
    assert topology.facts["tenant_count"] == 7


def test_sandbox_count_ignored_unless_per_developer():
    assert names(derive_topology(make(sandboxes="none", sandbox_count=4))) == [
        "acme-dev",
        "acme-prod",
    ]


@pytest.mark.parametrize("count", [0, -3, 51, 10_000_000])
def test_sandbox_count_out_of_range_is_an_issue(count):
    topology = derive_topology(make(sandboxes="per_developer", sandbox_count=count))
    assert "sandbox-count-invalid" in codes(topology)
    assert len([t for t in topology.tenants if t.environment == "sandbox"]) <= 50


def test_per_developer_without_count_has_no_sandboxes():
    topology = derive_topology(make(sandboxes="per_developer"))
    assert names(topology) == ["acme-dev", "acme-prod"]


# --------------------------------------------------------------------------- custom domains


def test_login_host():
    topology = derive_topology(make(login_host="id", environments=["dev", "staging", "prod"]))
    assert [t.custom_domain for t in topology.tenants] == [
        "id-dev.acme.com",
        "id-staging.acme.com",
        "id.acme.com",
    ]
    assert topology.production_tenants[0].custom_domain == "id.acme.com"


def test_empty_login_host_means_login():
    topology = derive_topology(make(login_host=""))
    assert topology.tenants[-1].custom_domain == "login.acme.com"


def test_custom_domain_nonprod_no():
    topology = derive_topology(
        make(
            custom_domain_nonprod="no",
            environments=list(ENV_ORDER),
            data_residency="some_customers_other_region",
            additional_regions=["eu"],
        )
    )
    domains = {t.name: t.custom_domain for t in topology.tenants}
    assert domains["acme-prod"] == "login.acme.com"
    assert domains["acme-eu-prod"] == "login.eu.acme.com"
    assert all(d == "" for n, d in domains.items() if not n.endswith("-prod"))


def test_custom_domain_nonprod_unanswered_means_none():
    topology = derive_topology(make(custom_domain_nonprod=None))
    assert [t.custom_domain for t in topology.tenants] == ["", "login.acme.com"]


@pytest.mark.parametrize(
    "changes",
    [
        {"primary_domain": None},
        {"primary_domain": ""},
        {"use_custom_domain": "no"},
        {"use_custom_domain": "undecided"},
        {"use_custom_domain": None},
    ],
)
def test_no_custom_domains(changes):
    topology = derive_topology(make(**changes, sandboxes="shared"))
    assert all(t.custom_domain == "" for t in topology.tenants)
    assert all(p.custom_domain == "" for p in topology.production_tenants)
    assert topology.issues == ()


def test_custom_domain_too_long_is_an_issue():
    long_label = "a" * 60
    topology = derive_topology(make(primary_domain=f"{long_label}.com", login_host="l" * 62))
    assert "custom-domain-invalid" in codes(topology)
    domain = f"{'l' * 62}-dev.{long_label}.com"
    assert topology.tenants[0].custom_domain == domain  # reported, not shortened
    assert any(domain in i.message for i in topology.issues)

    very_long = ".".join(["b" * 60] * 5) + ".com"  # > 253 characters once prefixed
    topology = derive_topology(make(primary_domain=very_long))
    assert "custom-domain-invalid" in codes(topology)


# --------------------------------------------------------------------------- tags


@pytest.mark.parametrize(
    ("environment", "tag"),
    [
        ("dev", "development"),
        ("qa", "development"),
        ("uat", "development"),
        ("staging", "staging"),
        ("perf", "development"),
        ("prod", "production"),
        ("sandbox", "development"),
    ],
)
def test_tag_mapping(environment, tag):
    assert environment_tag(environment) == tag


def test_all_environments_in_order_with_tags():
    topology = derive_topology(make(environments=["prod", "perf", "dev", "staging", "uat", "qa"]))
    assert [(t.environment, t.environment_tag) for t in topology.tenants] == [
        ("dev", "development"),
        ("qa", "development"),
        ("uat", "development"),
        ("staging", "staging"),
        ("perf", "development"),
        ("prod", "production"),
    ]


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("abc", True),
        ("a-b", True),
        ("ab", False),
        ("a" * 63, True),
        ("a" * 64, False),
        ("-abc", False),
        ("abc-", False),
        ("Abc", False),
        ("ab_c", False),
        ("ab.c", False),
        ("acme-{customer}-prod", True),
        ("a" * 55 + "-{customer}-prod", True),  # 55 + 1 + 1 + 5 = 62
        ("a" * 57 + "-{customer}-prod", False),  # 64 even with a 1-character customer
    ],
)
def test_check_tenant_name(name, ok):
    assert (check_tenant_name(name) == []) is ok


def test_long_prefix_is_reported_never_shortened():
    prefix = "a" * 56  # 56 + len("-staging") = 64, 56 + len("-prod") = 61
    topology = derive_topology(make(tenant_prefix=prefix, environments=["staging", "prod"]))
    assert names(topology) == [f"{prefix}-staging", f"{prefix}-prod"]
    invalid = [i for i in topology.issues if i.code == "tenant-name-invalid"]
    assert len(invalid) == 1
    assert f"{prefix}-staging" in invalid[0].message
    assert "63" in invalid[0].message


def test_dedicated_names_checked_with_one_character_customer():
    prefix = "p" * 50
    topology = derive_topology(
        make(tenant_prefix=prefix, dedicated_tenant_contract="yes", environments=["prod"])
    )
    # 50 + "-" + "{customer}"→1 + "-prod" = 57: fine
    assert topology.issues == ()
    prefix = "p" * 58
    topology = derive_topology(
        make(tenant_prefix=prefix, dedicated_tenant_contract="yes", environments=["prod"])
    )
    # the primary tenant is 63 (fine); the dedicated one is 65 even with a 1-char customer
    invalid = [i for i in topology.issues if i.code == "tenant-name-invalid"]
    assert len(invalid) == 1
    assert "{customer}" in invalid[0].message
    assert "1-character customer" in invalid[0].message


def test_invalid_characters_are_named():
    topology = derive_topology(make(tenant_prefix="Acme_Co", environments=["prod"]))
    [issue] = topology.issues
    assert issue.code == "tenant-name-invalid"
    assert "Acme_Co-prod" in issue.message
    assert "'A'" in issue.message and "'_'" in issue.message


def test_missing_prefix_is_an_issue_and_no_tenants():
    for answers in (make(tenant_prefix=None), make(tenant_prefix=""), make(tenant_prefix=3)):
        topology = derive_topology(answers)
        assert topology.tenants == ()
        assert topology.production_tenants == ()
        assert codes(topology) == ["tenant-prefix-missing"]
        assert topology.facts["tenant_count"] == 0
        assert topology.facts["production_tenant_count"] == 0


# --------------------------------------------------------------------------- partial answers


def test_empty_answers():
    topology = derive_topology({})
    assert topology.tenants == ()
    assert dict(topology.facts) == {
        "enterprise": False,
        "production_tenant_count": 0,
        "tenant_count": 0,
        **NO_ROSTER,
    }


def test_prefix_only():
    topology = derive_topology({"tenant_prefix": "acme"})
    assert [(p.purpose, p.stem, p.region) for p in topology.production_tenants] == [
        ("primary", "acme", "")
    ]
    assert topology.tenants == ()
    assert dict(topology.facts) == {
        "enterprise": False,
        "production_tenant_count": 1,
        "tenant_count": 0,
        **NO_ROSTER,
    }


def test_missing_environments_still_derives_sandboxes():
    topology = derive_topology(make(environments=None, sandboxes="shared"))
    assert names(topology) == ["acme-sandbox"]


def test_unknown_environment_is_ignored_with_an_issue():
    topology = derive_topology(make(environments=["prod", "preprod"]))
    assert names(topology) == ["acme-prod"]
    assert codes(topology) == ["environment-unknown"]


def test_enterprise_fact():
    assert derive_topology(make(subscription="enterprise")).facts["enterprise"] is True
    assert derive_topology(make(subscription="private_cloud")).facts["enterprise"] is True
    assert derive_topology(make(subscription="unknown")).facts["enterprise"] is False
    assert derive_topology(make(subscription=None)).facts["enterprise"] is False


def test_facts_are_read_only_and_json_serialisable():
    topology = derive_topology(make())
    with pytest.raises(TypeError):
        topology.facts["tenant_count"] = 99  # type: ignore[index]
    with pytest.raises(TypeError):
        topology.facts.update(tenant_count=99)
    assert json.loads(json.dumps(topology.facts)) == dict(topology.facts)


def test_derivation_is_deterministic():
    answers = EXAMPLES["p6-customers-partners-employees"]["answers"]
    assert derive_topology(answers) == derive_topology(dict(answers))


KEYS = [
    "tenant_prefix",
    "primary_domain",
    "user_communities",
    "communities_share_apps",
    "subscription",
    "complex_org_hosting",
    "customer_login_domains",
    "branded_social_consent",
    "dedicated_tenant_contract",
    "data_residency",
    "primary_region",
    "additional_regions",
    "use_custom_domain",
    "custom_domain_nonprod",
    "login_host",
    "environments",
    "sandboxes",
    "sandbox_count",
]
VALUES = {
    "tenant_prefix": ["acme", "a", "x" * 70, "Bad Name", "-a-"],
    "primary_domain": ["acme.com", "x.y.z", "a" * 300],
    "user_communities": [["b2b_customers", "employees"], ["employees"], ["consumers"]],
    "communities_share_apps": ["none", "some", "all"],
    "subscription": ["free", "enterprise", "private_cloud", "unknown"],
    "complex_org_hosting": ["organizations", "dedicated_tenants"],
    "customer_login_domains": ["none", "up_to_20", "more_than_20"],
    "branded_social_consent": ["no", "yes"],
    "dedicated_tenant_contract": ["no", "yes"],
    "data_residency": ["none", "single_region", "some_customers_other_region"],
    "primary_region": ["us", "eu", "au", "jp", "uk", "ca"],
    "additional_regions": [["eu"], ["au", "jp", "uk"], ["us"]],
    "use_custom_domain": ["yes", "no", "undecided"],
    "custom_domain_nonprod": ["yes", "no"],
    "login_host": ["login", "id", "auth"],
    "environments": [list(ENV_ORDER), ["prod"], ["dev", "prod"], ["bogus"]],
    "sandboxes": ["none", "shared", "per_developer"],
    "sandbox_count": [1, 10, 50],
}
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.text(max_size=80),
    st.lists(st.one_of(st.text(max_size=10), st.integers(), st.none()), max_size=8),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.floats(allow_nan=True),
)
plausible_answers = st.fixed_dictionaries(
    {}, optional={key: st.sampled_from(VALUES[key]) for key in KEYS}
)
junk_answers = st.dictionaries(st.sampled_from(KEYS), junk, max_size=len(KEYS))


def _check_invariants(topology: Topology) -> None:
    assert isinstance(topology, Topology)
    assert topology.facts["tenant_count"] == len(topology.tenants)
    assert topology.facts["production_tenant_count"] == len(topology.production_tenants)
    assert isinstance(topology.facts["enterprise"], bool)
    purposes = [p.purpose for p in topology.production_tenants]
    order = ["primary", "workforce", "regional", "dedicated"]
    assert purposes == sorted(purposes, key=order.index)
    for tenant in topology.tenants:
        assert tenant.environment_tag in ("production", "staging", "development")
        if check_tenant_name(tenant.name):
            assert any(
                i.code == "tenant-name-invalid" and tenant.name in i.message
                for i in topology.issues
            )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plausible_answers)
def test_random_partial_answers_never_raise(answers):
    _check_invariants(derive_topology(answers))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(junk_answers)
def test_random_junk_answers_never_raise(answers):
    _check_invariants(derive_topology(answers))


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.none(), st.integers(), st.text(), st.lists(st.integers())))
def test_non_mapping_answers_never_raise(answers):
    topology = derive_topology(answers)  # type: ignore[arg-type]
    assert topology.tenants == ()
