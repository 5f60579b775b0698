"""What one production stem's configuration holds, read from the plan (docs/config-export.md).

Pure Python, no Django. ``tenant_configs(plan)`` turns the plan's inventory, blueprint and
answers into one ``TenantConfig`` per exported stem; the Deploy CLI and Terraform writers only
render it, so both formats always hold the same configuration. Nothing here is invented: a value
the plan does not hold (an IdP's address, a client secret, the callback URLs) becomes a
``Keyword`` that the README explains and the team fills in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from planner.blueprint import CustomerEntry
from planner.topology import CUSTOMER_PLACEHOLDER, ProductionTenant

if TYPE_CHECKING:
    from planner.plans import Plan

__all__ = [
    "CERTIFICATE_TYPES",
    "ExportConnection",
    "ExportOrganization",
    "EnvironmentConfig",
    "Keyword",
    "TenantConfig",
    "tenant_configs",
]

# certificate_management answer -> the custom domain's provisioning type in Auth0.
CERTIFICATE_TYPES = {
    "auth0_managed": "auth0_managed_certs",
    "self_managed_proxy": "self_managed_certs",
}
# Auth0's regions -> the suffix of a tenant's default domain ({tenant}.{region}.auth0.com; US
# tenants created before June 2020 have no region label: "Find Your Auth0 Domain" in
# https://auth0.com/docs/organizations/configure/create-organizations).
REGION_DOMAINS = {r: f"{r}.auth0.com" for r in ("us", "eu", "au", "jp", "uk", "ca")}


@dataclass(frozen=True)
class Keyword:
    """A value the plan does not hold: a Deploy CLI keyword and a Terraform variable."""

    name: str  # CONTOSO_OKTA_CLIENT_SECRET (the Terraform variable is its lowercase form)
    meaning: str  # one sentence for the README and the variable's description
    secret: bool = False  # never written: set in the pipeline's secret store
    kind: str = "string"  # "string" | "list" (a JSON list inserted with @@NAME@@)

    @property
    def variable(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Setting:
    """One option of a connection whose value comes from a keyword."""

    api_option: str  # the Management API's (and so the Deploy CLI's) option name
    tf_option: str  # the Terraform provider's argument name inside ``options``
    keyword: Keyword


@dataclass(frozen=True)
class ExportConnection:
    name: str
    strategy: str
    kind: str  # "enterprise" | "database" | "social" | "passwordless"
    customer: str  # the roster name of the customer it was made for ("" when shared)
    domain_aliases: tuple[str, ...] = ()
    settings: tuple[Setting, ...] = ()
    fixed_options: tuple[tuple[str, str], ...] = ()  # (option, value) the strategy requires


@dataclass(frozen=True)
class ExportOrganization:
    name: str
    display_name: str
    # (connection name, assign membership on login), in the blueprint's order
    connections: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class EnvironmentConfig:
    environment: str  # dev, qa, …, prod
    tenant: str  # the tenant's name in the inventory
    region: str
    custom_domains: tuple[str, ...]
    existing: bool = False

    @property
    def auth0_domain(self) -> str:
        suffix = REGION_DOMAINS.get(self.region, "<region>.auth0.com")
        return f"{self.tenant}.{suffix}"


@dataclass(frozen=True)
class TenantConfig:
    stem: str
    purpose: str
    company: str
    app_name: str
    organization_usage: str  # "require", "allow" or "" (no Organizations in this tenant)
    identifier_first: bool
    certificate_type: str  # auth0_managed_certs | self_managed_certs ("" without domains)
    environments: tuple[EnvironmentConfig, ...]
    connections: tuple[ExportConnection, ...]
    organizations: tuple[ExportOrganization, ...]
    keywords: tuple[Keyword, ...] = field(default=())  # every keyword, in file order

    @property
    def has_custom_domains(self) -> bool:
        return any(env.custom_domains for env in self.environments)

    @property
    def databases(self) -> tuple[ExportConnection, ...]:
        return tuple(c for c in self.connections if c.kind == "database")

    @property
    def other_connections(self) -> tuple[ExportConnection, ...]:
        return tuple(c for c in self.connections if c.kind != "database")


# --------------------------------------------------------------------------- keywords

ENV = Keyword("ENV", "The environment's name (dev, qa, …, prod), shown in the tenant's name.")
SUPPORT_EMAIL = Keyword(
    "SUPPORT_EMAIL", "The support email address shown to users on the login pages."
)
CUSTOM_DOMAINS = Keyword(
    "CUSTOM_DOMAINS",
    "The custom login domains of this environment's tenant (filled in from the plan).",
    kind="list",
)
APP_CALLBACKS = Keyword(
    "APP_CALLBACKS",
    "The application's allowed callback URLs in this environment, such as "
    "https://app.example.com/callback.",
    kind="list",
)
APP_LOGOUT_URLS = Keyword(
    "APP_LOGOUT_URLS",
    "The URLs the application may return to after logout in this environment.",
    kind="list",
)

# strategy -> (api option, terraform option, keyword suffix, what it is, secret)
_IDP_SETTINGS: dict[str, tuple[tuple[str, str, str, str, bool], ...]] = {
    # Entra ID takes its domain twice, as Auth0's own examples set it (domain and tenant_domain).
    "waad": (
        ("domain", "domain", "TENANT_DOMAIN", "Microsoft Entra ID domain", False),
        ("tenant_domain", "tenant_domain", "TENANT_DOMAIN", "Microsoft Entra ID domain", False),
        ("client_id", "client_id", "CLIENT_ID", "client ID of the app registered in Entra", False),
        ("client_secret", "client_secret", "CLIENT_SECRET", "client secret of that app", True),
    ),
    "okta": (
        ("domain", "domain", "DOMAIN", "Okta domain, such as example.okta.com", False),
        ("client_id", "client_id", "CLIENT_ID", "client ID of the app registered in Okta", False),
        ("client_secret", "client_secret", "CLIENT_SECRET", "client secret of that app", True),
    ),
    "google-apps": (
        ("domain", "domain", "DOMAIN", "Google Workspace domain", False),
        ("client_id", "client_id", "CLIENT_ID", "OAuth client ID in Google Cloud", False),
        ("client_secret", "client_secret", "CLIENT_SECRET", "OAuth client secret", True),
    ),
    "adfs": (
        ("adfs_server", "adfs_server", "ADFS_SERVER", "AD FS federation metadata URL", False),
    ),
    "pingfederate": (
        ("pingFederateBaseUrl", "ping_federate_base_url", "BASE_URL", "PingFederate URL", False),
        ("signingCert", "signing_cert", "SIGNING_CERT", "IdP signing certificate", False),
    ),
    "samlp": (
        ("signInEndpoint", "sign_in_endpoint", "SIGN_IN_ENDPOINT", "SAML sign-in URL", False),
        ("signingCert", "signing_cert", "SIGNING_CERT", "IdP signing certificate", False),
    ),
    "oidc": (
        ("discovery_url", "discovery_url", "DISCOVERY_URL", "OpenID discovery URL", False),
        ("client_id", "client_id", "CLIENT_ID", "client ID registered at the IdP", False),
        ("client_secret", "client_secret", "CLIENT_SECRET", "client secret of that client", True),
    ),
    "google-oauth2": (
        ("client_id", "client_id", "CLIENT_ID", "OAuth client ID in Google Cloud", False),
        ("client_secret", "client_secret", "CLIENT_SECRET", "OAuth client secret", True),
    ),
}
# Options a strategy needs to use the settings above: an OIDC client secret is used only on the
# back channel (authorization code flow).
_FIXED_OPTIONS = {"oidc": (("type", "back_channel"),)}

_NOT_KEYWORD = re.compile(r"[^A-Z0-9]+")


def keyword_stem(connection_name: str) -> str:
    """Return the keyword prefix of a connection: contoso-entra-id -> CONTOSO_ENTRA_ID."""
    stem = _NOT_KEYWORD.sub("_", connection_name.upper()).strip("_")
    return f"CONN_{stem}" if not stem or stem[0].isdigit() else stem


def _settings(name: str, strategy: str, customer: str) -> tuple[Setting, ...]:
    where = f"connection {name}, {customer}" if customer else f"connection {name}"
    stem = keyword_stem(name)
    return tuple(
        Setting(
            api_option,
            tf_option,
            Keyword(
                f"{stem}_{suffix}",
                f"{what[0].upper()}{what[1:]} ({where}).",
                secret=secret,
            ),
        )
        for api_option, tf_option, suffix, what, secret in _IDP_SETTINGS.get(strategy, ())
    )


# --------------------------------------------------------------------------- reading the plan


def _concrete(name: str) -> bool:
    return CUSTOMER_PLACEHOLDER not in name


def _connections(entries: Iterable[CustomerEntry]) -> tuple[ExportConnection, ...]:
    """Return the stem's connections, once each: every named customer's, and the shared ones."""
    found: dict[str, ExportConnection] = {}
    for entry in entries:
        for connection in entry.connections:
            if connection.name in found or not _concrete(connection.name):
                continue
            customer = entry.name if connection.kind == "enterprise" else ""
            found[connection.name] = ExportConnection(
                name=connection.name,
                strategy=connection.strategy,
                kind=connection.kind,
                customer=customer,
                domain_aliases=entry.domain_aliases if connection.kind == "enterprise" else (),
                settings=_settings(connection.name, connection.strategy, customer),
                fixed_options=_FIXED_OPTIONS.get(connection.strategy, ()),
            )
    return tuple(found.values())


def _organizations(entries: Iterable[CustomerEntry]) -> tuple[ExportOrganization, ...]:
    return tuple(
        ExportOrganization(
            name=entry.organization,
            display_name=entry.display_name or entry.name,
            connections=tuple((c.name, c.membership_on_login) for c in entry.connections),
        )
        for entry in entries
        if entry.organization and not entry.archetype and _concrete(entry.organization)
    )


def _organization_usage(plan: Plan, purpose: str) -> str:
    """Return the app's organization_usage: B2B only "require", shared with consumers "allow"."""
    if not plan.organizations or purpose not in ("primary", "regional"):
        return ""
    answers: Mapping[str, object] = plan.answers
    communities = answers.get("user_communities") or []
    shares = answers.get("communities_share_apps") in ("some", "all")
    # The condition of ctx-b2b-and-consumers: consumers share the applications.
    if isinstance(communities, list) and "consumers" in communities and shares:
        return "allow"
    return "require"


