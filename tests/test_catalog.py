"""The questionnaire catalog: its public keys and values, validation and visibility."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner import catalog, textsafety
from planner.catalog import (
    QUESTIONS,
    SECTIONS,
    answer_label,
    condition_schema,
    effective_answers,
    longest_tenant_name,
    normalize,
    section,
    section_state,
    validate_all,
    validate_section,
    visible_keys,
)
from planner.conditions import check
from tests.helpers import EXAMPLES

# The public contract (docs/questionnaire.md): key, section, type, required, show_if, values.
SPEC = [
    ("company_name", "context", "text", True, "", ()),
    ("tenant_prefix", "context", "text", True, "", ()),
    ("primary_domain", "context", "text", False, "", ()),
    (
        "user_communities",
        "context",
        "multi",
        True,
        "",
        ("b2b_customers", "consumers", "employees", "partners"),
    ),
    (
        "communities_share_apps",
        "context",
        "single",
        True,
        "count(user_communities) > 1",
        ("none", "some", "all"),
    ),
    (
        "other_auth0_projects",
        "context",
        "single",
        True,
        "",
        ("no", "yes_same_community", "yes_other_community", "unknown"),
    ),
    ("existing_prod_tenant", "context", "single", True, "", ("no", "yes")),
    ("existing_tenant_name", "context", "text", False, 'existing_prod_tenant == "yes"', ()),
    ("sso_across_apps", "context", "single", True, "", ("no", "yes")),
    (
        "subscription",
        "context",
        "single",
        True,
        "",
        ("free", "essentials", "professional", "enterprise", "private_cloud", "unknown"),
    ),
    ("peak_auth_rps", "context", "single", True, "", ("lt_25", "25_100", "100_400", "gt_400")),
    (
        "app_protocols",
        "context",
        "multi",
        True,
        "",
        ("oidc_oauth", "saml", "wsfed", "ropg", "device_flow", "classic_login"),
    ),
    (
        "brand_structure",
        "context",
        "single",
        True,
        "",
        ("single_brand", "multi_brand_shared_users", "multi_brand_separate_users"),
    ),
    ("org_count", "provisioning", "single", True, "", ("lt_10", "10_1k", "1k_100k", "gt_100k")),
    ("user_isolation", "provisioning", "single", True, "", ("isolated", "shared", "mixed")),
    (
        "customer_auth_methods",
        "provisioning",
        "multi",
        True,
        "",
        ("our_database", "enterprise_idp", "social", "passwordless"),
    ),
    ("multi_idp_orgs", "provisioning", "single", True, "", ("none", "few", "many")),
    (
        "complex_org_hosting",
        "provisioning",
        "single",
        True,
        'user_isolation == "isolated" and multi_idp_orgs != "none"',
        ("organizations", "dedicated_tenants"),
    ),
    (
        "customer_login_domains",
        "provisioning",
        "single",
        True,
        "",
        ("none", "up_to_20", "more_than_20"),
    ),
    (
        "branded_social_consent",
        "provisioning",
        "single",
        True,
        '"social" in customer_auth_methods',
        ("no", "yes"),
    ),
    ("dedicated_tenant_contract", "provisioning", "single", True, "", ("no", "yes")),
    (
        "data_residency",
        "provisioning",
        "single",
        True,
        "",
        ("none", "single_region", "some_customers_other_region", "country_not_in_public_cloud"),
    ),
    ("primary_region", "provisioning", "single", True, "", ("us", "eu", "au", "jp", "uk", "ca")),
    (
        "additional_regions",
        "provisioning",
        "multi",
        True,
        'data_residency == "some_customers_other_region"',
        ("us", "eu", "au", "jp", "uk", "ca"),
    ),
    ("dedicated_infrastructure", "provisioning", "single", True, "", ("no", "yes")),
    (
        "customer_admin_model",
        "provisioning",
        "single",
        True,
        "",
        ("we_do_it", "our_admin_portal", "auth0_self_service"),
    ),
    ("org_onboarding", "provisioning", "single", True, "", ("manual", "realtime_api", "cicd_repo")),
    (
        "app_instance_model",
        "provisioning",
        "single",
        True,
        "",
        ("shared_app", "instance_per_customer"),
    ),
    ("largest_org_members", "provisioning", "single", True, "", ("lt_100k", "gt_100k")),
    (
        "idp_switch_later",
        "provisioning",
        "single",
        True,
        '"our_database" in customer_auth_methods',
        ("no", "yes"),
    ),
    ("customers", "customers", "roster", False, "", ()),
    ("tenants_linked", "association", "single", True, "", ("yes", "no", "unknown")),
    (
        "tenant_creation_control",
        "association",
        "single",
        True,
        "",
        ("team_owners_only", "admins_under_team", "uncontrolled"),
    ),
    ("dashboard_admins", "association", "single", True, "", ("one", "two_plus")),
    ("dashboard_mfa", "association", "single", True, "", ("yes", "no")),
    ("customer_staff_admin", "association", "single", True, "", ("no", "yes")),
    (
        "corporate_idp_for_dashboard",
        "association",
        "single",
        True,
        'subscription in ["enterprise", "private_cloud"]',
        ("no", "yes"),
    ),
    ("use_custom_domain", "custom_domains", "single", True, "", ("yes", "no", "undecided")),
    (
        "domain_strategy",
        "custom_domains",
        "single",
        True,
        'use_custom_domain == "yes"',
        ("central", "per_brand", "per_region", "per_customer", "hybrid"),
    ),
    (
        "login_domains_per_tenant",
        "custom_domains",
        "single",
        True,
        'use_custom_domain == "yes"',
        ("one", "2_20", "gt_20"),
    ),
    (
        "certificate_management",
        "custom_domains",
        "single",
        True,
        'use_custom_domain == "yes"',
        ("auth0_managed", "self_managed_proxy"),
    ),
    (
        "custom_domain_nonprod",
        "custom_domains",
        "single",
        True,
        'use_custom_domain == "yes"',
        ("yes", "no"),
    ),
    ("login_host", "custom_domains", "text", False, 'use_custom_domain == "yes"', ()),
    ("silent_auth_iframe", "custom_domains", "single", True, "", ("yes", "no")),
    ("passkeys", "custom_domains", "single", True, "", ("no", "single_domain", "multi_domain")),
    ("existing_federations", "custom_domains", "single", True, "", ("no", "yes")),
    (
        "dns_flattening",
        "custom_domains",
        "single",
        True,
        'certificate_management == "auth0_managed"',
        ("no", "yes", "unknown"),
    ),
    ("environments", "sdlc", "multi", True, "", ("dev", "qa", "uat", "staging", "perf", "prod")),
    ("sandboxes", "sdlc", "single", True, "", ("none", "shared", "per_developer")),
    ("sandbox_count", "sdlc", "int", True, 'sandboxes == "per_developer"', ()),
    (
        "config_management",
        "sdlc",
        "single",
        True,
        "",
        ("manual", "deploy_cli", "terraform", "custom_scripts"),
    ),
    ("cicd_pipeline", "sdlc", "single", True, "", ("yes", "no")),
    ("custom_code", "sdlc", "multi", True, "", ("none", "actions", "custom_db", "rules_hooks")),
    ("test_data", "sdlc", "single", True, "", ("synthetic", "copy_of_prod", "none_yet")),
    ("load_or_pen_test", "sdlc", "single", True, "", ("no", "load", "pen", "both")),
    ("environment_tags", "sdlc", "single", True, "", ("yes", "no")),
    ("own_email_provider", "sdlc", "single", True, "", ("yes", "no")),
    ("ad_ldap_connector", "sdlc", "single", True, "", ("no", "yes")),
    (
        "end_user_mfa",
        "security",
        "single",
        False,
        "",
        ("none", "optional", "required_for_all", "per_customer"),
    ),
    (
        "compliance_regimes",
        "security",
        "multi",
        False,
        "",
        ("none", "gdpr", "hipaa", "pci_dss", "soc2_iso27001", "other"),
    ),
    (
        "attack_exposure",
        "security",
        "single",
        False,
        'any_of(customer_auth_methods, ["our_database", "passwordless"])',
        ("invite_only", "public_signup", "targeted"),
    ),
    ("client_types", "security", "multi", False, "", ("regular_web", "spa", "native")),
    ("session_policy", "security", "single", False, "", ("defaults", "short", "long")),
    (
        "log_destination",
        "security",
        "single",
        False,
        "",
        ("none_yet", "same_region", "other_region"),
    ),
    (
        "customer_api_access",
        "security",
        "single",
        False,
        '"b2b_customers" in user_communities',
        ("none", "our_services", "customer_apps"),
    ),
    (
        "roles_per_org",
        "security",
        "single",
        False,
        '"b2b_customers" in user_communities',
        ("none", "shared_catalogue", "customer_defined"),
    ),
]

CONDITION_WORDS = {"and", "or", "not", "in", "true", "false", "count", "answered", "any_of"}


def valid_answers(**overrides):
    """Return a complete, valid set of answers (the first example), with overrides applied."""
    answers = dict(EXAMPLES["p1-five-enterprise-customers"]["answers"])
    answers.update(overrides)
    return {k: v for k, v in answers.items() if v is not None}


# --- the contract ---------------------------------------------------------------------------


def test_counts_and_order():
    assert len(QUESTIONS) == 66
    assert [s.key for s in SECTIONS] == [
        "context",
        "provisioning",
        "customers",
        "association",
        "custom_domains",
        "sdlc",
        "security",
    ]
    assert list(QUESTIONS) == [row[0] for row in SPEC]
    assert [q.key for s in SECTIONS for q in s.questions] == list(QUESTIONS)
    assert catalog.CATALOG_VERSION == "questionnaire/2"


@pytest.mark.parametrize(("key", "sec", "type_", "required", "show_if", "values"), SPEC)
def test_question_matches_spec(key, sec, type_, required, show_if, values):
    q = QUESTIONS[key]
    assert (q.section, q.type, q.required, q.show_if, q.values) == (
        sec,
        type_,
        required,
        show_if,
        values,
    )
    assert q in section(sec).questions


@pytest.mark.parametrize("key", list(QUESTIONS))
def test_question_has_label_help_and_docs_link(key):
    q = QUESTIONS[key]
    assert q.label.strip() and q.help.strip() and q.short_label.strip()
    assert q.links
    for title, url in q.links:
        assert title.strip()
        assert url.startswith("https://auth0.com/docs/")
    for choice in q.choices:
        assert choice.label.strip()
    assert len({c.label for c in q.choices}) == len(q.choices)


def test_sections_have_title_and_intro():
    for s in SECTIONS:
        assert s.title and s.intro
        assert all(q.section == s.key for q in s.questions)


def test_tenant_prefix_help_warns_names_are_permanent():
    text = QUESTIONS["tenant_prefix"].help.lower()
    assert "renamed" in text and "reused" in text


def test_defaults_and_placeholder():
    defaults = {k: q.default for k, q in QUESTIONS.items() if q.default is not None}
    assert defaults == {"existing_prod_tenant": "no", "complex_org_hosting": "organizations"}
    assert QUESTIONS["login_host"].placeholder == "login"
    for key, value in defaults.items():
        assert value in QUESTIONS[key].values


def test_section_lookup_unknown_raises():
    assert section("sdlc").title == "SDLC support"
    with pytest.raises(KeyError):
        section("nope")


def test_condition_schema_has_questions_and_facts():
    schema = condition_schema()
    assert set(schema) == set(QUESTIONS) | {
        "enterprise",
        "production_tenant_count",
        "tenant_count",
        "customer_count",
        "dedicated_customer_count",
        "enterprise_connection_count",
        "customers_with_own_domain",
        "shared_login_domain_count",
    }
    assert schema["customers"].kind == "roster"
    assert schema["dedicated_customer_count"].label == "Customers with their own tenant"
    assert schema["subscription"].kind == "single"
    assert schema["subscription"].choices == QUESTIONS["subscription"].values
    assert schema["enterprise"].kind == "bool"
    assert schema["tenant_count"].label == "Tenants in total"


@pytest.mark.parametrize("key", [k for k, q in QUESTIONS.items() if q.show_if])
def test_show_if_compiles_and_references_only_earlier_questions(key):
    q = QUESTIONS[key]
    assert check(q.show_if, condition_schema()) == []
    without_strings = re.sub(r'"[^"]*"', "", q.show_if)
    names = set(re.findall(r"[a-z_][a-z0-9_]*", without_strings)) - CONDITION_WORDS
    earlier = list(QUESTIONS)[: list(QUESTIONS).index(key)]
    assert names and names <= set(earlier)


# --- visibility -----------------------------------------------------------------------------

VISIBILITY = [
    (
        "communities_share_apps",
        {"user_communities": ["b2b_customers", "employees"]},
        {"user_communities": ["b2b_customers"]},
    ),
    (
        "complex_org_hosting",
        {"user_isolation": "isolated", "multi_idp_orgs": "few"},
        {"user_isolation": "isolated", "multi_idp_orgs": "none"},
    ),
    (
        "complex_org_hosting",
        {"user_isolation": "isolated", "multi_idp_orgs": "many"},
        {"user_isolation": "shared", "multi_idp_orgs": "many"},
    ),
    (
        "branded_social_consent",
        {"customer_auth_methods": ["social"]},
        {"customer_auth_methods": ["our_database"]},
    ),
    (
        "additional_regions",
        {"data_residency": "some_customers_other_region"},
        {"data_residency": "single_region"},
    ),
    (
        "idp_switch_later",
        {"customer_auth_methods": ["our_database", "social"]},
        {"customer_auth_methods": ["enterprise_idp"]},
    ),
    (
        "corporate_idp_for_dashboard",
        {"subscription": "private_cloud"},
        {"subscription": "professional"},
    ),
    ("domain_strategy", {"use_custom_domain": "yes"}, {"use_custom_domain": "undecided"}),
    ("login_domains_per_tenant", {"use_custom_domain": "yes"}, {"use_custom_domain": "no"}),
    ("certificate_management", {"use_custom_domain": "yes"}, {"use_custom_domain": "no"}),
    ("custom_domain_nonprod", {"use_custom_domain": "yes"}, {}),
    ("login_host", {"use_custom_domain": "yes"}, {"use_custom_domain": "no"}),
    (
        "dns_flattening",
        {"use_custom_domain": "yes", "certificate_management": "auth0_managed"},
        {"use_custom_domain": "yes", "certificate_management": "self_managed_proxy"},
    ),
    # A hidden question counts as unanswered for later conditions.
    (
        "dns_flattening",
        {"use_custom_domain": "yes", "certificate_management": "auth0_managed"},
        {"use_custom_domain": "no", "certificate_management": "auth0_managed"},
    ),
    ("sandbox_count", {"sandboxes": "per_developer"}, {"sandboxes": "shared"}),
]


@pytest.mark.parametrize(("key", "shown", "hidden"), VISIBILITY)
def test_show_if_visibility(key, shown, hidden):
    assert key in visible_keys(shown)
    assert key not in visible_keys(hidden)


def test_unconditional_questions_always_visible():
    always = {k for k, q in QUESTIONS.items() if not q.show_if}
    assert always <= visible_keys({})
    assert visible_keys({}) == always


def test_invalid_answer_counts_as_unanswered_for_visibility():
    assert "sandbox_count" not in visible_keys({"sandboxes": "per-developer"})


# --- normalize ------------------------------------------------------------------------------

NORMALIZE = [
    ("subscription", ["enterprise"], "enterprise"),
    ("subscription", [" enterprise "], "enterprise"),
    ("subscription", [], ""),
    ("subscription", [""], ""),
    ("environments", ["prod", "dev", "bogus", "dev"], ["dev", "prod", "bogus"]),
    ("environments", [], []),
    ("company_name", ["  Acme  "], "Acme"),
    ("company_name", [], ""),
    ("sandbox_count", ["12"], 12),
    ("sandbox_count", [" 7 "], 7),
    ("sandbox_count", ["twelve"], "twelve"),
    ("sandbox_count", ["1.5"], "1.5"),
    ("sandbox_count", [""], ""),
]


@pytest.mark.parametrize(("key", "raw", "expected"), NORMALIZE)
def test_normalize(key, raw, expected):
    assert normalize(QUESTIONS[key], raw) == expected


@pytest.mark.parametrize("key", ["subscription", "environments", "company_name", "sandbox_count"])
@given(raw=st.one_of(st.none(), st.text(), st.lists(st.text()), st.integers()))
def test_normalize_never_raises(key, raw):
    q = QUESTIONS[key]
    value = normalize(q, raw)
    if q.type == "multi":
        assert isinstance(value, list)
    elif q.type == "int":
        assert isinstance(value, int | str)
    else:
        assert isinstance(value, str)
    # Whatever came out can be validated and shown without raising.
    validate_all({key: value})
    answer_label(key, value)


# --- validation -----------------------------------------------------------------------------

PREFIX_RULE = catalog.PREFIX_RULE

# (answers overriding a valid set, field, expected message substring or None for "no error")
VALIDATION = [
    # required
    ({"subscription": None}, "subscription", "Choose one option for the Auth0 plan."),
    ({"user_communities": []}, "user_communities", "Choose at least one option"),
    ({"company_name": "  "}, "company_name", "Enter a value for the company name."),
    ({"tenant_prefix": ""}, "tenant_prefix", PREFIX_RULE),
    ({"sandboxes": "per_developer"}, "sandbox_count", "Enter a whole number between 1 and 50."),
    ({"primary_domain": None}, "primary_domain", None),
    ({"login_host": ""}, "login_host", None),
    # unknown choices
    (
        {"subscription": "gold"},
        "subscription",
        "the listed options for the Auth0 plan: “gold” is not one.",
    ),
    ({"subscription": ["enterprise"]}, "subscription", "Choose exactly one option"),
    ({"environments": ["dev", "prod", "live"]}, "environments", "“live” is not one of them"),
    ({"app_protocols": ["x", "y"]}, "app_protocols", "“x”, “y” are not among them"),
    ({"app_protocols": "saml"}, "app_protocols", "from the list"),
    # company_name
    ({"company_name": "A"}, "company_name", None),
    ({"company_name": "A" * 100}, "company_name", None),
    ({"company_name": "A" * 101}, "company_name", "at most 100 characters (this one has 101)"),
    # tenant_prefix
    ({"tenant_prefix": "ab"}, "tenant_prefix", None),
    ({"tenant_prefix": "a1-b2"}, "tenant_prefix", None),
    ({"tenant_prefix": "a" * 40}, "tenant_prefix", None),
    ({"tenant_prefix": "a"}, "tenant_prefix", "The prefix has 1 character; use 2 to 40."),
    ({"tenant_prefix": "a" * 41}, "tenant_prefix", "The prefix has 41 characters; use 2 to 40."),
    ({"tenant_prefix": "Acme"}, "tenant_prefix", "Use lowercase letters."),
    ({"tenant_prefix": "Acme Corp"}, "tenant_prefix", PREFIX_RULE),
    ({"tenant_prefix": "ac--me"}, "tenant_prefix", "Use single hyphens"),
    ({"tenant_prefix": "-acme"}, "tenant_prefix", PREFIX_RULE),
    ({"tenant_prefix": "acme-"}, "tenant_prefix", PREFIX_RULE),
    ({"tenant_prefix": "ac_me"}, "tenant_prefix", PREFIX_RULE),
    ({"tenant_prefix": "ac me"}, "tenant_prefix", PREFIX_RULE),
    # primary_domain
    ({"primary_domain": "example.com"}, "primary_domain", None),
    ({"primary_domain": "login.eu.example-1.co.uk"}, "primary_domain", None),
    ({"primary_domain": "example"}, "primary_domain", "Include at least one dot, as in"),
    ({"primary_domain": "Example.com"}, "primary_domain", "Use lowercase letters."),
    ({"primary_domain": "https://example.com/"}, "primary_domain", "without https://"),
    ({"primary_domain": "-example.com"}, "primary_domain", "domain name such as example.com"),
    ({"primary_domain": "example-.com"}, "primary_domain", "domain name such as example.com"),
    ({"primary_domain": "example..com"}, "primary_domain", "domain name such as example.com"),
    ({"primary_domain": "a" * 64 + ".com"}, "primary_domain", "domain name such as example.com"),
    ({"primary_domain": "a" * 63 + ".com"}, "primary_domain", None),
    ({"primary_domain": ".".join(["a" * 63] * 4)}, "primary_domain", "This one has 255"),
    # login_host (visible: the valid answers use a custom domain)
    ({"login_host": "login"}, "login_host", None),
    ({"login_host": "sso-1"}, "login_host", None),
    ({"login_host": "login.example.com"}, "login_host", "Enter only the first label"),
    ({"login_host": "Login"}, "login_host", "Use lowercase letters."),
    ({"login_host": "-login"}, "login_host", "Enter one label such as login"),
    ({"login_host": "a" * 64}, "login_host", "Enter one label such as login"),
    # sandbox_count
    ({"sandboxes": "per_developer", "sandbox_count": 1}, "sandbox_count", None),
    ({"sandboxes": "per_developer", "sandbox_count": 50}, "sandbox_count", None),
    ({"sandboxes": "per_developer", "sandbox_count": 0}, "sandbox_count", "between 1 and 50"),
    ({"sandboxes": "per_developer", "sandbox_count": 51}, "sandbox_count", "between 1 and 50"),
    ({"sandboxes": "per_developer", "sandbox_count": "ten"}, "sandbox_count", "between 1 and 50"),
    ({"sandboxes": "per_developer", "sandbox_count": True}, "sandbox_count", "between 1 and 50"),
    # cross-question rules
    (
        {"data_residency": "some_customers_other_region", "additional_regions": ["eu"]},
        "additional_regions",
        None,
    ),
    (
        {"data_residency": "some_customers_other_region", "additional_regions": ["eu", "us"]},
        "additional_regions",
        "Remove United States (us) from the additional regions",
    ),
    ({"environments": ["prod"]}, "environments", None),
    (
        {"environments": ["dev", "qa"]},
        "environments",
        "Production (prod) must be one of the environments: every production tenant needs a "
        "prod tenant.",
    ),
    ({"custom_code": ["none"]}, "custom_code", None),
    ({"custom_code": ["actions", "custom_db"]}, "custom_code", None),
    ({"custom_code": ["none", "actions"]}, "custom_code", "“None” cannot be combined"),
]


@pytest.mark.parametrize(("overrides", "key", "expected"), VALIDATION)
def test_validation(overrides, key, expected):
    answers = valid_answers(**overrides)
    errors = validate_section(QUESTIONS[key].section, answers)
    if expected is None:
        assert key not in errors
    else:
        assert any(expected in message for message in errors.get(key, [])), errors


def test_every_message_names_a_fix():
    answers = valid_answers(
        subscription="gold", tenant_prefix="A", environments=["dev"], custom_code=["none", "x"]
    )
    for errors in validate_all(answers).values():
        for messages in errors.values():
            for message in messages:
                assert message.endswith(".") and message[0].isupper()


def test_hidden_questions_report_no_errors():
    answers = valid_answers(use_custom_domain="no", login_host="Not A Label", domain_strategy="x")
    assert validate_section("custom_domains", answers) == {}
    answers = valid_answers(sandboxes="none", sandbox_count="many")
    assert validate_section("sdlc", answers) == {}
    answers = valid_answers(data_residency="single_region", additional_regions=["us"])
    assert validate_section("provisioning", answers) == {}


def test_validate_section_uses_other_sections_answers():
    answers = valid_answers(subscription="professional", corporate_idp_for_dashboard=None)
    assert validate_section("association", answers) == {}
    answers = valid_answers(subscription="enterprise", corporate_idp_for_dashboard=None)
    assert "corporate_idp_for_dashboard" in validate_section("association", answers)


def test_validate_all_groups_by_section():
    assert validate_all(valid_answers()) == {}
    errors = validate_all(valid_answers(company_name="", environments=["dev"]))
    assert list(errors) == ["context", "sdlc"]
    assert list(errors["context"]) == ["company_name"]
    assert list(errors["sdlc"]) == ["environments"]
    # The customers section and security ask nothing required: empty, they are complete.
    assert list(validate_all({})) == [
        s.key for s in SECTIONS if s.key not in ("customers", "security")
    ]


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_examples_validate(name):
    answers = EXAMPLES[name]["answers"]
    for s in SECTIONS:
        assert validate_section(s.key, answers) == {}, (name, s.key)
    assert validate_all(answers) == {}


# --- tenant names ---------------------------------------------------------------------------

TENANT_NAMES = [
    ({}, ""),
    ({"tenant_prefix": "acme"}, "acme-staging"),
    ({"tenant_prefix": "acme", "environments": ["dev", "prod"]}, "acme-prod"),
    (
        {
            "tenant_prefix": "acme",
            "environments": ["dev", "prod"],
            "user_communities": ["b2b_customers", "employees"],
            "communities_share_apps": "none",
        },
        "acme-workforce-prod",
    ),
    (
        {
            "tenant_prefix": "acme",
            "user_communities": ["b2b_customers", "employees"],
            "communities_share_apps": "some",
        },
        "acme-staging",
    ),
    (
        {
            "tenant_prefix": "acme",
            "environments": ["dev", "prod"],
            "data_residency": "some_customers_other_region",
            "additional_regions": ["eu"],
        },
        "acme-eu-prod",
    ),
    (
        {
            "tenant_prefix": "acme",
            "environments": ["qa", "prod"],
            "sandboxes": "per_developer",
            "sandbox_count": 12,
        },
        "acme-sandbox12",
    ),
    (
        {"tenant_prefix": "acme", "environments": ["qa", "prod"], "sandboxes": "per_developer"},
        "acme-sandbox50",
    ),
    ({"tenant_prefix": "acme", "environments": ["qa"], "sandboxes": "shared"}, "acme-sandbox"),
]


@pytest.mark.parametrize(("answers", "expected"), TENANT_NAMES)
def test_longest_tenant_name(answers, expected):
    assert longest_tenant_name(answers) == expected


def test_too_long_tenant_name_is_reported_on_the_prefix():
    prefix = "a" * 40
    answers = valid_answers(
        tenant_prefix=prefix,
        environments=["staging", "prod"],
        user_communities=["b2b_customers", "employees"],
        communities_share_apps="none",
    )
    # 40 characters is the longest valid prefix and still fits.
    assert len(longest_tenant_name(answers)) == 58
    assert "tenant_prefix" not in validate_section("context", answers)

    answers["tenant_prefix"] = "a" * 50
    name = f"{'a' * 50}-workforce-staging"
    assert longest_tenant_name(answers) == name
    # One error per field: the prefix's own (too long) comes before the name it would give.
    assert validate_section("context", answers)["tenant_prefix"] == [
        "The prefix has 50 characters; use 2 to 40."
    ]


# --- effective answers, labels, state -------------------------------------------------------


def test_effective_answers_drop_hidden_invalid_and_empty():
    answers = valid_answers(
        use_custom_domain="no",
        login_host="id",  # hidden now
        subscription="gold",  # invalid
        primary_domain="",  # empty
        environments=["dev"],  # breaks a cross-question rule
    )
    effective = effective_answers(answers)
    for key in ("login_host", "domain_strategy", "subscription", "primary_domain", "environments"):
        assert key not in effective
    assert effective["tenant_prefix"] == "hoopla"
    assert effective["use_custom_domain"] == "no"
    assert list(effective) == [k for k in QUESTIONS if k in effective]


def test_effective_answers_of_a_valid_set_keep_visible_answers():
    answers = valid_answers()
    effective = effective_answers(answers)
    assert set(effective) == {k for k in answers if k in visible_keys(answers)}


ANSWER_LABELS = [
    ("subscription", "enterprise", "Enterprise"),
    ("org_count", "lt_10", "Fewer than 10"),
    (
        "user_communities",
        ["b2b_customers", "employees"],
        "Users of your business customers, Your own employees",
    ),
    ("company_name", "Acme", "Acme"),
    ("sandbox_count", 12, "12"),
    ("subscription", "gold", "gold"),
    ("subscription", None, "Not answered"),
    ("environments", [], "Not answered"),
    ("company_name", "", "Not answered"),
]


@pytest.mark.parametrize(("key", "value", "expected"), ANSWER_LABELS)
def test_answer_label(key, value, expected):
    assert answer_label(key, value) == expected


def test_section_state():
    assert section_state("sdlc", {}, touched=False) == "not_started"
    assert section_state("sdlc", {"sandboxes": "none"}, touched=False) == "in_progress"
    assert section_state("sdlc", {"sandboxes": "none"}, touched=True) == "has_errors"
    assert section_state("sdlc", valid_answers(), touched=False) == "complete"
    assert section_state("sdlc", valid_answers(), touched=True) == "complete"
    broken = valid_answers(environments=["dev"])
    assert section_state("sdlc", broken, touched=True) == "has_errors"
    assert section_state("sdlc", broken, touched=False) == "in_progress"
    # Answers to hidden questions do not start a section.
    assert section_state("custom_domains", {"login_host": "id"}, touched=False) == "not_started"


def test_normalize_drops_control_characters_and_bounds_typed_text():
    assert catalog.normalize("company_name", ["Acme\x00 Inc\x07"]) == "Acme Inc"
    assert catalog.normalize("environments", ["\x00", "prod"]) == ["prod"]
    long_text = catalog.normalize("company_name", ["x" * 10_000])
    assert len(long_text) == textsafety.MAX_STORED_CHARS
    assert catalog.validate_section("context", {"company_name": long_text})["company_name"]
    junk = catalog.normalize("environments", [f"v{i}" for i in range(100)])
    assert len(junk) == catalog.MAX_UNKNOWN_CHOICES


# One table of stored shapes per question type: what answer files and the admin must hold.
STORED_SHAPES = [
    ("single", "b2b", True),
    ("single", ["b2b"], False),
    ("multi", ["dev", "prod"], True),
    ("multi", [], True),
    ("multi", "prod", False),
    ("multi", ["prod", 3], False),
    ("text", "Hoopla", True),
    ("text", 5, False),
    ("int", 3, True),
    ("int", True, False),
    ("int", "3", False),
    ("int", 3.0, False),
    ("roster", [{"name": "Contoso"}], True),
    ("roster", [], True),
    ("roster", ["Contoso"], False),
    ("roster", {"name": "Contoso"}, False),
]


@pytest.mark.parametrize(("kind", "value", "accepted"), STORED_SHAPES)
def test_question_types_know_the_stored_shape(kind, value, accepted):
    assert catalog.QUESTION_TYPES[kind].is_stored_shape(value) is accepted


def test_every_question_type_is_registered_and_drives_the_shape_check():
    from planner import answercheck

    assert {q.type for q in QUESTIONS.values()} == set(catalog.QUESTION_TYPES)
    for kind in catalog.QUESTION_TYPES.values():
        key = next(q.key for q in QUESTIONS.values() if q.type == kind.name)
        # A fraction is no question type's shape.
        assert answercheck.shape_errors({key: 5.5}) == [
            f"{key}: expected {kind.expected}, got 5.5."
        ]
