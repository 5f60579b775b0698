"""Derived tenant topology: tenant names, regions, custom domains and facts.

Pure Python, no Django: the production tenants and every tenant (environments and sandboxes) a
project's *effective* answers imply, the facts the rules use, and the problems found in the
names (``TopologyIssue``). A missing key means "unanswered"; the derivation never raises, whatever
it is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from planner import facts, roster
from planner.facts import FrozenFacts
from planner.roster import Customer

__all__ = [
    "CUSTOMER_PLACEHOLDER",
    "FrozenFacts",
    "ENV_ORDER",
    "MAX_DOMAIN_LENGTH",
    "MAX_LABEL_LENGTH",
    "MAX_SANDBOXES",
    "MAX_TENANT_NAME_LENGTH",
    "MIN_TENANT_NAME_LENGTH",
    "PURPOSES",
    "PURPOSE_LABELS",
    "PURPOSE_SHORT_LABELS",
    "ProductionTenant",
    "Tenant",
    "Topology",
    "TopologyIssue",
    "check_tenant_name",
    "derive_topology",
    "environment_tag",
    "longest_tenant_name",
    "production_stem",
    "sandbox_name",
    "shared_stem",
    "tenant_name",
]

ENV_ORDER = ("dev", "qa", "uat", "staging", "perf", "prod")
PURPOSES = ("primary", "workforce", "regional", "dedicated")
# How a purpose is named in the plan's text, and in the diagram where a group heading is short.
PURPOSE_LABELS = {
    "primary": "Primary",
    "workforce": "Workforce",
    "regional": "Regional",
    "dedicated": "Dedicated (per customer)",
}
PURPOSE_SHORT_LABELS = {**PURPOSE_LABELS, "dedicated": "Dedicated"}
CUSTOMER_PLACEHOLDER = "{customer}"

MIN_TENANT_NAME_LENGTH = 3
MAX_TENANT_NAME_LENGTH = 63
MAX_LABEL_LENGTH = 63
MAX_DOMAIN_LENGTH = 253
MAX_SANDBOXES = 50

TAG_PRODUCTION = "production"
TAG_STAGING = "staging"
TAG_DEVELOPMENT = "development"
SANDBOX_ENVIRONMENT = "sandbox"

_NAME_CHARS = re.compile(r"^[a-z0-9-]+$")

# Reasons, one sentence each, shown in the plan and the diagram.
REASON_PRIMARY = "The main tenant for your applications and business customers."
REASON_WORKFORCE = (
    "Employees use apps that no other user community shares, so the workforce gets its own tenant."
)
REASON_REGIONAL = "Some customers' data must reside in the {region} region."
REASON_DEDICATED_COMPLEX = (
    "Customers whose isolated users need several identity providers are hosted in their own tenant."
)
REASON_DEDICATED_CONSENT = "A customer needs a social consent screen branded to itself."
REASON_DEDICATED_CONTRACT = "A customer contractually requires its own tenant."
REASON_LISTED = "Listed as a customer with its own tenant."
REASON_DEDICATED_DOMAIN = (
    "A customer requires a login page on its own domain, and without an Enterprise "
    "subscription a tenant has only one custom domain."
)


@dataclass(frozen=True)
class ProductionTenant:
    purpose: str  # "primary" | "workforce" | "regional" | "dedicated"
    stem: str  # e.g. "acme", "acme-workforce", "acme-eu", "acme-{customer}"
    region: str
    reasons: tuple[str, ...]  # human sentences why this production tenant exists
    custom_domain: str = ""  # proposed domain of its prod tenant ("" when none)
    per_customer: bool = False  # True for the dedicated group
    customer: str = ""  # the roster customer's name, for a dedicated tenant listed by name
    # Every custom domain of its prod tenant, the first one being ``custom_domain``.
    custom_domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tenant:
    name: str
    purpose: str
    environment: str  # a value of ENV_ORDER or "sandbox"
    environment_tag: str  # "production" | "staging" | "development"
    region: str
    custom_domain: str
    stem: str
    # Every custom domain of the tenant (the first is ``custom_domain``); roster login domains
    # make several on one tenant.
    custom_domains: tuple[str, ...] = ()
    existing: bool = False  # the production tenant that already exists


@dataclass(frozen=True)
class TopologyIssue:
    code: str
    message: str


@dataclass(frozen=True)
class Topology:
    production_tenants: tuple[ProductionTenant, ...]
    tenants: tuple[Tenant, ...]
    facts: FrozenFacts  # read-only dict: enterprise, production_tenant_count, tenant_count, …
    issues: tuple[TopologyIssue, ...]
    customers: tuple[Customer, ...] = ()  # the roster, defaults applied

    def tenants_of(self, production_tenant: ProductionTenant) -> tuple[Tenant, ...]:
        """The tenants (environments, and sandboxes for the primary) of one production tenant."""
        return tuple(
            t
            for t in self.tenants
            if t.purpose == production_tenant.purpose and t.stem == production_tenant.stem
        )


# --------------------------------------------------------------------------- answer access


def _text(answers: Mapping[str, object], key: str) -> str:
    """A single/text answer as a stripped string; "" when unanswered or not a string."""
    try:
        value = answers.get(key)
    except Exception:  # a broken mapping counts as unanswered
        return ""
    if isinstance(value, str):
        return value.strip()
    return ""


def _values(answers: Mapping[str, object], key: str) -> list[str]:
    """A multi answer as a list of distinct strings, in the given order; [] when unanswered."""
    try:
        value = answers.get(key)
    except Exception:
        return []
    if isinstance(value, str):
        items: Iterable[object] = [value] if value else []
    elif isinstance(value, list | tuple | set | frozenset):
        items = value
    else:
        return []
    result: list[str] = []
    for item in items:
        if isinstance(item, str) and item and item not in result:
            result.append(item)
    return result


def _int(answers: Mapping[str, object], key: str) -> int | None:
    try:
        value = answers.get(key)
    except Exception:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,6}\s*", value):
        return int(value)
    return None


# --------------------------------------------------------------------------- checks


def environment_tag(environment: str) -> str:
    """`prod` → production, `staging` → staging, anything else (sandboxes too) → development."""
    if environment == "prod":
        return TAG_PRODUCTION
    if environment == "staging":
        return TAG_STAGING
    return TAG_DEVELOPMENT


def check_tenant_name(name: str) -> list[str]:
    """What is wrong with a tenant name ([] when it is valid).

    The literal ``{customer}`` placeholder of the dedicated group stands for a customer slug of
    at least one character: it is checked as a 1-character slug.
    """
    candidate = name.replace(CUSTOMER_PLACEHOLDER, "c")
    problems: list[str] = []
    if len(candidate) < MIN_TENANT_NAME_LENGTH:
        problems.append(
            f"it has {len(candidate)} characters, at least {MIN_TENANT_NAME_LENGTH} are needed"
        )
    if len(candidate) > MAX_TENANT_NAME_LENGTH:
        if CUSTOMER_PLACEHOLDER in name:
            problems.append(
                f"it has {len(candidate)} characters even with a 1-character customer name, "
                f"at most {MAX_TENANT_NAME_LENGTH} are allowed"
            )
        else:
            problems.append(
                f"it has {len(candidate)} characters, at most {MAX_TENANT_NAME_LENGTH} are allowed"
            )
    if candidate and not _NAME_CHARS.match(candidate):
        bad = sorted({ch for ch in candidate if not re.match(r"[a-z0-9-]", ch)})
        shown = " ".join(repr(ch) for ch in bad[:10])
        problems.append(
            f"it contains characters other than lowercase letters, digits and hyphens ({shown})"
        )
    if candidate.startswith("-") or candidate.endswith("-"):
        problems.append("it starts or ends with a hyphen")
    return problems


def _check_domain(domain: str) -> list[str]:
    problems: list[str] = []
    if len(domain) > MAX_DOMAIN_LENGTH:
        problems.append(f"it has {len(domain)} characters, at most {MAX_DOMAIN_LENGTH} are allowed")
    for label in domain.split("."):
        if len(label) > MAX_LABEL_LENGTH:
            problems.append(
                f"its label {label!r} has {len(label)} characters, at most "
                f"{MAX_LABEL_LENGTH} are allowed"
            )
        elif not label:
            problems.append("it contains an empty label")
    return problems


# --------------------------------------------------------------------------- names


def production_stem(prefix: str, purpose: str, region: str = "") -> str:
    """Return the stem of a production tenant's names: acme, acme-workforce, acme-eu, …"""
    if purpose == "workforce":
        return f"{prefix}-workforce"
    if purpose == "regional":
        return f"{prefix}-{region}"
    if purpose == "dedicated":
        return f"{prefix}-{CUSTOMER_PLACEHOLDER}"
    return prefix


