"""The questionnaire: sections and questions, the single source of truth (spec/questionnaire.md).

Framework-free. Forms, validation, ``show_if`` visibility, the admin's question reference and the
answer appendix all read from here. Keys and choice values are a public contract; labels and help
texts are product text written from the domain facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache, cached_property

from planner import textsafety
from planner.conditions import NameInfo, compile

__all__ = [
    "CATALOG_VERSION",
    "FACTS",
    "MAX_TENANT_NAME_LENGTH",
    "QUESTIONS",
    "SECTIONS",
    "Choice",
    "Question",
    "Section",
    "answer_label",
    "condition_schema",
    "effective_answers",
    "longest_tenant_name",
    "normalize",
    "section",
    "section_state",
    "validate_all",
    "validate_section",
    "visible_keys",
]

CATALOG_VERSION = "questionnaire/1"

MAX_TENANT_NAME_LENGTH = 63
NOT_ANSWERED = "Not answered"

DOCS_BASE = "https://auth0.com/docs/"
_B2B = "get-started/architecture-scenarios/business-to-business/"
_MOA = "get-started/architecture-scenarios/multiple-organization-architecture"
_TENANTS = "get-started/auth0-overview/create-tenants"
_CD = "customize/custom-domains"
_POLICIES = "troubleshoot/customer-support/operational-policies/"

# Source keys of domain/auth0-b2b.md §0.2 -> (link title, docs path).
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
    section: str
    type: str  # "single" | "multi" | "text" | "int"
    label: str
    help: str
    links: tuple[tuple[str, str], ...]
    choices: tuple[Choice, ...] = ()
    required: bool = True
    show_if: str = ""
    default: object = None
    min_length: int | None = None
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    pattern: str = ""
    placeholder: str = ""
    # A short noun phrase naming the field in error messages ("the Auth0 plan").
    short_label: str = ""

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

TENANT_PREFIX_PATTERN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"
DNS_LABEL_PATTERN = r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"


def _q(key: str, type: str, short_label: str, label: str, help: str, links, **kw) -> Question:
    return Question(
        key=key,
        section="",
        type=type,
        label=label,
        help=help,
        links=links,
        short_label=short_label,
        **kw,
    )


def _section(key: str, title: str, intro: str, *questions: Question) -> Section:
    return Section(key, title, intro, tuple(replace(q, section=key) for q in questions))


SECTIONS: tuple[Section, ...] = (
    _section(
        "context",
        "Context",
        "Who signs in, to what, and on which Auth0 plan. These answers set the frame for every "
        "later decision about tenants.",
        _q(
            "company_name",
            "text",
            "the company name",
            "What is the name of your company or product?",
            "Shown on the cover of the plan. It names the design; it does not change it.",
            _links("b2b-arch"),
            min_length=1,
            max_length=100,
            placeholder="Acme Inc.",
        ),
        _q(
            "tenant_prefix",
            "text",
            "the tenant prefix",
            "Which prefix should every tenant name start with?",
            "Every tenant name is built from this prefix (acme-dev, acme-prod) and becomes part "
            "of the tenant's Auth0 domain. Auth0 tenant names can never be renamed, and a "
            "deleted tenant's name can never be reused, so choose it with care.",
            _links("create-tenants", "b2b-arch"),
            min_length=2,
            max_length=40,
            pattern=TENANT_PREFIX_PATTERN,
            placeholder="acme",
        ),
        _q(
            "primary_domain",
            "text",
            "the primary domain",
            "What is your company's primary DNS domain?",
            "Used to propose login domains such as login.example.com. A login page on your own "
            "domain reassures users and keeps browser sessions working; leave it empty if "
            "undecided.",
            _links("cd", "b2b-brand"),
            required=False,
            max_length=253,
            placeholder="example.com",
        ),
        _q(
            "user_communities",
            "multi",
            "the user communities",
            "Which user communities will sign in through Auth0?",
            "Communities that share no applications, such as customers and employees, are the "
            "main reason for separate production tenants, and each production tenant brings its "
            "own development and test tenants. Include communities of future projects too.",
            _links("b2b-arch", "b2e"),
            choices=_c(
                ("b2b_customers", "Users of your business customers"),
                ("consumers", "Consumers (individual customers)"),
                ("employees", "Your own employees"),
                ("partners", "Partners and affiliates"),
            ),
        ),
        _q(
            "communities_share_apps",
            "single",
            "shared applications",
            "Do these communities use the same applications?",
            "Communities that share applications and single sign-on belong in one tenant; a "
            "community with applications of its own, such as the workforce, can get a tenant "
            "of its own.",
            _links("b2b-arch", "create-multi"),
            choices=_c(
                ("none", "No, each community has its own applications"),
                ("some", "Some applications are shared"),
                ("all", "Yes, they all use the same applications"),
            ),
            show_if="count(user_communities) > 1",
        ),
        _q(
            "other_auth0_projects",
            "single",
            "other Auth0 projects",
            "Does anyone else in your organization already use Auth0?",
            "An existing tenant may be worth reusing for single sign-on, shared profiles or one "
            "bill; choices made in isolation are costly to undo later.",
            _links("b2b-arch"),
            choices=_c(
                ("no", "No"),
                ("yes_same_community", "Yes, for the same users"),
                ("yes_other_community", "Yes, for other users"),
                ("unknown", "Not sure"),
            ),
        ),
        _q(
            "existing_prod_tenant",
            "single",
            "an existing production tenant",
            "Do you already have an Auth0 production tenant for this project?",
            "Tenant names and regions are permanent and Auth0 does not move data between "
            "tenants, so an existing production tenant constrains the design or means a user "
            "migration.",
            _links("data-transfer", "create-tenants"),
            choices=_c(("no", "No, we start fresh"), ("yes", "Yes")),
            default="no",
        ),
        _q(
            "sso_across_apps",
            "single",
            "single sign-on",
            "Should users sign in once and reach all your applications (single sign-on)?",
            "A tenant has one session context: applications that must share a login session "
            "have to live in the same tenant, on the same login domain.",
            _links("moa-single-authn", "b2b-authn"),
            choices=NO_YES,
        ),
        _q(
            "subscription",
            "single",
            "the Auth0 plan",
            "Which Auth0 plan do you have or expect to buy?",
            "Several options depend on the plan: multiple custom domains per tenant, "
            "self-managed certificates, linking tenants to one contract, Dashboard single "
            "sign-on and load tests are Enterprise features.",
            _links("mcd", "link-tenants", "teams-tenant-mgmt"),
            choices=_c(
                ("free", "Free"),
                ("essentials", "Essentials"),
                ("professional", "Professional"),
                ("enterprise", "Enterprise"),
                ("private_cloud", "Private Cloud"),
                ("unknown", "Not decided yet"),
            ),
        ),
        _q(
            "peak_auth_rps",
            "single",
            "the peak authentication load",
            "What peak authentication load do you expect, in requests per second?",
            "Rate limits apply per tenant and depend on the plan: 25 requests per second on "
            "Essentials and Professional, 100 on Enterprise, guaranteed throughput only on "
            "Private Cloud.",
            _links("rate-limits", "rl-ess-pro", "rl-enterprise", "deploy-options"),
            choices=_c(
                ("lt_25", "Fewer than 25"),
                ("25_100", "25 to 100"),
                ("100_400", "100 to 400"),
                ("gt_400", "More than 400"),
            ),
        ),
        _q(
            "app_protocols",
            "multi",
            "the application protocols",
            "Which protocols and login methods do your applications use?",
            "Organizations require Universal Login, and organization-enabled applications cannot "
            "use the password grant, the device flow or WS-Federation; these protocols limit how "
            "customers can be modelled.",
            _links("orgs-overview"),
            choices=_c(
                ("oidc_oauth", "OpenID Connect / OAuth 2.0"),
                ("saml", "SAML"),
                ("wsfed", "WS-Federation"),
                ("ropg", "Resource owner password grant"),
                ("device_flow", "Device authorization flow"),
                ("classic_login", "Classic Login or Lock"),
            ),
        ),
        _q(
            "brand_structure",
            "single",
            "the brand structure",
            "How many brands do your users sign in to?",
            "One central login domain across brands keeps a single production tenant; brands "
            "with separate users or domains need more custom domains or more tenants.",
            _links("b2b-brand", "mcd-bp"),
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
        _q(
            "org_count",
            "single",
            "the number of customer organizations",
            "How many customer organizations do you expect within three years?",
            "A tenant holds up to 100,000 Organizations by default (Enterprise can ask for "
            "more); the number also decides whether onboarding can stay manual.",
            _links("entity-limits", "orgs-overview"),
            choices=_c(
                ("lt_10", "Fewer than 10"),
                ("10_1k", "10 to 1,000"),
                ("1k_100k", "1,000 to 100,000"),
                ("gt_100k", "More than 100,000"),
            ),
        ),
        _q(
            "user_isolation",
            "single",
            "user isolation",
            "Does each user belong to one customer, or can one identity access several?",
            "The first decision of the multiple-organization architecture: isolated users get "
            "a separate identity per customer, shared users one identity that is a member of "
            "several organizations.",
            _links("moa"),
            choices=_c(
                ("isolated", "Isolated: a user belongs to one customer"),
                ("shared", "Shared: one identity can access several customers"),
                ("mixed", "Mixed: some customers isolated, some shared"),
            ),
        ),
        _q(
            "customer_auth_methods",
            "multi",
            "the customers' sign-in methods",
            "How will your customers' users sign in?",
            "Decides which connections each Organization needs and whether home realm discovery "
            "is required; social connections are shared by every organization in a tenant.",
            _links("moa-single-prov", "b2b-authn"),
            choices=_c(
                ("our_database", "Username and password stored by us"),
                ("enterprise_idp", "The customer's own identity provider"),
                ("social", "Social logins"),
                ("passwordless", "Passwordless (email or SMS codes)"),
            ),
        ),
        _q(
            "multi_idp_orgs",
            "single",
            "customers with several sign-in methods",
            "Do some customers need more than one way to sign in, such as their own identity "
            "provider plus database or social users?",
            "An Organization can hold several connections, at most one of them a database; "
            "older guidance gave such customers a tenant of their own when users are isolated.",
            _links("moa-multi", "b2b-arch"),
            choices=_c(
                ("none", "No, one way per customer"),
                ("few", "Yes, a few customers"),
                ("many", "Yes, many customers"),
            ),
        ),
        _q(
            "complex_org_hosting",
            "single",
            "the hosting of customers with several identity providers",
            "How should customers whose isolated users need several identity providers be hosted?",
            "Current guidance keeps them in the main tenant as Organizations with several "
            "connections; a tenant per customer gives each its own domain and login page with "
            "home realm discovery, at the cost of more tenants to run.",
            _links("moa-multi", "multi-tenant-bp", "b2b-arch"),
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
        _q(
            "customer_login_domains",
            "single",
            "customer login domains",
            "Do customers require a login page on their own domain, such as login.customer.com?",
            "Without Enterprise multiple custom domains a tenant has one custom domain, so a "
            "customer's own login domain means a tenant for that customer; with it, a tenant "
            "serves up to 20 domains, more with an add-on.",
            _links("mcd", "mcd-use-cases", "b2b-brand"),
            choices=_c(
                ("none", "No"),
                ("up_to_20", "Yes, up to 20 customers"),
                ("more_than_20", "Yes, more than 20 customers"),
            ),
        ),
        _q(
            "branded_social_consent",
            "single",
            "a customer-branded social consent screen",
            "Does any customer need a social login consent screen branded to itself?",
            "Social connections are defined per tenant, so all organizations share one consent "
            "screen; a customer that needs its own must get its own tenant.",
            _links("moa-single-authn", "b2b-arch"),
            choices=NO_YES,
            show_if='"social" in customer_auth_methods',
        ),
        _q(
            "dedicated_tenant_contract",
            "single",
            "a contractual dedicated tenant",
            "Does any customer contractually require its own tenant, with its own "
            "administrators, logs and configuration?",
            "A tenant per customer allows Dashboard access limited to that customer, but every "
            "setting must then be configured and deployed per tenant.",
            _links("multi-tenant-bp", "b2b-arch"),
            choices=NO_YES,
        ),
        _q(
            "data_residency",
            "single",
            "data residency",
            "Where must your users' data reside?",
            "A tenant's region is chosen at creation and never changes, and Auth0 does not move "
            "data between tenants: customers in another region need tenants there, and "
            "countries outside the public-cloud regions need Private Cloud.",
            _links("create-tenants", "data-transfer", "pc-aws"),
            choices=_c(
                ("none", "No requirement"),
                ("single_region", "All data in one region"),
                ("some_customers_other_region", "Some customers need their data in another region"),
                ("country_not_in_public_cloud", "In a country the public cloud does not serve"),
            ),
        ),
        _q(
            "primary_region",
            "single",
            "the primary region",
            "In which region should the main tenants be hosted?",
            "The region sets the tenant's domain and where its data is stored, it is permanent, "
            "and latency depends on it: choose it from where most users are.",
            _links("create-tenants", "endpoints"),
            choices=REGIONS,
        ),
        _q(
            "additional_regions",
            "multi",
            "the additional regions",
            "Which other regions need tenants of their own?",
            "Each additional region gets its own production tenant with its own development and "
            "test tenants; users cannot be moved between regions later.",
            _links("create-tenants", "data-transfer"),
            choices=REGIONS,
            show_if='data_residency == "some_customers_other_region"',
        ),
        _q(
            "dedicated_infrastructure",
            "single",
            "dedicated infrastructure",
            "Do you need dedicated infrastructure, guaranteed throughput or private networking?",
            "These call for Private Cloud, where all tenants of the environment share one "
            "authentication rate limit, so extra production tenants compete for it.",
            _links("deploy-options", "pc-aws", "rate-limits"),
            choices=NO_YES,
        ),
        _q(
            "customer_admin_model",
            "single",
            "customer administration",
            "Who manages a customer's users and single sign-on settings?",
            "Customer administrators should not get Dashboard access: build an admin portal on "
            "the Management API, or use Self-Service Enterprise Configuration and the My "
            "Organization API.",
            _links("self-service-sso", "my-org-api", "b2b-ops"),
            choices=_c(
                ("we_do_it", "We do, on request"),
                ("our_admin_portal", "The customer, in an admin portal we build"),
                ("auth0_self_service", "The customer, with Auth0's self-service tools"),
            ),
        ),
        _q(
            "org_onboarding",
            "single",
            "customer onboarding",
            "How will new customer organizations be set up?",
            "Real-time Management API calls suit self sign-up but must respect rate limits and "
            "run some writes one at a time; a configuration repository with CI/CD gives history "
            "and rollback.",
            _links("b2b-prov", "b2b-ops"),
            choices=_c(
                ("manual", "Manually"),
                ("realtime_api", "Automatically through the Management API (e.g. self sign-up)"),
                ("cicd_repo", "Through a configuration repository and CI/CD"),
            ),
        ),
        _q(
            "app_instance_model",
            "single",
            "application instances",
            "Do all customers use one shared application, or does each get its own instance?",
            "An instance per customer is best modelled as one Auth0 application each, sending "
            "the organization at login; a shared application lets users find their "
            "organization at login.",
            _links("moa-single-prov", "url-placeholders"),
            choices=_c(
                ("shared_app", "One shared application for all customers"),
                ("instance_per_customer", "An instance per customer (own URL or subdomain)"),
            ),
        ),
        _q(
            "largest_org_members",
            "single",
            "the size of the largest organization",
            "How many members will your largest customer organization have?",
            "An organization holds up to 100,000 members by default; more must be requested on "
            "Enterprise.",
            _links("entity-limits"),
            choices=_c(("lt_100k", "Fewer than 100,000"), ("gt_100k", "100,000 or more")),
        ),
        _q(
            "idp_switch_later",
            "single",
            "a later move to the customer's identity provider",
            "May customers move from accounts in your database to their own identity provider "
            "later?",
            "The move needs account linking and an Organization that can hold both connections "
            "while users switch.",
            _links("b2b-authn", "moa-multi"),
            choices=NO_YES,
            show_if='"our_database" in customer_auth_methods',
        ),
    ),
    _section(
        "association",
        "Tenant association",
        "How tenants are tied to your contract and who administers them. Unlinked or unguarded "
        "tenants drift away from production.",
        _q(
            "tenants_linked",
            "single",
            "tenant linking",
            "Are all existing tenants, developers' sandboxes included, linked to your company "
            "subscription or Team?",
            "Only linked tenants share the contracted features and quotas, so unlinked "
            "development tenants behave differently from production.",
            _links("link-tenants", "teams-tenant-mgmt", "b2b-arch"),
            choices=_c(("yes", "Yes"), ("no", "No"), ("unknown", "Not sure")),
        ),
        _q(
            "tenant_creation_control",
            "single",
            "tenant creation",
            "Who may create new tenants?",
            "Team owners decide whether admins may create tenants under the Team; tenants "
            "created outside it miss the contract's features and escape oversight.",
            _links("teams-tenant-mgmt"),
            choices=_c(
                ("team_owners_only", "Only Team owners"),
                ("admins_under_team", "Tenant admins, under the Team"),
                ("uncontrolled", "Anyone, without control"),
            ),
        ),
        _q(
            "dashboard_admins",
            "single",
            "the number of Dashboard admins",
            "How many Dashboard administrators will each production tenant have?",
            "More than one admin avoids lock-out, and Auth0's security notices reach only "
            "Dashboard admins.",
            _links("dash-access", "b2b-ops"),
            choices=_c(("one", "One"), ("two_plus", "Two or more")),
        ),
        _q(
            "dashboard_mfa",
            "single",
            "Dashboard MFA",
            "Is multi-factor authentication enforced for every Dashboard member?",
            "Dashboard access controls every tenant's configuration; administrator MFA is "
            "separate from end-user MFA and always recommended.",
            _links("dash-mfa", "teams-security"),
            choices=YES_NO,
        ),
        _q(
            "customer_staff_admin",
            "single",
            "administration by customer staff",
            "Do customer or partner staff need administrative capabilities?",
            "Give them an admin application on the Management API rather than the Dashboard; "
            "only a tenant per customer allows Dashboard access limited to one customer.",
            _links("moa", "multi-tenant-bp"),
            choices=NO_YES,
        ),
        _q(
            "corporate_idp_for_dashboard",
            "single",
            "Dashboard sign-in with your corporate identity provider",
            "Should administrators sign in to the Auth0 Dashboard with your corporate identity "
            "provider?",
            "Enterprise customers can set up single sign-on for the Dashboard with Auth0 "
            "Support, so joiners and leavers are handled in one place.",
            _links("dash-sso"),
            choices=NO_YES,
            show_if='subscription in ["enterprise", "private_cloud"]',
        ),
    ),
    _section(
        "custom_domains",
        "Custom domains",
        "Whether users sign in on your own domain, and how many domains each tenant serves. "
        "Domains affect trust, sessions, passkeys and federations.",
        _q(
            "use_custom_domain",
            "single",
            "custom domains",
            "Will users sign in on a custom domain of your own?",
            "Auth0 strongly recommends a custom domain in production: users trust it, silent "
            "token renewal keeps working in Safari, and passkeys are bound to it. Add it early, "
            "in every environment.",
            _links("cd", "b2b-arch"),
            choices=_c(("yes", "Yes"), ("no", "No"), ("undecided", "Not decided yet")),
        ),
        _q(
            "domain_strategy",
            "single",
            "the domain strategy",
            "How will login domains be organized?",
            "One central, brand-neutral login domain has worked best in nearly every case; "
            "domains per brand, region or customer need multiple custom domains (Enterprise) or "
            "more tenants.",
            _links("mcd-bp", "b2b-brand"),
            choices=_c(
                ("central", "One central login domain"),
                ("per_brand", "One per brand"),
                ("per_region", "One per region"),
                ("per_customer", "One per customer"),
                ("hybrid", "A mix of these"),
            ),
            show_if='use_custom_domain == "yes"',
        ),
        _q(
            "login_domains_per_tenant",
            "single",
            "the login domains per tenant",
            "How many login domains will one tenant serve?",
            "A tenant has one custom domain unless it is on Enterprise with multiple custom "
            "domains (up to 20, more with an add-on); sessions and passkeys do not cross "
            "domains.",
            _links("mcd", "mcd-passkeys"),
            choices=_c(("one", "One"), ("2_20", "2 to 20"), ("gt_20", "More than 20")),
            show_if='use_custom_domain == "yes"',
        ),
        _q(
            "certificate_management",
            "single",
            "certificate management",
            "Who manages the TLS certificates of the custom domains?",
            "Auth0-managed certificates renew by themselves but need a CNAME record that stays "
            "in place; self-managed certificates require Enterprise and a reverse proxy you run.",
            _links("cd-managed", "cd-self"),
            choices=_c(
                ("auth0_managed", "Auth0 (Auth0-managed certificates)"),
                ("self_managed_proxy", "We do, behind our own reverse proxy"),
            ),
            show_if='use_custom_domain == "yes"',
        ),
        _q(
            "custom_domain_nonprod",
            "single",
            "custom domains outside production",
            "Should non-production tenants have custom domains too?",
            "Custom domains in every environment from the start let you test the DNS setup and "
            "keep environments alike.",
            _links("cd", "b2b-arch"),
            choices=YES_NO,
            show_if='use_custom_domain == "yes"',
        ),
        _q(
            "login_host",
            "text",
            "the login host",
            "Which host name should the login page use?",
            "The first label of the proposed login domains, as in login.example.com; leave it "
            "empty to use login.",
            _links("cd", "b2b-brand"),
            required=False,
            min_length=1,
            max_length=63,
            pattern=DNS_LABEL_PATTERN,
            placeholder="login",
            show_if='use_custom_domain == "yes"',
        ),
        _q(
            "silent_auth_iframe",
            "single",
            "silent authentication in an iframe",
            "Do single-page applications renew tokens silently in an iframe, or do many of your "
            "users use Safari?",
            "Browsers block third-party cookies, so silent renewal only works when the login "
            "page shares your site's domain, which takes a custom domain.",
            _links("cd", "cd-features"),
            choices=YES_NO,
        ),
        _q(
            "passkeys",
            "single",
            "passkeys",
            "Will users sign in with passkeys?",
            "A passkey is bound to the domain it was created on and does not work on another "
            "custom domain, so passkeys favour a single login domain.",
            _links("mcd-passkeys", "cd"),
            choices=_c(
                ("no", "No"),
                ("single_domain", "Yes, on one login domain"),
                ("multi_domain", "Yes, on several login domains"),
            ),
        ),
        _q(
            "existing_federations",
            "single",
            "existing federations",
            "Are SAML or OIDC federations already configured against the tenant's Auth0 domain?",
            "Moving to a custom domain changes callback and ACS URLs, so each existing "
            "federation must be updated at the moment of the switch.",
            _links("cd-features", "mcd-saml"),
            choices=NO_YES,
        ),
        _q(
            "dns_flattening",
            "single",
            "DNS flattening",
            "Does your DNS provider flatten or proxy CNAME records?",
            "Auth0-managed certificates need a plain CNAME that stays in place; flattening or "
            "proxying breaks it, so the subdomain may need delegating to another DNS provider.",
            _links("cd-managed"),
            choices=_c(("no", "No"), ("yes", "Yes"), ("unknown", "Not sure")),
            show_if='certificate_management == "auth0_managed"',
        ),
    ),
    _section(
        "sdlc",
        "SDLC support",
        "The environments, sandboxes and tooling around each production tenant. Every production "
        "tenant gets a full set of environment tenants.",
        _q(
            "environments",
            "multi",
            "the environments",
            "Which environments need their own tenants?",
            "Each production tenant gets one tenant per environment, so changes are tested "
            "before they reach production; the count multiplies with every production tenant.",
            _links("multi-env", "b2b-arch", "deploy-cli-multi"),
            choices=_c(
                ("dev", "Development (dev)"),
                ("qa", "QA / testing (qa)"),
                ("uat", "User acceptance testing (uat)"),
                ("staging", "Staging (staging)"),
                ("perf", "Performance testing (perf)"),
                ("prod", "Production (prod)"),
            ),
        ),
        _q(
            "sandboxes",
            "single",
            "sandboxes",
            "Do developers need sandbox tenants?",
            "Sandboxes let developers try changes and deployment scripts without disturbing the "
            "shared development tenant; they must be linked to the subscription too.",
            _links("b2b-arch", "link-tenants"),
            choices=_c(
                ("none", "No sandboxes"),
                ("shared", "One shared sandbox"),
                ("per_developer", "One per developer"),
            ),
        ),
        _q(
            "sandbox_count",
            "int",
            "the number of sandboxes",
            "How many developer sandboxes do you need?",
            "Each sandbox is a separate tenant (acme-sandbox1, acme-sandbox2, …) to name, link "
            "and look after.",
            _links("b2b-arch"),
            min_value=1,
            max_value=50,
            placeholder="5",
            show_if='sandboxes == "per_developer"',
        ),
        _q(
            "config_management",
            "single",
            "configuration management",
            "How will tenant configuration be managed?",
            "Automation keeps tenants alike across environments; once you automate, every change "
            "must go through source control, never by hand in the Dashboard.",
            _links("deploy-cli", "terraform", "b2b-deploy"),
            choices=_c(
                ("manual", "By hand in the Dashboard"),
                ("deploy_cli", "Auth0 Deploy CLI"),
                ("terraform", "Terraform"),
                ("custom_scripts", "Our own scripts"),
            ),
        ),
        _q(
            "cicd_pipeline",
            "single",
            "a CI/CD pipeline",
            "Do you have a CI/CD pipeline to deploy tenant configuration?",
            "A pipeline promotes one configuration from development to production in one "
            "direction, with a manual gate for production.",
            _links("deploy-cli-multi", "b2b-deploy"),
            choices=YES_NO,
        ),
        _q(
            "custom_code",
            "multi",
            "custom code",
            "Which kinds of custom code run in your tenants?",
            "Custom code must take environment-specific values from tenant secrets, not "
            "hard-coded ones; Rules and Hooks reach end of life on 18 November 2026.",
            _links("rules-eol", "b2b-qa", "b2b-deploy"),
            choices=_c(
                ("none", "None"),
                ("actions", "Actions"),
                ("custom_db", "Custom database scripts"),
                ("rules_hooks", "Rules or Hooks"),
            ),
        ),
        _q(
            "test_data",
            "single",
            "test data",
            "Which users will you test with outside production?",
            "Auth0 does not copy users between tenants and exports omit password hashes; lower "
            "environments are less protected, so synthetic users are the safer choice.",
            _links("data-transfer", "b2b-qa"),
            choices=_c(
                ("synthetic", "Synthetic test users"),
                ("copy_of_prod", "A copy of production users"),
                ("none_yet", "Not decided yet"),
            ),
        ),
        _q(
            "load_or_pen_test",
            "single",
            "load and penetration tests",
            "Will you run load tests or penetration tests against Auth0?",
            "Load tests are Enterprise only, need approval at least two weeks ahead and run "
            "against production tenants; penetration tests need advance notice.",
            _links("load-test", "b2b-testing"),
            choices=_c(
                ("no", "No"),
                ("load", "Load tests"),
                ("pen", "Penetration tests"),
                ("both", "Both"),
            ),
        ),
        _q(
            "environment_tags",
            "single",
            "environment tags",
            "Will every tenant carry an environment tag (Development, Staging or Production)?",
            "Production rate limits apply only to tenants tagged Production, so set the tags "
            "before go-live.",
            _links("multi-env", "rate-limits"),
            choices=YES_NO,
        ),
        _q(
            "own_email_provider",
            "single",
            "your own email provider",
            "Will you configure your own email provider?",
            "The built-in provider is for testing only; production, and any load test, needs "
            "your own.",
            _links("b2b-ops", "pre-launch", "load-test"),
            choices=YES_NO,
        ),
        _q(
            "ad_ldap_connector",
            "single",
            "the AD/LDAP Connector",
            "Will you connect Active Directory or LDAP through the AD/LDAP Connector?",
            "Each tenant needs its own AD/LDAP connection and connector, so every environment "
            "adds a connector to install and run.",
            _links("multi-env"),
            choices=NO_YES,
        ),
    ),
)

QUESTIONS: dict[str, Question] = {q.key: q for s in SECTIONS for q in s.questions}
_SECTIONS_BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}

FACTS: dict[str, NameInfo] = {
    "enterprise": NameInfo(kind="bool", label="Enterprise subscription"),
    "production_tenant_count": NameInfo(kind="int", label="Production tenants"),
    "tenant_count": NameInfo(kind="int", label="Tenants in total"),
}


def section(key: str) -> Section:
    """Return the section with this key (KeyError when unknown)."""
    try:
        return _SECTIONS_BY_KEY[key]
    except KeyError:
        raise KeyError(f"Unknown section: {key!r}") from None


@cache
def _schema() -> dict[str, NameInfo]:
    schema = {
        q.key: NameInfo(kind=q.type, choices=q.values, label=q.label) for q in QUESTIONS.values()
    }
    schema.update(FACTS)
    return schema


def condition_schema() -> dict[str, NameInfo]:
    """Return the names conditions may use: every question plus the facts."""
    return dict(_schema())


@cache
def _condition(key: str):
    return compile(QUESTIONS[key].show_if, _schema())


# --- normalizing posted strings ------------------------------------------------------------

_INT_TEXT = re.compile(r"[+-]?[0-9]{1,18}")


def _strings(raw: object) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        items: Iterable[object] = [raw]
    else:
        try:
            items = list(raw)  # type: ignore[call-overload]
        except TypeError:
            items = [raw]
    return [item if isinstance(item, str) else str(item) for item in items]


# Control, bidi and other invisible characters are never meaningful in an answer (PostgreSQL's
# JSON cannot even store NUL): textsafety strips them. Typed text is kept for correction, but
# not without bound.
MAX_STORED_CHARS = 2000
MAX_UNKNOWN_CHOICES = 20


def normalize(question: Question | str, raw: object) -> object:
    """Return the stored value for the strings posted for a question; never raises."""
    if isinstance(question, str):
        question = QUESTIONS[question]
    values = [textsafety.visible_or_empty(v)[:MAX_STORED_CHARS] for v in _strings(raw)]
    non_empty = [v for v in values if v]
    if question.type == "multi":
        chosen = set(non_empty)
        known = [v for v in question.values if v in chosen]
        unknown = list(dict.fromkeys(v for v in non_empty if v not in question.values))
        return known + unknown[:MAX_UNKNOWN_CHOICES]
    first = non_empty[0] if non_empty else ""
    if question.type == "int" and _INT_TEXT.fullmatch(first):
        return int(first)
    return first


# --- emptiness, field validation -------------------------------------------------------------


def is_empty(value: object) -> bool:
    """Return True for values that mean "not answered" (None, blank text, empty list)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset):
        return len(value) == 0
    return False


