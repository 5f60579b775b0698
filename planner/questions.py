"""The questionnaire as data: sections, questions, choices and their documentation links.

Framework-free and behaviour-free: ``planner.catalog`` reads these records to build forms, validate
and normalise answers, decide visibility (``show_if``) and label answers. Keys and choice values
are a public contract; labels and help texts are product text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

__all__ = [
    "CATALOG_VERSION",
    "QUESTIONS",
    "SECTIONS",
    "SECTIONS_BY_KEY",
    "SECTION_TITLES",
    "Choice",
    "Question",
    "Section",
]

CATALOG_VERSION = "questionnaire/2"

DOCS_BASE = "https://auth0.com/docs/"
_B2B = "get-started/architecture-scenarios/business-to-business/"
_MOA = "get-started/architecture-scenarios/multiple-organization-architecture"
_TENANTS = "get-started/auth0-overview/create-tenants"
_CD = "customize/custom-domains"
_POLICIES = "troubleshoot/customer-support/operational-policies/"

# Documentation pages by key -> (link title, path under DOCS_BASE).
_DOCS: dict[str, tuple[str, str]] = {
    "b2b-arch": ("B2B architecture", _B2B + "architecture"),
    "b2b-prov": ("B2B provisioning", _B2B + "provisioning"),
    "b2b-authn": ("B2B authentication", _B2B + "authentication"),
    "b2b-brand": ("B2B branding", _B2B + "branding"),
    "b2b-deploy": ("B2B deployment automation", _B2B + "deployment"),
    "b2b-qa": ("B2B quality assurance", _B2B + "quality-assurance"),
    "b2b-ops": ("B2B operations", _B2B + "operations"),
    "b2b-testing": ("B2B launch: testing", _B2B + "launch/testing"),
    "b2e": ("Business to employees (B2E)", "get-started/architecture-scenarios/b2e"),
    "moa": ("Multiple organization architecture", _MOA),
    "moa-single-prov": (
        "Single identity provider organizations: provisioning",
        _MOA + "/single-identity-provider-organizations/provisioning",
    ),
    "moa-single-authn": (
        "Single identity provider organizations: authentication",
        _MOA + "/single-identity-provider-organizations/authentication",
    ),
    "moa-multi": ("Multiple identity provider organizations", _MOA + "/multiple-idp-orgs"),
    "create-tenants": ("Create tenants", _TENANTS),
    "create-multi": ("Create multiple tenants", _TENANTS + "/create-multiple-tenants"),
    "multi-env": ("Set up multiple environments", _TENANTS + "/set-up-multiple-environments"),
    "link-tenants": ("Link multiple tenants to a single subscription", _TENANTS + "/child-tenants"),
    "multi-tenant-bp": (
        "Multi-tenant applications best practices",
        _TENANTS + "/multi-tenant-apps-best-practices",
    ),
    "teams-tenant-mgmt": (
        "Auth0 Teams: tenant management",
        "get-started/auth0-teams/tenant-management",
    ),
    "teams-security": (
        "Auth0 Teams: security policies",
        "get-started/auth0-teams/configure-security-policies",
    ),
    "dash-access": ("Manage Dashboard access", "get-started/manage-dashboard-access"),
    "dash-mfa": (
        "Dashboard multi-factor authentication",
        "get-started/manage-dashboard-access/add-change-remove-mfa",
    ),
    "dash-sso": (
        "Single sign-on for the Auth0 Dashboard",
        "get-started/manage-dashboard-access/configure-single-sign-on-for-auth0-dashboard",
    ),
    "orgs-overview": (
        "Organizations overview",
        "manage-users/organizations/organizations-overview",
    ),
    "my-org-api": ("My Organization API", "manage-users/my-organization-api"),
    "self-service-sso": (
        "Self-Service Enterprise Configuration",
        "authenticate/enterprise-connections/self-service-enterprise-configuration",
    ),
    "url-placeholders": (
        "Subdomain placeholders in URLs",
        "get-started/applications/wildcards-for-subdomains",
    ),
    "cd": ("Custom domains", _CD),
    "cd-managed": ("Auth0-managed certificates", _CD + "/auth0-managed-certificates"),
    "cd-self": ("Self-managed certificates", _CD + "/self-managed-certificates"),
    "cd-features": (
        "Configure features to use custom domains",
        _CD + "/configure-features-to-use-custom-domains",
    ),
    "mcd": ("Multiple custom domains", _CD + "/multiple-custom-domains"),
    "mcd-bp": (
        "Multiple custom domains: best practices",
        _CD + "/multiple-custom-domains/mcd-best-practices",
    ),
    "mcd-use-cases": (
        "Multiple custom domains: use cases",
        _CD + "/multiple-custom-domains/mcd-use-cases",
    ),
    "mcd-passkeys": (
        "Multiple custom domains: passkeys",
        _CD + "/multiple-custom-domains/passkeys",
    ),
    "mcd-saml": (
        "Multiple custom domains: SAML migration",
        _CD + "/multiple-custom-domains/saml-migration",
    ),
    "deploy-cli": ("Deploy CLI tool", "deploy-monitor/deploy-cli-tool"),
    "deploy-cli-multi": (
        "Deploy CLI in multi-environment workflows",
        "deploy-monitor/deploy-cli-tool/incorporate-into-multi-environment-workflows",
    ),
    "terraform": ("Auth0 Terraform provider", "deploy-monitor/auth0-terraform-provider"),
    "deploy-options": ("Deployment options", "deploy-monitor/deployment-options"),
    "pc-aws": (
        "Private Cloud on AWS",
        "deploy-monitor/deploy-private-cloud/private-cloud-on-aws",
    ),
    "pre-launch": ("Pre-launch tips", "deploy-monitor/pre-deployment-checks/pre-launch-tips"),
    "entity-limits": ("Entity limit policy", _POLICIES + "entity-limit-policy"),
    "rate-limits": ("Rate limit policy", _POLICIES + "rate-limit-policy"),
    "rl-enterprise": (
        "Rate limits: Enterprise public cloud",
        _POLICIES + "rate-limit-policy/rate-limit-configurations/enterprise-public",
    ),
    "rl-ess-pro": (
        "Rate limits: Essentials and Professional",
        _POLICIES + "rate-limit-policy/rate-limit-configurations/essentials-professional-b2b",
    ),
    "load-test": ("Load testing policy", _POLICIES + "load-testing-policy"),
    "data-transfer": (
        "Data export and transfer policy",
        _POLICIES + "data-export-and-transfer-policy",
    ),
    "endpoints": (
        "Public cloud service endpoints",
        _POLICIES + "public-cloud-service-endpoints",
    ),
    "rules-eol": ("Rules (end of life)", "customize/rules"),
    "org-connections": (
        "Enable Organization connections",
        "manage-users/organizations/configure-organizations/enable-connections",
    ),
    "identifier-first": (
        "Identifier First authentication (home realm discovery)",
        "authenticate/login/auth0-universal-login/identifier-first",
    ),
    "scim": ("Inbound SCIM", "authenticate/protocols/scim"),
    "customize-mfa": ("Customize MFA", "secure/multi-factor-authentication/customize-mfa"),
    "compliance": ("Data privacy and compliance", "secure/data-privacy-and-compliance"),
    "attack-protection": ("Attack protection", "secure/attack-protection"),
    "rt-rotation": (
        "Refresh token rotation",
        "secure/tokens/refresh-tokens/refresh-token-rotation",
    ),
    "session-limits": ("Session lifetime limits", "manage-users/sessions/session-lifetime-limits"),
    "log-streams": ("Log streams", "customize/log-streams"),
    "orgs-m2m": (
        "Machine-to-machine access for Organizations",
        "manage-users/organizations/organizations-for-m2m-applications",
    ),
    "org-roles": ("Organization roles", "manage-users/organizations/organization-roles"),
}


def _links(*keys: str) -> tuple[tuple[str, str], ...]:
    return tuple((_DOCS[k][0], DOCS_BASE + _DOCS[k][1]) for k in keys)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    help: str = ""


@dataclass(frozen=True)
class Question:
    key: str
    type: str  # "single" | "multi" | "text" | "int" | "roster" (rows of customers, see roster.py)
    # A short noun phrase naming the field in error messages ("the Auth0 plan").
    short_label: str
    label: str
    help: str
    links: tuple[tuple[str, str], ...]
    section: str = ""  # filled in by the section that holds the question
    choices: tuple[Choice, ...] = ()
    required: bool = True
    show_if: str = ""
    default: object = None
    min_length: int | None = None
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    pattern: str = ""  # a text answer must match it (whole value), see catalog.TEXT_CHECKS
    placeholder: str = ""
    # The name of the catalog's text check that validates the answer ("" for the length only).
    check: str = ""
    # The rule shown when the answer is missing or breaks its rule ("" for the generic texts).
    message: str = ""

    @cached_property
    def values(self) -> tuple[str, ...]:
        # Cached: the wizard asks for it thousands of times per page.
        return tuple(c.value for c in self.choices)

    def choice_label(self, value: str) -> str:
        """Return the label of a choice value, or the value itself when unknown."""
        for c in self.choices:
            if c.value == value:
                return c.label
        return value


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    # Optional questions left unanswered here are open items: the review page and the plan list
    # them after this note ("" when unanswered optional questions are not worth a mention).
    open_items_note: str = ""


def _c(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(value, label) for value, label in pairs)


YES_NO = _c(("yes", "Yes"), ("no", "No"))
NO_YES = _c(("no", "No"), ("yes", "Yes"))
REGIONS = _c(
    ("us", "United States"),
    ("eu", "Europe"),
    ("au", "Australia"),
    ("jp", "Japan"),
    ("uk", "United Kingdom"),
    ("ca", "Canada"),
)

# Lowercase letters and digits in runs joined by single hyphens (no "--", no hyphen at either end).
TENANT_PREFIX_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DNS_LABEL_PATTERN = r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"

PREFIX_RULE = "Use 2 to 40 lowercase letters, digits and single hyphens, such as acme."
DOMAIN_RULE = (
    "Enter a domain name such as example.com: lowercase letters, digits and inner hyphens, "
    "in labels joined by dots."
)
EXISTING_TENANT_RULE = (
    "Enter the existing tenant's name as Auth0 shows it: 3 to 63 lowercase letters, digits and "
    "hyphens, not starting or ending with a hyphen (such as acme-prod)."
)
LOGIN_HOST_RULE = "Enter one label such as login: lowercase letters, digits and inner hyphens."
SANDBOX_COUNT_RULE = "Enter a whole number between 1 and 50."
ENVIRONMENTS_NEED_PROD = (
    "Production (prod) must be one of the environments: every production tenant needs a "
    "prod tenant."
)
CUSTOM_CODE_NONE_ALONE = (
    "“None” cannot be combined with other kinds of custom code: untick “None” or untick the others."
)
COMPLIANCE_NONE_ALONE = (
    "“None” cannot be combined with a compliance regime: untick “None” or untick the regimes."
)


def _section(
    key: str, title: str, intro: str, *questions: Question, open_items_note: str = ""
) -> Section:
    return Section(
        key, title, intro, tuple(replace(q, section=key) for q in questions), open_items_note
    )


SECTIONS: tuple[Section, ...] = (
    _section(
        "context",
        "Context",
        "Who signs in, to what, and on which Auth0 plan. These answers set the frame for every "
        "later decision about tenants.",
        Question(
            key="company_name",
            type="text",
            short_label="the company name",
            label="What is the name of your company or product?",
            help="Shown on the cover of the plan. It names the design; it does not change it.",
            links=_links("b2b-arch"),
            min_length=1,
            max_length=100,
            check="name_length",
            placeholder="Acme Inc.",
        ),
        Question(
            key="tenant_prefix",
            type="text",
            short_label="the tenant prefix",
            label="Which prefix should every tenant name start with?",
            help=(
                "Every tenant name is built from this prefix (acme-dev, acme-prod) and becomes part "
                "of the tenant's Auth0 domain. Auth0 tenant names can never be renamed, and a "
                "deleted tenant's name can never be reused, so choose it with care."
            ),
            links=_links("create-tenants", "b2b-arch"),
            min_length=2,
            max_length=40,
            pattern=TENANT_PREFIX_PATTERN,
            check="prefix",
            message=PREFIX_RULE,
            placeholder="acme",
        ),
        Question(
            key="primary_domain",
            type="text",
            short_label="the primary domain",
            label="What is your company's primary DNS domain?",
            help=(
                "Used to propose login domains such as login.example.com. A login page on your own "
                "domain reassures users and keeps browser sessions working; leave it empty if "
                "undecided."
            ),
            links=_links("cd", "b2b-brand"),
            required=False,
            max_length=253,
            pattern=DNS_LABEL_PATTERN,
            check="dns_name",
            message=DOMAIN_RULE,
            placeholder="example.com",
        ),
        Question(
            key="user_communities",
            type="multi",
            short_label="the user communities",
            label="Which user communities will sign in through Auth0?",
            help=(
                "Communities that share no applications, such as customers and employees, are the "
                "main reason for separate production tenants, and each production tenant brings its "
                "own development and test tenants. Include communities of future projects too."
            ),
            links=_links("b2b-arch", "b2e"),
            choices=_c(
                ("b2b_customers", "Users of your business customers"),
                ("consumers", "Consumers (individual customers)"),
                ("employees", "Your own employees"),
                ("partners", "Partners and affiliates"),
            ),
        ),
        Question(
            key="communities_share_apps",
            type="single",
            short_label="shared applications",
            label="Do these communities use the same applications?",
            help=(
                "Communities that share applications and single sign-on belong in one tenant; a "
                "community with applications of its own, such as the workforce, can get a tenant "
                "of its own."
            ),
            links=_links("b2b-arch", "create-multi"),
            choices=_c(
                ("none", "No, each community has its own applications"),
                ("some", "Some applications are shared"),
                ("all", "Yes, they all use the same applications"),
            ),
            show_if="count(user_communities) > 1",
        ),
        Question(
            key="other_auth0_projects",
            type="single",
            short_label="other Auth0 projects",
            label="Does anyone else in your organization already use Auth0?",
            help=(
                "An existing tenant may be worth reusing for single sign-on, shared profiles or one "
                "bill; choices made in isolation are costly to undo later."
            ),
            links=_links("b2b-arch"),
            choices=_c(
                ("no", "No"),
                ("yes_same_community", "Yes, for the same users"),
                ("yes_other_community", "Yes, for other users"),
                ("unknown", "Not sure"),
            ),
        ),
        Question(
            key="existing_prod_tenant",
            type="single",
            short_label="an existing production tenant",
            label="Do you already have an Auth0 production tenant for this project?",
            help=(
                "Tenant names and regions are permanent and Auth0 does not move data between "
                "tenants, so an existing production tenant constrains the design or means a user "
                "migration."
            ),
            links=_links("data-transfer", "create-tenants"),
            choices=_c(("no", "No, we start fresh"), ("yes", "Yes")),
            default="no",
        ),
        Question(
            key="existing_tenant_name",
            type="text",
            short_label="the existing tenant's name",
            label="What is the existing production tenant called?",
            help=(
                "The plan keeps this name for the primary production tenant instead of proposing "
                "a new one: a tenant can never be renamed. Leave it empty to keep the proposed "
                "name and only mark the tenant as existing."
            ),
            links=_links("create-tenants", "data-transfer"),
            required=False,
            show_if='existing_prod_tenant == "yes"',
            min_length=3,
            max_length=63,
            pattern=TENANT_PREFIX_PATTERN,
            check="tenant_name",
            message=EXISTING_TENANT_RULE,
            placeholder="acme-prod",
        ),
        Question(
            key="sso_across_apps",
            type="single",
            short_label="single sign-on",
            label="Should users sign in once and reach all your applications (single sign-on)?",
            help=(
                "A tenant has one session context: applications that must share a login session "
                "have to live in the same tenant, on the same login domain."
            ),
            links=_links("moa-single-authn", "b2b-authn"),
            choices=NO_YES,
        ),
        Question(
            key="subscription",
            type="single",
            short_label="the Auth0 plan",
            label="Which Auth0 plan do you have or expect to buy?",
            help=(
                "Several options depend on the plan: multiple custom domains per tenant, "
                "self-managed certificates, linking tenants to one contract, Dashboard single "
                "sign-on and load tests are Enterprise features."
            ),
            links=_links("mcd", "link-tenants", "teams-tenant-mgmt"),
            choices=_c(
                ("free", "Free"),
                ("essentials", "Essentials"),
                ("professional", "Professional"),
                ("enterprise", "Enterprise"),
                ("private_cloud", "Private Cloud"),
                ("unknown", "Not decided yet"),
            ),
        ),
        Question(
            key="peak_auth_rps",
            type="single",
            short_label="the peak authentication load",
            label="What peak authentication load do you expect, in requests per second?",
            help=(
                "Rate limits apply per tenant and depend on the plan: 25 requests per second on "
                "Essentials and Professional, 100 on Enterprise, guaranteed throughput only on "
                "Private Cloud."
            ),
            links=_links("rate-limits", "rl-ess-pro", "rl-enterprise", "deploy-options"),
            choices=_c(
                ("lt_25", "Fewer than 25"),
                ("25_100", "25 to 100"),
                ("100_400", "100 to 400"),
                ("gt_400", "More than 400"),
            ),
        ),
        Question(
            key="app_protocols",
            type="multi",
            short_label="the application protocols",
            label="Which protocols and login methods do your applications use?",
            help=(
                "Organizations require Universal Login, and organization-enabled applications cannot "
                "use the password grant, the device flow or WS-Federation; these protocols limit how "
                "customers can be modelled."
            ),
            links=_links("orgs-overview"),
            choices=_c(
                ("oidc_oauth", "OpenID Connect / OAuth 2.0"),
                ("saml", "SAML"),
                ("wsfed", "WS-Federation"),
                ("ropg", "Resource owner password grant"),
                ("device_flow", "Device authorization flow"),
                ("classic_login", "Classic Login or Lock"),
            ),
        ),
        Question(
            key="brand_structure",
            type="single",
            short_label="the brand structure",
            label="How many brands do your users sign in to?",
            help=(
                "One central login domain across brands keeps a single production tenant; brands "
                "with separate users or domains need more custom domains or more tenants."
            ),
            links=_links("b2b-brand", "mcd-bp"),
            choices=_c(
                ("single_brand", "One brand"),
                ("multi_brand_shared_users", "Several brands sharing the same users"),
                ("multi_brand_separate_users", "Several brands with separate users"),
            ),
        ),
    ),
    _section(
        "provisioning",
        "Tenant provisioning",
        "How your business customers and their users are modelled. These answers decide how many "
        "production tenants you need and where they are hosted.",
        Question(
            key="org_count",
            type="single",
            short_label="the number of customer organizations",
            label="How many customer organizations do you expect within three years?",
            help=(
                "A tenant holds up to 100,000 Organizations by default (Enterprise can ask for "
                "more); the number also decides whether onboarding can stay manual."
            ),
            links=_links("entity-limits", "orgs-overview"),
            choices=_c(
                ("lt_10", "Fewer than 10"),
                ("10_1k", "10 to 1,000"),
                ("1k_100k", "1,000 to 100,000"),
                ("gt_100k", "More than 100,000"),
            ),
        ),
        Question(
            key="user_isolation",
            type="single",
            short_label="user isolation",
            label="Does each user belong to one customer, or can one identity access several?",
            help=(
                "The first decision of the multiple-organization architecture: isolated users get "
                "a separate identity per customer, shared users one identity that is a member of "
                "several organizations."
            ),
            links=_links("moa"),
            choices=_c(
                ("isolated", "Isolated: a user belongs to one customer"),
                ("shared", "Shared: one identity can access several customers"),
                ("mixed", "Mixed: some customers isolated, some shared"),
            ),
        ),
        Question(
            key="customer_auth_methods",
            type="multi",
            short_label="the customers' sign-in methods",
            label="How will your customers' users sign in?",
            help=(
                "Decides which connections each Organization needs and whether home realm discovery "
                "is required; social connections are shared by every organization in a tenant."
            ),
            links=_links("moa-single-prov", "b2b-authn"),
            choices=_c(
                ("our_database", "Username and password stored by us"),
                ("enterprise_idp", "The customer's own identity provider"),
                ("social", "Social logins"),
                ("passwordless", "Passwordless (email or SMS codes)"),
            ),
        ),
        Question(
            key="multi_idp_orgs",
            type="single",
            short_label="customers with several sign-in methods",
            label=(
                "Do some customers need more than one way to sign in, such as their own identity "
                "provider plus database or social users?"
            ),
            help=(
                "An Organization can hold several connections, at most one of them a database; "
                "older guidance gave such customers a tenant of their own when users are isolated."
            ),
            links=_links("moa-multi", "b2b-arch"),
            choices=_c(
                ("none", "No, one way per customer"),
                ("few", "Yes, a few customers"),
                ("many", "Yes, many customers"),
            ),
        ),
        Question(
            key="complex_org_hosting",
            type="single",
            short_label="the hosting of customers with several identity providers",
            label="How should customers whose isolated users need several identity providers be hosted?",
            help=(
                "Current guidance keeps them in the main tenant as Organizations with several "
                "connections; a tenant per customer gives each its own domain and login page with "
                "home realm discovery, at the cost of more tenants to run."
            ),
            links=_links("moa-multi", "multi-tenant-bp", "b2b-arch"),
            choices=_c(
                (
                    "organizations",
                    "In the main tenant, as Organizations with several connections "
                    "(current guidance)",
                ),
                ("dedicated_tenants", "In a dedicated tenant per customer (earlier practice)"),
            ),
            default="organizations",
            show_if='user_isolation == "isolated" and multi_idp_orgs != "none"',
        ),
        Question(
            key="customer_login_domains",
            type="single",
            short_label="customer login domains",
            label="Do customers require a login page on their own domain, such as login.customer.com?",
            help=(
                "Without Enterprise multiple custom domains a tenant has one custom domain, so a "
                "customer's own login domain means a tenant for that customer; with it, a tenant "
                "serves up to 20 domains, more with an add-on."
            ),
            links=_links("mcd", "mcd-use-cases", "b2b-brand"),
            choices=_c(
                ("none", "No"),
                ("up_to_20", "Yes, up to 20 customers"),
                ("more_than_20", "Yes, more than 20 customers"),
            ),
        ),
        Question(
            key="branded_social_consent",
            type="single",
            short_label="a customer-branded social consent screen",
            label="Does any customer need a social login consent screen branded to itself?",
            help=(
                "Social connections are defined per tenant, so all organizations share one consent "
                "screen; a customer that needs its own must get its own tenant."
            ),
            links=_links("moa-single-authn", "b2b-arch"),
            choices=NO_YES,
            show_if='"social" in customer_auth_methods',
        ),
        Question(
            key="dedicated_tenant_contract",
            type="single",
            short_label="a contractual dedicated tenant",
            label=(
                "Does any customer contractually require its own tenant, with its own "
                "administrators, logs and configuration?"
            ),
            help=(
                "A tenant per customer allows Dashboard access limited to that customer, but every "
                "setting must then be configured and deployed per tenant."
            ),
            links=_links("multi-tenant-bp", "b2b-arch"),
            choices=NO_YES,
        ),
        Question(
            key="data_residency",
            type="single",
            short_label="data residency",
            label="Where must your users' data reside?",
            help=(
                "A tenant's region is chosen at creation and never changes, and Auth0 does not move "
                "data between tenants: customers in another region need tenants there, and "
                "countries outside the public-cloud regions need Private Cloud."
            ),
            links=_links("create-tenants", "data-transfer", "pc-aws"),
            choices=_c(
                ("none", "No requirement"),
                ("single_region", "All data in one region"),
                ("some_customers_other_region", "Some customers need their data in another region"),
                ("country_not_in_public_cloud", "In a country the public cloud does not serve"),
            ),
        ),
        Question(
            key="primary_region",
            type="single",
            short_label="the primary region",
            label="In which region should the main tenants be hosted?",
            help=(
                "The region sets the tenant's domain and where its data is stored, it is permanent, "
                "and latency depends on it: choose it from where most users are."
            ),
            links=_links("create-tenants", "endpoints"),
            choices=REGIONS,
        ),
        Question(
            key="additional_regions",
            type="multi",
            short_label="the additional regions",
            label="Which other regions need tenants of their own?",
            help=(
                "Each additional region gets its own production tenant with its own development and "
                "test tenants; users cannot be moved between regions later."
            ),
            links=_links("create-tenants", "data-transfer"),
            choices=REGIONS,
            show_if='data_residency == "some_customers_other_region"',
        ),
        Question(
            key="dedicated_infrastructure",
            type="single",
            short_label="dedicated infrastructure",
            label="Do you need dedicated infrastructure, guaranteed throughput or private networking?",
            help=(
                "These call for Private Cloud, where all tenants of the environment share one "
                "authentication rate limit, so extra production tenants compete for it."
            ),
            links=_links("deploy-options", "pc-aws", "rate-limits"),
            choices=NO_YES,
        ),
        Question(
            key="customer_admin_model",
            type="single",
            short_label="customer administration",
            label="Who manages a customer's users and single sign-on settings?",
            help=(
                "Customer administrators should not get Dashboard access: build an admin portal on "
                "the Management API, or use Self-Service Enterprise Configuration and the My "
                "Organization API."
            ),
            links=_links("self-service-sso", "my-org-api", "b2b-ops"),
            choices=_c(
                ("we_do_it", "We do, on request"),
                ("our_admin_portal", "The customer, in an admin portal we build"),
                ("auth0_self_service", "The customer, with Auth0's self-service tools"),
            ),
        ),
        Question(
            key="org_onboarding",
            type="single",
            short_label="customer onboarding",
            label="How will new customer organizations be set up?",
            help=(
                "Real-time Management API calls suit self sign-up but must respect rate limits and "
                "run some writes one at a time; a configuration repository with CI/CD gives history "
                "and rollback."
            ),
            links=_links("b2b-prov", "b2b-ops"),
            choices=_c(
                ("manual", "Manually"),
                ("realtime_api", "Automatically through the Management API (e.g. self sign-up)"),
                ("cicd_repo", "Through a configuration repository and CI/CD"),
            ),
        ),
        Question(
            key="app_instance_model",
            type="single",
            short_label="application instances",
            label="Do all customers use one shared application, or does each get its own instance?",
            help=(
                "An instance per customer is best modelled as one Auth0 application each, sending "
                "the organization at login; a shared application lets users find their "
                "organization at login."
            ),
            links=_links("moa-single-prov", "url-placeholders"),
            choices=_c(
                ("shared_app", "One shared application for all customers"),
                ("instance_per_customer", "An instance per customer (own URL or subdomain)"),
            ),
        ),
        Question(
            key="largest_org_members",
            type="single",
            short_label="the size of the largest organization",
            label="How many members will your largest customer organization have?",
            help=(
                "An organization holds up to 100,000 members by default; more must be requested on "
                "Enterprise."
            ),
            links=_links("entity-limits"),
            choices=_c(("lt_100k", "Fewer than 100,000"), ("gt_100k", "100,000 or more")),
        ),
        Question(
            key="idp_switch_later",
            type="single",
            short_label="a later move to the customer's identity provider",
            label=(
                "May customers move from accounts in your database to their own identity provider "
                "later?"
            ),
            help=(
                "The move needs account linking and an Organization that can hold both connections "
                "while users switch."
            ),
            links=_links("b2b-authn", "moa-multi"),
            choices=NO_YES,
            show_if='"our_database" in customer_auth_methods',
        ),
    ),
    _section(
        "customers",
        "Customers",
        "The customers that matter, by name, and the rest as archetypes (“Small businesses”, "
        "260). The plan turns each row into its tenant, Organization and connections. Optional: "
        "without a roster the plan reasons about customers in aggregate.",
        Question(
            key="customers",
            type="roster",
            short_label="the customer roster",
            label="Which customers will sign in, and how?",
            help=(
                "One row per customer that needs its own setup (its own identity provider, login "
                "domain, region or tenant), and one archetype row with a count for each group of "
                "similar customers. A shared customer becomes an Organization in the shared tenant "
                "of its region, with its connections enabled on it; membership on authentication "
                "puts its identity provider's users in the Organization; its email domains route "
                "users to that identity provider (home realm discovery)."
            ),
            links=_links("org-connections", "identifier-first", "scim", "moa"),
            required=False,
        ),
    ),
    _section(
        "association",
        "Tenant association",
        "How tenants are tied to your contract and who administers them. Unlinked or unguarded "
        "tenants drift away from production.",
        Question(
            key="tenants_linked",
            type="single",
            short_label="tenant linking",
            label=(
                "Are all existing tenants, developers' sandboxes included, linked to your company "
                "subscription or Team?"
            ),
            help=(
                "Only linked tenants share the contracted features and quotas, so unlinked "
                "development tenants behave differently from production."
            ),
            links=_links("link-tenants", "teams-tenant-mgmt", "b2b-arch"),
            choices=_c(("yes", "Yes"), ("no", "No"), ("unknown", "Not sure")),
        ),
        Question(
            key="tenant_creation_control",
            type="single",
            short_label="tenant creation",
            label="Who may create new tenants?",
            help=(
                "Team owners decide whether admins may create tenants under the Team; tenants "
                "created outside it miss the contract's features and escape oversight."
            ),
            links=_links("teams-tenant-mgmt"),
            choices=_c(
                ("team_owners_only", "Only Team owners"),
                ("admins_under_team", "Tenant admins, under the Team"),
                ("uncontrolled", "Anyone, without control"),
            ),
        ),
        Question(
            key="dashboard_admins",
            type="single",
            short_label="the number of Dashboard admins",
            label="How many Dashboard administrators will each production tenant have?",
            help=(
                "More than one admin avoids lock-out, and Auth0's security notices reach only "
                "Dashboard admins."
            ),
            links=_links("dash-access", "b2b-ops"),
            choices=_c(("one", "One"), ("two_plus", "Two or more")),
        ),
        Question(
            key="dashboard_mfa",
            type="single",
            short_label="Dashboard MFA",
            label="Is multi-factor authentication enforced for every Dashboard member?",
            help=(
                "Dashboard access controls every tenant's configuration; administrator MFA is "
                "separate from end-user MFA and always recommended."
            ),
            links=_links("dash-mfa", "teams-security"),
            choices=YES_NO,
        ),
        Question(
            key="customer_staff_admin",
            type="single",
            short_label="administration by customer staff",
            label="Do customer or partner staff need administrative capabilities?",
            help=(
                "Give them an admin application on the Management API rather than the Dashboard; "
                "only a tenant per customer allows Dashboard access limited to one customer."
            ),
            links=_links("moa", "multi-tenant-bp"),
            choices=NO_YES,
        ),
        Question(
            key="corporate_idp_for_dashboard",
            type="single",
            short_label="Dashboard sign-in with your corporate identity provider",
            label=(
                "Should administrators sign in to the Auth0 Dashboard with your corporate identity "
                "provider?"
            ),
            help=(
                "Enterprise customers can set up single sign-on for the Dashboard with Auth0 "
                "Support, so joiners and leavers are handled in one place."
            ),
            links=_links("dash-sso"),
            choices=NO_YES,
            show_if='subscription in ["enterprise", "private_cloud"]',
        ),
    ),
    _section(
        "custom_domains",
        "Custom domains",
        "Whether users sign in on your own domain, and how many domains each tenant serves. "
        "Domains affect trust, sessions, passkeys and federations.",
        Question(
            key="use_custom_domain",
            type="single",
            short_label="custom domains",
            label="Will users sign in on a custom domain of your own?",
            help=(
                "Auth0 strongly recommends a custom domain in production: users trust it, silent "
                "token renewal keeps working in Safari, and passkeys are bound to it. Add it early, "
                "in every environment."
            ),
            links=_links("cd", "b2b-arch"),
            choices=_c(("yes", "Yes"), ("no", "No"), ("undecided", "Not decided yet")),
        ),
        Question(
            key="domain_strategy",
            type="single",
            short_label="the domain strategy",
            label="How will login domains be organized?",
            help=(
                "One central, brand-neutral login domain has worked best in nearly every case; "
                "domains per brand, region or customer need multiple custom domains (Enterprise) or "
                "more tenants."
            ),
            links=_links("mcd-bp", "b2b-brand"),
            choices=_c(
                ("central", "One central login domain"),
                ("per_brand", "One per brand"),
                ("per_region", "One per region"),
                ("per_customer", "One per customer"),
                ("hybrid", "A mix of these"),
            ),
            show_if='use_custom_domain == "yes"',
        ),
        Question(
            key="login_domains_per_tenant",
            type="single",
            short_label="the login domains per tenant",
            label="How many login domains will one tenant serve?",
            help=(
                "A tenant has one custom domain unless it is on Enterprise with multiple custom "
                "domains (up to 20, more with an add-on); sessions and passkeys do not cross "
                "domains."
            ),
            links=_links("mcd", "mcd-passkeys"),
            choices=_c(("one", "One"), ("2_20", "2 to 20"), ("gt_20", "More than 20")),
            show_if='use_custom_domain == "yes"',
        ),
        Question(
            key="certificate_management",
            type="single",
            short_label="certificate management",
            label="Who manages the TLS certificates of the custom domains?",
            help=(
                "Auth0-managed certificates renew by themselves but need a CNAME record that stays "
                "in place; self-managed certificates require Enterprise and a reverse proxy you run."
            ),
            links=_links("cd-managed", "cd-self"),
            choices=_c(
                ("auth0_managed", "Auth0 (Auth0-managed certificates)"),
                ("self_managed_proxy", "We do, behind our own reverse proxy"),
            ),
            show_if='use_custom_domain == "yes"',
        ),
        Question(
            key="custom_domain_nonprod",
            type="single",
            short_label="custom domains outside production",
            label="Should non-production tenants have custom domains too?",
            help=(
                "Custom domains in every environment from the start let you test the DNS setup and "
                "keep environments alike."
            ),
            links=_links("cd", "b2b-arch"),
            choices=YES_NO,
            show_if='use_custom_domain == "yes"',
        ),
        Question(
            key="login_host",
            type="text",
            short_label="the login host",
            label="Which host name should the login page use?",
            help=(
                "The first label of the proposed login domains, as in login.example.com; leave it "
                "empty to use login."
            ),
            links=_links("cd", "b2b-brand"),
            required=False,
            min_length=1,
            max_length=63,
            pattern=DNS_LABEL_PATTERN,
            check="dns_label",
            message=LOGIN_HOST_RULE,
            placeholder="login",
            show_if='use_custom_domain == "yes"',
        ),
        Question(
            key="silent_auth_iframe",
            type="single",
            short_label="silent authentication in an iframe",
            label=(
                "Do single-page applications renew tokens silently in an iframe, or do many of your "
                "users use Safari?"
            ),
            help=(
                "Browsers block third-party cookies, so silent renewal only works when the login "
                "page shares your site's domain, which takes a custom domain."
            ),
            links=_links("cd", "cd-features"),
            choices=YES_NO,
        ),
        Question(
            key="passkeys",
            type="single",
            short_label="passkeys",
            label="Will users sign in with passkeys?",
            help=(
                "A passkey is bound to the domain it was created on and does not work on another "
                "custom domain, so passkeys favour a single login domain."
            ),
            links=_links("mcd-passkeys", "cd"),
            choices=_c(
                ("no", "No"),
                ("single_domain", "Yes, on one login domain"),
                ("multi_domain", "Yes, on several login domains"),
            ),
        ),
        Question(
            key="existing_federations",
            type="single",
            short_label="existing federations",
            label="Are SAML or OIDC federations already configured against the tenant's Auth0 domain?",
            help=(
                "Moving to a custom domain changes callback and ACS URLs, so each existing "
                "federation must be updated at the moment of the switch."
            ),
            links=_links("cd-features", "mcd-saml"),
            choices=NO_YES,
        ),
        Question(
            key="dns_flattening",
            type="single",
            short_label="DNS flattening",
            label="Does your DNS provider flatten or proxy CNAME records?",
            help=(
                "Auth0-managed certificates need a plain CNAME that stays in place; flattening or "
                "proxying breaks it, so the subdomain may need delegating to another DNS provider."
            ),
            links=_links("cd-managed"),
            choices=_c(("no", "No"), ("yes", "Yes"), ("unknown", "Not sure")),
            show_if='certificate_management == "auth0_managed"',
        ),
    ),
    _section(
        "sdlc",
        "SDLC support",
        "The environments, sandboxes and tooling around each production tenant. Every production "
        "tenant gets a full set of environment tenants.",
        Question(
            key="environments",
            type="multi",
            short_label="the environments",
            label="Which environments need their own tenants?",
            help=(
                "Each production tenant gets one tenant per environment, so changes are tested "
                "before they reach production; the count multiplies with every production tenant."
            ),
            links=_links("multi-env", "b2b-arch", "deploy-cli-multi"),
            choices=_c(
                ("dev", "Development (dev)"),
                ("qa", "QA / testing (qa)"),
                ("uat", "User acceptance testing (uat)"),
                ("staging", "Staging (staging)"),
                ("perf", "Performance testing (perf)"),
                ("prod", "Production (prod)"),
            ),
        ),
        Question(
            key="sandboxes",
            type="single",
            short_label="sandboxes",
            label="Do developers need sandbox tenants?",
            help=(
                "Sandboxes let developers try changes and deployment scripts without disturbing the "
                "shared development tenant; they must be linked to the subscription too."
            ),
            links=_links("b2b-arch", "link-tenants"),
            choices=_c(
                ("none", "No sandboxes"),
                ("shared", "One shared sandbox"),
                ("per_developer", "One per developer"),
            ),
        ),
        Question(
            key="sandbox_count",
            type="int",
            short_label="the number of sandboxes",
            label="How many developer sandboxes do you need?",
            help=(
                "Each sandbox is a separate tenant (acme-sandbox1, acme-sandbox2, …) to name, link "
                "and look after."
            ),
            links=_links("b2b-arch"),
            min_value=1,
            max_value=50,
            message=SANDBOX_COUNT_RULE,
            placeholder="5",
            show_if='sandboxes == "per_developer"',
        ),
        Question(
            key="config_management",
            type="single",
            short_label="configuration management",
            label="How will tenant configuration be managed?",
            help=(
                "Automation keeps tenants alike across environments; once you automate, every change "
                "must go through source control, never by hand in the Dashboard."
            ),
            links=_links("deploy-cli", "terraform", "b2b-deploy"),
            choices=_c(
                ("manual", "By hand in the Dashboard"),
                ("deploy_cli", "Auth0 Deploy CLI"),
                ("terraform", "Terraform"),
                ("custom_scripts", "Our own scripts"),
            ),
        ),
        Question(
            key="cicd_pipeline",
            type="single",
            short_label="a CI/CD pipeline",
            label="Do you have a CI/CD pipeline to deploy tenant configuration?",
            help=(
                "A pipeline promotes one configuration from development to production in one "
                "direction, with a manual gate for production."
            ),
            links=_links("deploy-cli-multi", "b2b-deploy"),
            choices=YES_NO,
        ),
        Question(
            key="custom_code",
            type="multi",
            short_label="custom code",
            label="Which kinds of custom code run in your tenants?",
            help=(
                "Custom code must take environment-specific values from tenant secrets, not "
                "hard-coded ones; Rules and Hooks reach end of life on 18 November 2026."
            ),
            links=_links("rules-eol", "b2b-qa", "b2b-deploy"),
            choices=_c(
                ("none", "None"),
                ("actions", "Actions"),
                ("custom_db", "Custom database scripts"),
                ("rules_hooks", "Rules or Hooks"),
            ),
        ),
        Question(
            key="test_data",
            type="single",
            short_label="test data",
            label="Which users will you test with outside production?",
            help=(
                "Auth0 does not copy users between tenants and exports omit password hashes; lower "
                "environments are less protected, so synthetic users are the safer choice."
            ),
            links=_links("data-transfer", "b2b-qa"),
            choices=_c(
                ("synthetic", "Synthetic test users"),
                ("copy_of_prod", "A copy of production users"),
                ("none_yet", "Not decided yet"),
            ),
        ),
        Question(
            key="load_or_pen_test",
            type="single",
            short_label="load and penetration tests",
            label="Will you run load tests or penetration tests against Auth0?",
            help=(
                "Load tests are Enterprise only, need approval at least two weeks ahead and run "
                "against production tenants; penetration tests need advance notice."
            ),
            links=_links("load-test", "b2b-testing"),
            choices=_c(
                ("no", "No"),
                ("load", "Load tests"),
                ("pen", "Penetration tests"),
                ("both", "Both"),
            ),
        ),
        Question(
            key="environment_tags",
            type="single",
            short_label="environment tags",
            label="Will every tenant carry an environment tag (Development, Staging or Production)?",
            help=(
                "Production rate limits apply only to tenants tagged Production, so set the tags "
                "before go-live."
            ),
            links=_links("multi-env", "rate-limits"),
            choices=YES_NO,
        ),
        Question(
            key="own_email_provider",
            type="single",
            short_label="your own email provider",
            label="Will you configure your own email provider?",
            help=(
                "The built-in provider is for testing only; production, and any load test, needs "
                "your own."
            ),
            links=_links("b2b-ops", "pre-launch", "load-test"),
            choices=YES_NO,
        ),
        Question(
            key="ad_ldap_connector",
            type="single",
            short_label="the AD/LDAP Connector",
            label="Will you connect Active Directory or LDAP through the AD/LDAP Connector?",
            help=(
                "Each tenant needs its own AD/LDAP connection and connector, so every environment "
                "adds a connector to install and run."
            ),
            links=_links("multi-env"),
            choices=NO_YES,
        ),
    ),
    # Version 2. Optional, so that every version-1 answer set stays complete.
    _section(
        "security",
        "Security and operations",
        "How your customers' users sign in safely, how their sessions and tokens behave, where "
        "logs go and who may call your APIs. Every question is optional; unanswered ones are "
        "listed as open items.",
        Question(
            key="end_user_mfa",
            type="single",
            short_label="MFA for your customers' users",
            label="Do your customers' users need multi-factor authentication (MFA)?",
            help=(
                "The tenant MFA policy and a post-login Action decide when users are challenged, "
                "and an Action can require MFA for particular Organizations only."
            ),
            links=_links("customize-mfa"),
            required=False,
            choices=_c(
                ("none", "No MFA"),
                ("optional", "Optional: users may enrol"),
                ("required_for_all", "Required for every user"),
                ("per_customer", "Each customer decides"),
            ),
        ),
        Question(
            key="compliance_regimes",
            type="multi",
            short_label="compliance regimes",
            label="Which compliance regimes do your product or your customers hold you to?",
            help=(
                "Decides which Auth0 evidence you collect (SOC 2, ISO, PCI, BAA), where logs may "
                "go, and how long you keep them."
            ),
            links=_links("compliance"),
            required=False,
            choices=_c(
                ("none", "None"),
                ("gdpr", "GDPR"),
                ("hipaa", "HIPAA"),
                ("pci_dss", "PCI DSS"),
                ("soc2_iso27001", "SOC 2 or ISO 27001"),
                ("other", "Other"),
            ),
        ),
        Question(
            key="attack_exposure",
            type="single",
            short_label="exposure to automated attacks",
            label="How exposed are sign-up and login to automated attacks?",
            help=(
                "Bot detection, breached-password responses and add-ons (Credential Guard, "
                "Adaptive MFA) matter most for public sign-up."
            ),
            links=_links("attack-protection"),
            required=False,
            choices=_c(
                (
                    "invite_only",
                    "Invitation only: accounts come from invitations, onboarding or IdPs",
                ),
                ("public_signup", "Public sign-up: anyone can create an account"),
                ("targeted", "Targeted: high-value accounts, or attacks seen before"),
            ),
            show_if='any_of(customer_auth_methods, ["our_database", "passwordless"])',
        ),
        Question(
            key="client_types",
            type="multi",
            short_label="the kinds of applications",
            label="Which kinds of applications sign users in?",
            help=(
                "SPAs and native apps need rotating refresh tokens; browsers block the "
                "third-party cookies that silent authentication relies on."
            ),
            links=_links("rt-rotation"),
            required=False,
            choices=_c(
                ("regular_web", "Server-side web apps"),
                ("spa", "Single-page apps (SPA)"),
                ("native", "Mobile or desktop apps"),
            ),
        ),
        Question(
            key="session_policy",
            type="single",
            short_label="the session policy",
            label="How long should users stay signed in?",
            help=(
                "Session lifetimes are set per tenant, capped by your plan, and can be shortened "
                "per login in an Action."
            ),
            links=_links("session-limits"),
            required=False,
            choices=_c(
                ("defaults", "Auth0's defaults"),
                ("short", "Short: sensitive data, sign in again at least daily"),
                ("long", "Long: users expect to stay signed in for weeks"),
            ),
        ),
        Question(
            key="log_destination",
            type="single",
            short_label="the log destination",
            label="Where will the tenants' logs be streamed?",
            help=(
                "Auth0 keeps logs for 1 to 30 days; streamed logs contain personal data that "
                "residency rules may keep in the region."
            ),
            links=_links("log-streams"),
            required=False,
            choices=_c(
                ("none_yet", "Not decided yet"),
                ("same_region", "A SIEM or log service in each tenant's region"),
                ("other_region", "A service in another region"),
            ),
        ),
        Question(
            key="customer_api_access",
            type="single",
            short_label="API access without a user",
            label="Who calls your APIs without a signed-in user?",
            help=(
                "Machine-to-machine tokens can be scoped to one Organization, and your API must "
                "enforce that scope."
            ),
            links=_links("orgs-m2m"),
            required=False,
            choices=_c(
                ("none", "No one"),
                ("our_services", "Our own back-end jobs, one customer at a time"),
                ("customer_apps", "Customers' or partners' own applications"),
            ),
            show_if='"b2b_customers" in user_communities',
        ),
        Question(
            key="roles_per_org",
            type="single",
            short_label="roles per customer",
            label="How are roles assigned to your customers' users?",
            help=(
                "Roles can be assigned per Organization membership; roles that customers define "
                "themselves need Organization Roles (Early Access)."
            ),
            links=_links("org-roles"),
            required=False,
            choices=_c(
                ("none", "No roles"),
                ("shared_catalogue", "One set of roles, assigned per customer"),
                ("customer_defined", "Customers define their own roles"),
            ),
            show_if='"b2b_customers" in user_communities',
        ),
        open_items_note="Answer these to get the security recommendations",
    ),
)

QUESTIONS: dict[str, Question] = {q.key: q for s in SECTIONS for q in s.questions}
SECTIONS_BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}
# Every section a recommendation can belong to, in plan order: the questionnaire's sections,
# then operations, which asks no questions but has rules of its own.
# The sections rules are filed under: the questionnaire's (bar the roster's, whose facts feed
# rules of the other sections, as the spec's conflict rules do), then operations.
SECTION_TITLES: tuple[tuple[str, str], ...] = (
    *((s.key, s.title) for s in SECTIONS if s.key != "customers"),
    ("operations", "Operations"),
)