def tenant_name(stem: str, environment: str) -> str:
    """Return the name of one environment's tenant: acme-dev, acme-eu-prod, …"""
    return f"{stem}-{environment}"


def sandbox_name(prefix: str, number: int | None = None) -> str:
    """Return the shared sandbox's name, or developer sandbox number ``number``'s."""
    return f"{prefix}-sandbox" if number is None else f"{prefix}-sandbox{number}"


def longest_tenant_name(answers: Mapping[str, object]) -> str:
    """Return the longest tenant name the prefix and these field-valid answers can produce.

    Checked before the plan is derived, so it is generous: an additional region that repeats the
    primary one still counts, no environment yet counts as the longest common one (staging), and
    an unanswered number of developer sandboxes as the most allowed.
    """
    prefix = _text(answers, "tenant_prefix")
    if not prefix:
        return ""
    stems = [prefix]
    if "employees" in _values(answers, "user_communities") and (
        _text(answers, "communities_share_apps") == "none"
    ):
        stems.append(production_stem(prefix, "workforce"))
    if _text(answers, "data_residency") == "some_customers_other_region":
        stems.extend(
            production_stem(prefix, "regional", region)
            for region in _values(answers, "additional_regions")
        )
    environments = _values(answers, "environments") or ["staging"]
    names = [tenant_name(stem, env) for stem in stems for env in environments]
    sandboxes = _text(answers, "sandboxes")
    if sandboxes == "shared":
        names.append(sandbox_name(prefix))
    elif sandboxes == "per_developer":
        count = _int(answers, "sandbox_count")
        names.append(sandbox_name(prefix, MAX_SANDBOXES if count is None else count))
    return max(names, key=len)