def _quote(value: object) -> str:
    return f"“{value}”"


PREFIX_RULE = (
    "Enter a tenant prefix of 2 to 40 characters: lowercase letters, digits and single "
    "hyphens, starting and ending with a letter or digit."
)
DOMAIN_RULE = (
    "Enter the primary domain as a DNS name such as example.com: lowercase letters, digits and "
    "hyphens in labels separated by at least one dot, at most 253 characters, each label 1 to "
    "63 characters that does not start or end with a hyphen."
)
LOGIN_HOST_RULE = (
    "Enter the login host as a single DNS label such as login: 1 to 63 lowercase letters, "
    "digits and hyphens, without dots, not starting or ending with a hyphen."
)
SANDBOX_COUNT_RULE = "Enter a whole number between 1 and 50."
ENVIRONMENTS_NEED_PROD = (
    "Production (prod) must be one of the environments: every production tenant needs a "
    "prod tenant."
)
CUSTOM_CODE_NONE_ALONE = (
    "“None” cannot be combined with other kinds of custom code: untick “None” or untick the others."
)

_DNS_LABEL = re.compile(DNS_LABEL_PATTERN)


def _has_upper(value: str) -> bool:
    return value != value.lower()


def _check_tenant_prefix(value: str) -> list[str]:
    valid = (
        2 <= len(value) <= 40 and re.fullmatch(TENANT_PREFIX_PATTERN, value) and "--" not in value
    )
    if valid:
        return []
    hints = []
    if _has_upper(value):
        lower = value.lower()
        example = f" (for example {_quote(lower)})" if not _check_tenant_prefix(lower) else ""
        hints.append(f"Use lowercase letters{example}.")
    if "--" in value:
        hints.append("Use single hyphens, not “--”.")
    if not 2 <= len(value) <= 40:
        hints.append(f"The prefix has {len(value)} characters.")
    return [" ".join([*hints, PREFIX_RULE])]