def _keywords(config: TenantConfig) -> tuple[Keyword, ...]:
    keywords = [ENV, SUPPORT_EMAIL]
    if config.has_custom_domains:
        keywords.append(CUSTOM_DOMAINS)
    keywords.extend([APP_CALLBACKS, APP_LOGOUT_URLS])
    keywords.extend(s.keyword for c in config.connections for s in c.settings)
    return tuple(dict.fromkeys(keywords))  # a keyword used by two options is listed once


def exported_stems(plan: Plan) -> tuple[ProductionTenant, ...]:
    """Return the production tenants exported: every one but the placeholder group."""
    return tuple(pt for pt in plan.topology.production_tenants if not pt.per_customer)


def _environments(plan: Plan, pt: ProductionTenant) -> tuple[EnvironmentConfig, ...]:
    return tuple(
        EnvironmentConfig(t.environment, t.name, t.region, t.custom_domains, t.existing)
        for t in plan.topology.tenants_of(pt)
        if t.environment != "sandbox"
    )


def _certificate_type(plan: Plan) -> str:
    certificate = plan.answers.get("certificate_management")
    return CERTIFICATE_TYPES.get(certificate, "") if isinstance(certificate, str) else ""


def tenant_configs(plan: Plan) -> tuple[TenantConfig, ...]:
    """Return one configuration per exported production stem, in inventory order."""
    by_stem = dict(plan.customers_by_tenant)
    configs = []
    for pt in exported_stems(plan):
        entries = by_stem.get(pt.stem, ())
        connections = _connections(entries)
        config = TenantConfig(
            stem=pt.stem,
            purpose=pt.purpose,
            company=plan.company or plan.name,
            app_name=f"{plan.company or plan.name} app",
            organization_usage=_organization_usage(plan, pt.purpose),
            identifier_first=any(c.domain_aliases for c in connections),
            certificate_type=_certificate_type(plan),
            environments=_environments(plan, pt),
            connections=connections,
            organizations=_organizations(entries),
        )
        configs.append(_with_keywords(config))
    return tuple(configs)


def _with_keywords(config: TenantConfig) -> TenantConfig:
    return replace(config, keywords=_keywords(config))


def onboarding_entries(plan: Plan) -> tuple[CustomerEntry, ...]:
    """Return the blueprint rows created at onboarding: archetypes and the placeholder group's."""
    placeholder = {pt.stem for pt in plan.topology.production_tenants if pt.per_customer}
    return tuple(e for e in plan.customers if e.archetype or e.tenant in placeholder)