# --------------------------------------------------------------------------- derivation


def _dedicated_reasons(answers: Mapping[str, object], enterprise: bool) -> tuple[str, ...]:
    reasons: list[str] = []
    if _text(answers, "complex_org_hosting") == "dedicated_tenants":
        reasons.append(REASON_DEDICATED_COMPLEX)
    if _text(answers, "branded_social_consent") == "yes":
        reasons.append(REASON_DEDICATED_CONSENT)
    if _text(answers, "dedicated_tenant_contract") == "yes":
        reasons.append(REASON_DEDICATED_CONTRACT)
    login_domains = _text(answers, "customer_login_domains")
    # An unanswered operand makes the comparison false (docs/conditions.md).
    if login_domains and login_domains != "none" and not enterprise:
        reasons.append(REASON_DEDICATED_DOMAIN)
    return tuple(reasons)


def _domain_for(host: str, zone: str, environment: str) -> str:
    """`{host}.{zone}` for prod, `{host}-{env}.{zone}` otherwise."""
    label = host if environment == "prod" else f"{host}-{environment}"
    return f"{label}.{zone}"


def derive_topology(answers: Mapping[str, object]) -> Topology:
    """Derive the topology from effective answers. Never raises."""
    try:
        return _derive(answers if isinstance(answers, Mapping) else {})
    except Exception as exc:  # defensive: a plan must always render
        return Topology(
            production_tenants=(),
            tenants=(),
            facts=facts.compute({}),
            issues=(
                TopologyIssue(
                    code="topology-error",
                    message=f"The tenant topology could not be derived: {exc!r}",
                ),
            ),
        )


def _regional_tenants(
    answers: Mapping[str, object], prefix: str, primary_region: str, issues: list[TopologyIssue]
) -> list[ProductionTenant]:
    regional = []
    for region in _values(answers, "additional_regions"):
        if region == primary_region:
            issues.append(
                TopologyIssue(
                    code="region-duplicate",
                    message=(
                        f"The additional region {region!r} is the primary region; "
                        "no separate regional tenant is derived for it."
                    ),
                )
            )
            continue
        regional.append(
            ProductionTenant(
                "regional",
                production_stem(prefix, "regional", region),
                region,
                (REASON_REGIONAL.format(region=region),),
            )
        )
    return regional


def _production_tenants(
    answers: Mapping[str, object],
    prefix: str,
    issues: list[TopologyIssue],
    customers: tuple[Customer, ...] = (),
) -> list[ProductionTenant]:
    """Return the production tenants: primary, workforce, regional, dedicated (in that order)."""
    primary_region = _text(answers, "primary_region")
    production = [ProductionTenant("primary", prefix, primary_region, (REASON_PRIMARY,))]
    communities = _values(answers, "user_communities")
    if "employees" in communities and _text(answers, "communities_share_apps") == "none":
        production.append(
            ProductionTenant(
                "workforce",
                production_stem(prefix, "workforce"),
                primary_region,
                (REASON_WORKFORCE,),
            )
        )
    if _text(answers, "data_residency") == "some_customers_other_region":
        production.extend(_regional_tenants(answers, prefix, primary_region, issues))
    enterprise = facts.is_enterprise(answers)
    dedicated_reasons = _dedicated_reasons(answers, enterprise)
    listed = [c for c in customers if c.dedicated and c.slug]
    production.extend(
        ProductionTenant(
            "dedicated",
            f"{prefix}-{customer.slug}",
            customer.region,
            (REASON_LISTED,),
            customer=customer.name,
        )
        for customer in listed
    )
    # Named dedicated customers replace the version-1 placeholder group.
    if dedicated_reasons and not listed:
        production.append(
            ProductionTenant(
                "dedicated",
                production_stem(prefix, "dedicated"),
                primary_region,
                dedicated_reasons,
                per_customer=True,
            )
        )
    return production