def _check_primary_domain(value: str) -> list[str]:
    labels = value.split(".")
    valid = (
        len(value) <= 253
        and len(labels) >= 2
        and all(len(label) <= 63 and _DNS_LABEL.fullmatch(label) for label in labels)
    )
    if valid:
        return []
    hints = []
    if "/" in value or ":" in value:
        hints.append("Enter the domain name only, without https:// or a path.")
    if _has_upper(value):
        hints.append("Use lowercase letters.")
    if "." not in value:
        hints.append("Include at least one dot.")
    if len(value) > 253:
        hints.append(f"This one has {len(value)} characters.")
    return [" ".join([*hints, DOMAIN_RULE])]


def _check_login_host(value: str) -> list[str]:
    if len(value) <= 63 and _DNS_LABEL.fullmatch(value):
        return []
    hints = []
    if "." in value:
        hints.append("Enter only the first label (such as login), not the whole domain.")
    if _has_upper(value):
        hints.append("Use lowercase letters.")
    return [" ".join([*hints, LOGIN_HOST_RULE])]


def _check_company_name(value: str) -> list[str]:
    n = len(value.strip())
    if n > 100:
        return [f"Enter a company name of at most 100 characters (this one has {n})."]
    return []


_TEXT_CHECKS = {
    "company_name": _check_company_name,
    "tenant_prefix": _check_tenant_prefix,
    "primary_domain": _check_primary_domain,
    "login_host": _check_login_host,
}


