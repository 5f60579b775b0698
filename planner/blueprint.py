"""The per-customer blueprint, the DNS records and what the design uses (docs/plan-json.md).

Pure Python, no Django: derived from the effective answers and their topology, once per plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from planner.roster import Customer
from planner.topology import CUSTOMER_PLACEHOLDER, Topology, shared_stem

__all__ = [
    "Connection",
    "CustomerEntry",
    "DnsRecord",
    "Usage",
    "customer_entries",
    "dns_records",
    "usage",
]

STRATEGIES = {
    "entra_id": "waad",
    "okta": "okta",
    "google_workspace": "google-apps",
    "adfs": "adfs",
    "ping": "pingfederate",
    "saml": "samlp",
    "oidc": "oidc",
}
RECORD_TYPES = {"auth0_managed": "CNAME", "self_managed_proxy": "TXT"}
# Reader-facing names, shared by the plan page and the PDF.
CERTIFICATE_LABELS = {
    "auth0_managed": "Auth0-managed",
    "self_managed_proxy": "Self-managed, through your proxy",
}
ENTERPRISE_FEATURE_LABELS = {
    "multiple_custom_domains": "Multiple Custom Domains",
    "self_managed_certificates": "Self-managed certificates",
    "private_cloud": "Private Cloud",
}
TAGS = ("production", "staging", "development")


@dataclass(frozen=True)
class Connection:
    name: str
    strategy: str
    kind: str  # "enterprise" | "database" | "social" | "passwordless"
    membership_on_login: bool


@dataclass(frozen=True)
class CustomerEntry:
    name: str
    slug: str
    count: int
    hosting: str
    tenant: str  # the production stem it lives in
    region: str
    organization: str | None  # None for a dedicated customer
    display_name: str | None
    connections: tuple[Connection, ...]
    domain_aliases: tuple[str, ...]
    login_domain: str | None
    scim: bool
    mfa: str

    @property
    def archetype(self) -> bool:
        return self.count > 1


@dataclass(frozen=True)
class DnsRecord:
    domain: str
    tenant: str
    certificate: str | None
    record: str | None
    zone_owner: str  # "customer" for a roster login domain, "you" otherwise

    @property
    def certificate_label(self) -> str:
        return CERTIFICATE_LABELS.get(self.certificate or "", "Not chosen yet")


@dataclass(frozen=True)
class Usage:
    tenants_by_tag: Mapping[str, int]
    organizations: int
    enterprise_connections_per_environment: int
    enterprise_connections_all_environments: int
    max_custom_domains_per_tenant: int
    enterprise_features: tuple[str, ...]

    @property
    def enterprise_feature_labels(self) -> tuple[str, ...]:
        return tuple(ENTERPRISE_FEATURE_LABELS.get(f, f) for f in self.enterprise_features)


def _text(answers: Mapping[str, object], key: str) -> str:
    value = answers.get(key)
    return value if isinstance(value, str) else ""


def _per_org_database(answers: Mapping[str, object], enterprise: bool) -> bool:
    """Return True when each customer gets its own database (the condition of tp-db-per-org)."""
    org_count = _text(answers, "org_count")
    return _text(answers, "user_isolation") == "isolated" and (
        org_count == "lt_10" or (org_count == "10_1k" and enterprise)
    )


def _connections(
    customer: Customer, name: str, prefix: str, own_database: bool
) -> tuple[Connection, ...]:
    connections = []
    if "enterprise_idp" in customer.sign_in and customer.idp:
        connections.append(
            Connection(
                f"{name}-{customer.idp.replace('_', '-')}",
                STRATEGIES.get(customer.idp, customer.idp),
                "enterprise",
                True,
            )
        )
    if "our_database" in customer.sign_in:
        database = f"{name}-users" if customer.dedicated or own_database else f"{prefix}-users"
        connections.append(Connection(database, "auth0", "database", False))
    if "social" in customer.sign_in:
        connections.append(Connection("google-oauth2", "google-oauth2", "social", False))
    if "passwordless" in customer.sign_in:
        connections.append(Connection("email", "email", "passwordless", False))
    return tuple(connections)


def customer_entries(
    answers: Mapping[str, object], topology: Topology
) -> tuple[CustomerEntry, ...]:
    """Return one blueprint entry per roster row, in roster order."""
    prefix = _text(answers, "tenant_prefix")
    if not prefix or not topology.customers:
        return ()
    own_database = _per_org_database(answers, bool(topology.facts.get("enterprise")))
    regions = {}
    for customer in topology.customers:
        if not customer.dedicated and customer.region not in regions:
            regions[customer.region] = shared_stem(
                prefix, customer.region, topology.production_tenants
            )
    return _entries(topology.customers, prefix, own_database, tuple(regions.items()))


# The same roster (the very tuple of customers, which roster.read_rows keeps for the last few
# rosters) gives the same entries: every build of a plan with a 500-row roster reuses them.
@lru_cache(maxsize=16)
def _entries(
    customers: tuple[Customer, ...],
    prefix: str,
    own_database: bool,
    shared_stems: tuple[tuple[str, str], ...],
) -> tuple[CustomerEntry, ...]:
    stems = dict(shared_stems)
    entries = []
    for customer in customers:
        name = customer.slug if customer.named else CUSTOMER_PLACEHOLDER
        tenant = f"{prefix}-{customer.slug}" if customer.dedicated else stems[customer.region]
        connections = _connections(customer, name, prefix, own_database)
        enterprise = any(c.kind == "enterprise" for c in connections)
        entries.append(
            CustomerEntry(
                name=customer.name,
                slug=customer.slug,
                count=customer.count,
                hosting=customer.hosting,
                tenant=tenant,
                region=customer.region,
                organization=None if customer.dedicated else name,
                display_name=None if customer.dedicated else customer.name,
                connections=connections,
                domain_aliases=customer.email_domains if enterprise else (),
                login_domain=customer.login_domain or None,
                scim=customer.scim,
                mfa=customer.mfa,
            )
        )
    return tuple(entries)


def clear_caches() -> None:
    """Forget the blueprints kept for the last few rosters (benchmarks measure a first build)."""
    _entries.cache_clear()


def dns_records(answers: Mapping[str, object], topology: Topology) -> tuple[DnsRecord, ...]:
    """Return one record per custom domain of every tenant, in inventory order."""
    certificate = _text(answers, "certificate_management") or None
    customer_domains = {c.login_domain for c in topology.customers if c.login_domain}
    return tuple(
        DnsRecord(
            domain=domain,
            tenant=tenant.name,
            certificate=certificate,
            record=RECORD_TYPES.get(certificate or ""),
            zone_owner="customer" if domain in customer_domains else "you",
        )
        for tenant in topology.tenants
        for domain in tenant.custom_domains
    )


def usage(answers: Mapping[str, object], topology: Topology) -> Usage:
    """Return what the design uses: counts to confirm against the subscription, never prices."""
    tags = {tag: 0 for tag in TAGS}
    for tenant in topology.tenants:
        tags[tenant.environment_tag] = tags.get(tenant.environment_tag, 0) + 1
    environments = {t.environment for t in topology.tenants if t.environment != "sandbox"}
    count = topology.facts.get("enterprise_connection_count", 0)
    per_environment = count if isinstance(count, int) else 0
    max_domains = max((len(t.custom_domains) for t in topology.tenants), default=0)
    features = []
    if max_domains > 1:
        features.append("multiple_custom_domains")
    if _text(answers, "certificate_management") == "self_managed_proxy":
        features.append("self_managed_certificates")
    if (
        _text(answers, "subscription") == "private_cloud"
        or _text(answers, "data_residency") == "country_not_in_public_cloud"
        or _text(answers, "dedicated_infrastructure") == "yes"
    ):
        features.append("private_cloud")
    return Usage(
        tenants_by_tag=tags,
        organizations=sum(c.count for c in topology.customers if not c.dedicated),
        enterprise_connections_per_environment=per_environment,
        enterprise_connections_all_environments=per_environment * len(environments),
        max_custom_domains_per_tenant=max_domains,
        enterprise_features=tuple(features),
    )