@dataclass(frozen=True)
class _Domains:
    """The custom-domain answers: which tenants get one, and under which zone."""

    primary_domain: str
    host: str
    enabled: bool
    nonprod: bool

    @classmethod
    def read(cls, answers: Mapping[str, object]) -> _Domains:
        primary_domain = _text(answers, "primary_domain").lower().rstrip(".")
        enabled = _text(answers, "use_custom_domain") == "yes" and bool(primary_domain)
        return cls(
            primary_domain=primary_domain,
            host=_text(answers, "login_host").lower().rstrip(".") or "login",
            enabled=enabled,
            nonprod=enabled and _text(answers, "custom_domain_nonprod") == "yes",
        )

    def zone_of(self, pt: ProductionTenant) -> str:
        if pt.purpose == "primary":
            return self.primary_domain
        if pt.purpose == "regional":
            return f"{pt.region}.{self.primary_domain}"
        if pt.purpose == "workforce":
            return f"workforce.{self.primary_domain}"
        return ""  # dedicated: the customer's own domain goes there

    def with_prod_domain(self, pt: ProductionTenant) -> ProductionTenant:
        zone = self.zone_of(pt)
        return replace(pt, custom_domain=_domain_for(self.host, zone, "prod") if zone else "")

    def tenant_domain(self, pt: ProductionTenant, environment: str) -> str:
        zone = self.zone_of(pt) if self.enabled else ""
        if zone and (environment == "prod" or self.nonprod):
            return _domain_for(self.host, zone, environment)
        return ""


def _environments(answers: Mapping[str, object], issues: list[TopologyIssue]) -> list[str]:
    selected = _values(answers, "environments")
    unknown = [env for env in selected if env not in ENV_ORDER]
    if unknown:
        issues.append(
            TopologyIssue(
                code="environment-unknown",
                message="Unknown environments are ignored: " + ", ".join(map(repr, unknown)),
            )
        )
    return [env for env in ENV_ORDER if env in selected]


def _sandbox_names(
    answers: Mapping[str, object], prefix: str, issues: list[TopologyIssue]
) -> list[str]:
    sandboxes = _text(answers, "sandboxes")
    if sandboxes == "shared":
        return [sandbox_name(prefix)]
    count = _int(answers, "sandbox_count") if sandboxes == "per_developer" else None
    if count is None:
        return []
    if not 1 <= count <= MAX_SANDBOXES:
        issues.append(
            TopologyIssue(
                code="sandbox-count-invalid",
                message=(
                    f"The number of developer sandboxes must be between 1 and "
                    f"{MAX_SANDBOXES}; {count} was given."
                ),
            )
        )
        count = max(0, min(count, MAX_SANDBOXES))
    return [sandbox_name(prefix, i) for i in range(1, count + 1)]


def _tenants(
    production: list[ProductionTenant],
    environments: list[str],
    sandbox_names: list[str],
    domains: _Domains,
) -> list[Tenant]:
    tenants: list[Tenant] = []
    for pt in production:
        for env in environments:
            tenants.append(
                Tenant(
                    name=tenant_name(pt.stem, env),
                    purpose=pt.purpose,
                    environment=env,
                    environment_tag=environment_tag(env),
                    region=pt.region,
                    custom_domain=domains.tenant_domain(pt, env),
                    stem=pt.stem,
                )
            )
        if pt.purpose == "primary":
            tenants.extend(
                Tenant(
                    name=name,
                    purpose="primary",
                    environment=SANDBOX_ENVIRONMENT,
                    environment_tag=TAG_DEVELOPMENT,
                    region=pt.region,
                    custom_domain="",
                    stem=pt.stem,
                )
                for name in sandbox_names
            )
    return tenants