def _required_message(q: Question) -> str:
    if q.key == "tenant_prefix":
        return PREFIX_RULE
    if q.key == "sandbox_count":
        return SANDBOX_COUNT_RULE
    name = q.short_label or "this question"
    if q.type == "single":
        return f"Choose one option for {name}."
    if q.type == "multi":
        return f"Choose at least one option for {name}."
    return f"Enter a value for {name}."


def _field_errors(q: Question, value: object) -> list[str]:
    """Return the errors of one answer on its own (no visibility, no cross-question rules)."""
    if is_empty(value):
        return [_required_message(q)] if q.required else []
    name = q.short_label or "this question"
    if q.type == "single":
        if not isinstance(value, str):
            return [f"Choose exactly one option for {name}."]
        if value not in q.values:
            return [f"Choose one of the listed options for {name}: {_quote(value)} is not one."]
        return []
    if q.type == "multi":
        if not isinstance(value, list | tuple):
            return [f"Choose the options for {name} from the list."]
        unknown = [v for v in dict.fromkeys(map(str, value)) if v not in q.values]
        if unknown:
            verb = "is not one of them" if len(unknown) == 1 else "are not among them"
            listed = textsafety.listing(unknown, quote=_quote)
            return [f"Choose from the listed options for {name}: {listed} {verb}."]
        return []
    if q.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return [
                SANDBOX_COUNT_RULE
                if q.key == "sandbox_count"
                else f"Enter a whole number for {name}."
            ]
        lo, hi = q.min_value, q.max_value
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            if q.key == "sandbox_count":
                return [SANDBOX_COUNT_RULE]
            return [f"Enter a whole number between {lo} and {hi} for {name}."]
        return []
    # text
    if not isinstance(value, str):
        return [f"Enter text for {name}."]
    check = _TEXT_CHECKS.get(q.key)
    if check is not None:
        return check(value)
    if q.max_length is not None and len(value) > q.max_length:
        return [f"Enter at most {q.max_length} characters for {name}."]
    return []


