"""Decision records: each key architecture decision with its context, options, choice and result.

``decision_records(answers)`` builds them from the read answers and their topology; the plan
page and the PDF display them. Built from the answers alone: no rule keys, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner import catalog
from planner.answers import Answers
from planner.topology import PURPOSE_LABELS, Topology

__all__ = ["DecisionOption", "DecisionRecord", "decision_records"]

# The Auth0 pages each record cites (checked against the current Auth0 docs).
DOC_ENVIRONMENTS = (
    "Set Up Multiple Environments",
    "https://auth0.com/docs/get-started/auth0-overview/create-tenants/set-up-multiple-environments",
)
DOC_ORGANIZATIONS = ("Auth0 Organizations", "https://auth0.com/docs/manage-users/organizations")
DOC_CUSTOM_DOMAINS = ("Custom Domains", "https://auth0.com/docs/customize/custom-domains")
DOC_TERRAFORM = (
    "Auth0 Terraform Provider",
    "https://auth0.com/docs/deploy-monitor/auth0-terraform-provider",
)
DOC_DEPLOY_CLI = (
    "Incorporate the Deploy CLI into your build environment",
    "https://auth0.com/docs/deploy/deploy-cli-tool/incorporate-deploy-cli-into-build-environment",
)
DOC_B2B_ARCHITECTURE = (
    "Architecture (B2B)",
    "https://auth0.com/docs/get-started/architecture-scenarios/business-to-business/architecture",
)

OPEN = "Not decided yet"


@dataclass(frozen=True)
class DecisionOption:
    label: str
    chosen: bool


@dataclass(frozen=True)
class DecisionRecord:
    key: str  # stable: production-tenants, organizations, login-domain, environments, …
    title: str
    decided: bool
    context: str
    options: tuple[DecisionOption, ...]
    chosen: str
    names: tuple[str, ...]  # tenant and domain names the decision makes (shown unbroken)
    why: tuple[str, ...]  # sentences drawn from the answers
    consequences: tuple[str, ...]
    references: tuple[tuple[str, str], ...]  # (title, url)


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _text(answers: Answers, key: str) -> str:
    value = answers.get(key)
    return value if isinstance(value, str) else ""


def _selected(answers: Answers, key: str) -> list[str]:
    value = answers.get(key)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _because(answers: Answers, key: str) -> str:
    """Return "<question label>: <answer>." for an answered question, else ""."""
    if key not in answers:
        return ""
    return f"{catalog.QUESTIONS[key].label} {answers.label(key)}."


def _choice_options(key: str, chosen: list[str]) -> tuple[DecisionOption, ...]:
    return tuple(
        DecisionOption(choice.label, choice.value in chosen)
        for choice in catalog.QUESTIONS[key].choices
    )


def _sentences(*parts: str) -> tuple[str, ...]:
    return tuple(p for p in parts if p)


# --------------------------------------------------------------------------- records

PRODUCTION_OPTIONS = {
    "primary": "One primary tenant for the applications and business customers",
    "workforce": "A separate workforce tenant for employees",
    "regional": "Regional tenants where data must reside in another region",
    "dedicated": "Dedicated tenants for customers that need their own",
}


def _production_record(topology: Topology) -> DecisionRecord:
    pts = topology.production_tenants
    purposes = {pt.purpose for pt in pts}
    consequences = []
    if pts:
        consequences.append(
            f"{_plural(len(pts), 'production tenant')} to configure, monitor and keep in step; "
            f"with the environments, {_plural(len(topology.tenants), 'tenant')} in all."
        )
    if len(pts) > 1:
        consequences.append(
            "Users, applications and sessions do not cross tenants: single sign-on between "
            "them needs one tenant set up as an identity provider of the other."
        )
    described = [PURPOSE_LABELS.get(pt.purpose, pt.purpose).lower() for pt in pts]
    return DecisionRecord(
        key="production-tenants",
        title="Production tenants",
        decided=bool(pts),
        context=(
            "A tenant is an isolated set of users, applications, connections and settings. "
            "Every production tenant is one more to run, so each one beyond the first needs a "
            "reason: a user community of its own, data residency or a customer's contract."
        ),
        options=tuple(
            DecisionOption(label, k in purposes) for k, label in PRODUCTION_OPTIONS.items()
        ),
        chosen=f"{_plural(len(pts), 'production tenant')} ({_join(described)}), named:"
        if pts
        else f"{OPEN}: set the tenant prefix first.",
        names=tuple(pt.stem for pt in pts),
        why=tuple(
            f"{PURPOSE_LABELS.get(pt.purpose, pt.purpose)}: {' '.join(pt.reasons)}" for pt in pts
        ),
        consequences=tuple(consequences),
        references=(DOC_ENVIRONMENTS, DOC_B2B_ARCHITECTURE),
    )


def _organizations_record(answers: Answers, organizations: bool) -> DecisionRecord:
    decided = bool(_selected(answers, "user_communities"))
    use = "Auth0 Organizations, one per business customer, in the primary tenant"
    skip = "No Organizations: users sign in as individuals"
    if organizations:
        consequences: tuple[str, ...] = (
            "Each business customer gets its own members, connections, branding and roles.",
            "Applications sign users in to an Organization (the login experience is set to "
            "business users, or both), and customers can be onboarded through the "
            "Organizations API.",
            "Whether Organizations is available depends on the Auth0 plan: check it against "
            "the subscription.",
        )
    elif decided:
        consequences = (
            "Adding business customers later means adding Organizations and moving their "
            "users into them.",
        )
    else:
        consequences = ()
    chosen = (use if organizations else skip) if decided else OPEN
    return DecisionRecord(
        key="organizations",
        title="Organizations",
        decided=decided,
        context=(
            "Business customers can be modelled as Auth0 Organizations in a shared tenant, each "
            "with its own members, connections and branding, or not at all when users sign in "
            "as individuals."
        ),
        options=(
            DecisionOption(use, decided and organizations),
            DecisionOption(skip, decided and not organizations),
        ),
        chosen=chosen + ".",
        names=(),
        why=_sentences(
            _because(answers, "user_communities"),
            _because(answers, "org_count") if organizations else "",
        ),
        consequences=consequences,
        references=(DOC_ORGANIZATIONS,),
    )


def _domain_record(answers: Answers, topology: Topology) -> DecisionRecord:
    choice = _text(answers, "use_custom_domain")
    default = "The Auth0 domain of each tenant"
    custom = "A custom domain of your own"
    domains = [pt.custom_domain for pt in topology.production_tenants if pt.custom_domain]
    if choice == "yes":
        chosen = custom + (", in production:" if domains else "")
        consequences: tuple[str, ...] = (
            "Each custom domain needs a DNS CNAME record, verification in the Dashboard and a "
            "certificate, managed by Auth0 or by you.",
            "Applications sign in and request tokens on the custom domain, not the tenant's "
            "Auth0 domain, so that sessions and cookies stay on one host.",
        )
    elif choice == "no":
        chosen = default
        consequences = (
            "Users see an auth0.com address while signing in; Auth0 strongly recommends "
            "custom domains for production.",
            "Moving to a custom domain later changes the address applications sign in on.",
        )
    else:
        chosen = OPEN
        consequences = ()
    return DecisionRecord(
        key="login-domain",
        title="Login domain",
        decided=choice in ("yes", "no"),
        context=(
            "Users sign in either on the tenant's own Auth0 domain or on a custom domain of "
            "yours (such as login.example.com) that masks it and keeps your brand."
        ),
        options=(DecisionOption(default, choice == "no"), DecisionOption(custom, choice == "yes")),
        chosen=chosen if chosen.endswith(":") else chosen + ".",
        names=tuple(domains) if choice == "yes" else (),
        why=_sentences(
            _because(answers, "use_custom_domain"),
            _because(answers, "domain_strategy"),
            _because(answers, "custom_domain_nonprod"),
        ),
        consequences=consequences,
        references=(DOC_CUSTOM_DOMAINS, DOC_ENVIRONMENTS),
    )


def _environments_record(answers: Answers, topology: Topology) -> DecisionRecord:
    selected = _selected(answers, "environments")
    names = [c.value for c in catalog.QUESTIONS["environments"].choices if c.value in selected]
    sandboxes = [t.name for t in topology.tenants if t.environment == "sandbox"]
    consequences = []
    if names:
        consequences.append(
            f"Each production tenant gets {_plural(len(names), 'environment tenant')} "
            f"({_join(names)}); {_plural(len(topology.tenants), 'tenant')} in all."
        )
        consequences.append(
            "Production rate limits apply only to tenants tagged Production: tag each tenant "
            "with its environment before going live."
        )
    if sandboxes:
        consequences.append(
            f"{_plural(len(sandboxes), 'sandbox tenant', 'sandbox tenants')} for developers, "
            "to be created and removed as people join and leave."
        )
    if topology.facts.get("enterprise") and names:
        consequences.append(
            "With an Enterprise subscription the other environments can be linked to it as "
            "child tenants and get the same paid features as production."
        )
    return DecisionRecord(
        key="environments",
        title="Environments",
        decided=bool(names),
        context=(
            "Auth0 isolates environments by giving each its own tenant; every environment "
            "chosen is multiplied by the number of production tenants."
        ),
        options=_choice_options("environments", names),
        chosen=(
            _join(names)
            + (f", plus {_plural(len(sandboxes), 'sandbox', 'sandboxes')}" if sandboxes else "")
            if names
            else OPEN
        )
        + ".",
        names=(),
        why=_sentences(_because(answers, "environments"), _because(answers, "sandboxes")),
        consequences=tuple(consequences),
        references=(DOC_ENVIRONMENTS,),
    )


CONFIGURATION_CONSEQUENCES = {
    "manual": "Every change is made by hand in each tenant; environments drift apart unless "
    "each change is written down and repeated.",
    "deploy_cli": "One repository of configuration files for all environments, with keyword "
    "replacement for what differs between tenants.",
    "terraform": "Tenant configuration lives in Terraform state next to the rest of your "
    "infrastructure; resources made by hand must be imported first.",
    "custom_scripts": "Your own scripts call the Management API; you maintain them as Auth0 "
    "adds and changes settings.",
}


def _configuration_record(answers: Answers) -> DecisionRecord:
    choice = _text(answers, "config_management")
    pipeline = _text(answers, "cicd_pipeline")
    consequences = (
        [CONFIGURATION_CONSEQUENCES[choice]] if choice in CONFIGURATION_CONSEQUENCES else []
    )
    if choice and choice != "manual" and pipeline == "no":
        consequences.append(
            "Without a CI/CD pipeline the tool is run by hand: decide who runs it, and where."
        )
    elif choice and choice != "manual" and pipeline == "yes":
        consequences.append("Changes reach production through the pipeline, tested on the way.")
    chosen = answers.label("config_management") if choice else OPEN
    return DecisionRecord(
        key="configuration",
        title="Configuration management",
        decided=bool(choice),
        context=(
            "With several tenants the same configuration has to reach each of them; it can be "
            "kept by hand in the Dashboard or as code applied by a tool."
        ),
        options=_choice_options("config_management", [choice]),
        chosen=chosen + ".",
        names=(),
        why=_sentences(_because(answers, "config_management"), _because(answers, "cicd_pipeline")),
        consequences=tuple(consequences),
        references=(DOC_DEPLOY_CLI, DOC_TERRAFORM),
    )


def _dedicated_record(answers: Answers, topology: Topology) -> DecisionRecord | None:
    """Return the record of dedicated customer tenants, or None when nothing points to them."""
    dedicated = [pt for pt in topology.production_tenants if pt.purpose == "dedicated"]
    if not dedicated and "dedicated_tenant_contract" not in answers:
        return None
    shared = "Every customer in the shared tenant"
    own = "A dedicated tenant for each customer that needs one"
    if dedicated:
        consequences: tuple[str, ...] = (
            "Each such customer gets its own tenants, named after the pattern below with the "
            "customer's name, in every environment, with its own administrators, logs and "
            "configuration.",
            "Onboarding such a customer means creating and configuring tenants, not only an "
            "Organization: automate it with the configuration tool.",
        )
    else:
        consequences = ("Customers are separated inside the shared tenant only.",)
    return DecisionRecord(
        key="dedicated-tenants",
        title="Dedicated tenants",
        decided=True,
        context=(
            "Most customers share a tenant; a customer gets a tenant of its own only when "
            "isolation inside a shared tenant is not enough."
        ),
        options=(DecisionOption(shared, not dedicated), DecisionOption(own, bool(dedicated))),
        chosen=f"{own}, named after the pattern:" if dedicated else f"{shared}.",
        names=tuple(pt.stem for pt in dedicated),
        why=tuple(dedicated[0].reasons)
        if dedicated
        else _sentences(_because(answers, "dedicated_tenant_contract")),
        consequences=consequences,
        references=(DOC_B2B_ARCHITECTURE,),
    )


def decision_records(answers: Answers, organizations: bool) -> tuple[DecisionRecord, ...]:
    """Return the plan's decision records, in the order a reader meets them."""
    topology = answers.topology
    records = [
        _production_record(topology),
        _organizations_record(answers, organizations),
        _domain_record(answers, topology),
        _environments_record(answers, topology),
        _configuration_record(answers),
    ]
    dedicated = _dedicated_record(answers, topology)
    if dedicated is not None:
        records.append(dedicated)
    return tuple(records)