def _name_issues(production: list[ProductionTenant], tenants: list[Tenant]) -> list[TopologyIssue]:
    issues = []
    for tenant in tenants:
        problems = check_tenant_name(tenant.name)
        if problems:
            issues.append(
                TopologyIssue(
                    code="tenant-name-invalid",
                    message=f"The tenant name {tenant.name!r} is invalid: "
                    + "; ".join(problems)
                    + ".",
                )
            )
    checked: set[str] = set()
    for domain in [pt.custom_domain for pt in production] + [t.custom_domain for t in tenants]:
        if not domain or domain in checked:
            continue
        checked.add(domain)
        problems = _check_domain(domain)
        if problems:
            issues.append(
                TopologyIssue(
                    code="custom-domain-invalid",
                    message=f"The custom domain {domain!r} is invalid: "
                    + "; ".join(problems)
                    + ".",
                )
            )
    return issues


def shared_stem(prefix: str, region: str, production: Sequence[ProductionTenant]) -> str:
    """Return the stem of the shared tenant serving a region ("" when none serves it)."""
    for pt in production:
        if pt.purpose in ("primary", "regional") and pt.region == region:
            return pt.stem
    return ""


def _customer_domains(
    answers: Mapping[str, object],
    prefix: str,
    production: list[ProductionTenant],
    customers: tuple[Customer, ...],
) -> list[ProductionTenant]:
    """Return the production tenants with every custom domain of their prod tenant."""
    by_stem: dict[str, list[str]] = {
        pt.stem: [pt.custom_domain] if pt.custom_domain else [] for pt in production
    }
    if _text(answers, "use_custom_domain") == "yes":
        for customer in customers:
            if not customer.login_domain:
                continue
            if customer.dedicated:
                stem = f"{prefix}-{customer.slug}"
            else:
                stem = shared_stem(prefix, customer.region, production)
            if stem in by_stem and customer.login_domain not in by_stem[stem]:
                by_stem[stem].append(customer.login_domain)
    result = []
    for pt in production:
        domains = tuple(by_stem[pt.stem])
        result.append(
            replace(pt, custom_domain=domains[0] if domains else "", custom_domains=domains)
        )
    return result


def _with_domains_and_existing(
    answers: Mapping[str, object],
    production: list[ProductionTenant],
    tenants: list[Tenant],
) -> list[Tenant]:
    """Return the tenants with their custom domains and the existing production tenant marked."""
    prod_domains = {pt.stem: pt.custom_domains for pt in production}
    existing = _text(answers, "existing_prod_tenant") == "yes"
    existing_name = _text(answers, "existing_tenant_name")
    result = []
    for tenant in tenants:
        if tenant.environment == "prod":
            domains = prod_domains.get(tenant.stem, ())
        else:
            domains = (tenant.custom_domain,) if tenant.custom_domain else ()
        tenant = replace(
            tenant, custom_domain=domains[0] if domains else "", custom_domains=domains
        )
        if tenant.purpose == "primary" and tenant.environment == "prod" and existing:
            tenant = replace(tenant, name=existing_name or tenant.name, existing=True)
        result.append(tenant)
    return result


def _duplicate_issues(tenants: list[Tenant]) -> list[TopologyIssue]:
    seen: set[str] = set()
    issues = []
    for tenant in tenants:
        if tenant.name in seen:
            issues.append(
                TopologyIssue(
                    code="tenant-name-duplicate",
                    message=f"The tenant name {tenant.name!r} is derived twice: tenant names "
                    "must be unique.",
                )
            )
        seen.add(tenant.name)
    return issues


def _derive(answers: Mapping[str, object]) -> Topology:
    prefix = _text(answers, "tenant_prefix")
    if not prefix:
        return Topology(
            production_tenants=(),
            tenants=(),
            facts=facts.compute(answers),
            issues=(
                TopologyIssue(
                    code="tenant-prefix-missing",
                    message="No tenant prefix is set, so no tenant names can be derived.",
                ),
            ),
        )
    issues: list[TopologyIssue] = []
    customers = roster.read_rows(answers.get("customers"), _text(answers, "primary_region"))
    production = _production_tenants(answers, prefix, issues, customers)
    domains = _Domains.read(answers)
    if domains.enabled:
        production = [domains.with_prod_domain(pt) for pt in production]
    production = _customer_domains(answers, prefix, production, customers)
    environments = _environments(answers, issues)
    sandbox_names = _sandbox_names(answers, prefix, issues)
    tenants = _tenants(production, environments, sandbox_names, domains)
    tenants = _with_domains_and_existing(answers, production, tenants)
    issues.extend(_name_issues(production, tenants))
    issues.extend(_duplicate_issues(tenants))
    return Topology(
        production_tenants=tuple(production),
        tenants=tuple(tenants),
        facts=facts.compute(answers, production, tenants, customers),
        issues=tuple(issues),
        customers=customers,
    )