def _field_valid_values(answers: Mapping) -> dict[str, object]:
    """Return the non-empty answers that pass their own field checks, by question key."""
    values = {}
    for key, q in QUESTIONS.items():
        value = answers.get(key)
        if not is_empty(value) and not _field_errors(q, value):
            values[key] = value
    return values


# --- visibility -----------------------------------------------------------------------------


def _visible(answers: Mapping) -> tuple[set[str], dict[str, object]]:
    """Return the visible keys and the field-valid values of the visible questions."""
    values = _field_valid_values(answers)
    visible: set[str] = set()
    for key, q in QUESTIONS.items():
        if q.show_if and not _condition(key).evaluate(values):
            values.pop(key, None)
        else:
            visible.add(key)
    return visible, values


def visible_keys(answers: Mapping) -> set[str]:
    """Return the keys of the questions shown for these answers."""
    return _visible(answers)[0]


# --- cross-question rules -------------------------------------------------------------------


def longest_tenant_name(answers: Mapping) -> str:
    """Return the longest tenant name the prefix and the given answers produce (plan.md §1)."""
    prefix = answers.get("tenant_prefix")
    if not isinstance(prefix, str) or not prefix.strip():
        return ""
    prefix = prefix.strip()
    _, values = _visible(answers)
    environments = values.get("environments") or ["staging"]
    stems = [prefix]
    communities = values.get("user_communities") or []
    if "employees" in communities and values.get("communities_share_apps") == "none":
        stems.append(f"{prefix}-workforce")
    if values.get("data_residency") == "some_customers_other_region":
        stems.extend(f"{prefix}-{region}" for region in values.get("additional_regions") or [])
    names = [f"{stem}-{env}" for stem in stems for env in environments]
    sandboxes = values.get("sandboxes")
    if sandboxes == "shared":
        names.append(f"{prefix}-sandbox")
    elif sandboxes == "per_developer":
        count = values.get("sandbox_count", QUESTIONS["sandbox_count"].max_value)
        names.append(f"{prefix}-sandbox{count}")
    return max(names, key=len)


def _cross_errors(answers: Mapping, values: Mapping) -> dict[str, list[str]]:
    """Return errors of rules spanning several questions, by the key they are reported on."""
    errors: dict[str, list[str]] = {}
    primary = values.get("primary_region")
    additional = values.get("additional_regions") or []
    if primary and primary in additional:
        region = QUESTIONS["primary_region"].choice_label(primary)
        errors["additional_regions"] = [
            f"Remove {region} ({primary}) from the additional regions: it is already the "
            "primary region."
        ]
    environments = values.get("environments")
    if environments and "prod" not in environments:
        errors["environments"] = [ENVIRONMENTS_NEED_PROD]
    custom_code = values.get("custom_code") or []
    if "none" in custom_code and len(custom_code) > 1:
        errors["custom_code"] = [CUSTOM_CODE_NONE_ALONE]
    longest = longest_tenant_name(answers)
    if len(longest) > MAX_TENANT_NAME_LENGTH:
        errors["tenant_prefix"] = [
            f"The tenant name {_quote(longest)} would have {len(longest)} characters, but Auth0 "
            f"allows at most {MAX_TENANT_NAME_LENGTH}. Shorten the tenant prefix."
        ]
    return errors


def _all_errors(answers: Mapping) -> tuple[set[str], dict[str, object], dict[str, list[str]]]:
    """Return visible keys, field-valid visible values and errors by key (visible only)."""
    visible, values = _visible(answers)
    errors: dict[str, list[str]] = {}
    for key in QUESTIONS:
        if key in visible:
            messages = _field_errors(QUESTIONS[key], answers.get(key))
            if messages:
                errors[key] = messages
    for key, messages in _cross_errors(answers, values).items():
        if key in visible:
            errors.setdefault(key, []).extend(m for m in messages if m not in errors.get(key, []))
    return visible, values, errors


def effective_answers(answers: Mapping) -> dict:
    """Return the answers that count: visible, non-empty and without errors, in catalog order."""
    _, values, errors = _all_errors(answers)
    return {key: value for key, value in values.items() if key not in errors}


def validate_section(section_key: str, answers: Mapping) -> dict[str, list[str]]:
    """Return error messages by question key for the visible questions of one section."""
    keys = {q.key for q in section(section_key).questions}
    _, _, errors = _all_errors(answers)
    return {key: messages for key, messages in errors.items() if key in keys}


def validate_all(answers: Mapping) -> dict[str, dict[str, list[str]]]:
    """Return errors by section key and question key, only for sections with errors."""
    _, _, errors = _all_errors(answers)
    result: dict[str, dict[str, list[str]]] = {}
    for key, messages in errors.items():
        result.setdefault(QUESTIONS[key].section, {})[key] = messages
    return {s.key: result[s.key] for s in SECTIONS if s.key in result}


# --- display and progress -------------------------------------------------------------------


def answer_label(key: str, value: object) -> str:
    """Return the human text of an answer ("Not answered" when empty)."""
    q = QUESTIONS[key]
    if is_empty(value):
        return NOT_ANSWERED
    if q.type == "single" and isinstance(value, str):
        return q.choice_label(value)
    if q.type == "multi" and isinstance(value, list | tuple):
        return ", ".join(q.choice_label(str(v)) for v in value)
    return str(value).strip()


def section_state(section_key: str, answers: Mapping, touched: bool) -> str:
    """Return "not_started", "in_progress", "complete" or "has_errors" for a section."""
    sec = section(section_key)
    visible, _, errors = _all_errors(answers)
    keys = {q.key for q in sec.questions}
    if not any(key in errors for key in keys):
        return "complete"
    if touched:
        return "has_errors"
    answered = any(key in visible and not is_empty(answers.get(key)) for key in keys)
    return "in_progress" if answered else "not_started"
