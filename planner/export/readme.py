"""README.md of the export: what is inside, the order of work, every keyword, DNS, onboarding."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from planner.export import deploycli
from planner.export.model import TenantConfig, onboarding_entries
from planner.export.terraform import PROVIDER_VERSION

if TYPE_CHECKING:
    from planner.plans import Plan

__all__ = ["readme"]

_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    """Return text with Markdown's special characters escaped (safe in a table cell)."""
    return _MARKDOWN.sub(r"\\\1", text)


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _contents(configs: tuple[TenantConfig, ...]) -> list[str]:
    lines = ["## What is inside", "", "    README.md                          this file"]
    for config in configs:
        envs = ",".join(env.environment for env in config.environments)
        lines.append(f"    deploy-cli/{config.stem}/tenant.yaml")
        lines.append(f"    deploy-cli/{config.stem}/config-{{{envs}}}.json")
        lines.append(f"    terraform/{config.stem}/main.tf, variables.tf, {{{envs}}}.tfvars")
    lines += [
        "",
        "The same configuration twice: once for the Auth0 Deploy CLI (a0deploy), once for the",
        f"Terraform provider for Auth0 (auth0/auth0 {PROVIDER_VERSION}). Use one of them per "
        "tenant, not both.",
        "",
    ]
    return lines


def _tenants(configs: tuple[TenantConfig, ...]) -> list[str]:
    rows = []
    for config in configs:
        for env in config.environments:
            existing = " (exists already)" if env.existing else ""
            rows.append(
                (
                    md(config.stem),
                    env.environment,
                    md(env.tenant) + existing,
                    env.region or "not chosen",
                    md(env.auth0_domain),
                    md(", ".join(env.custom_domains)) or "none",
                )
            )
    header = ("stem", "environment", "tenant", "region", "Auth0 domain", "custom domains")
    return ["## Tenants", "", *_table(header, rows), ""]


ORDER_OF_WORK = """## Order of work

1. **Create the tenants** listed above in the Auth0 Dashboard, each in its region: tenants
   cannot be created through the Management API, so these files configure tenants that exist.
   A tenant's Auth0 domain is `{tenant}.{region}.auth0.com` (US tenants created before June
   2020: `{tenant}.auth0.com`); check it under Settings.
2. **Create a deploy client in each tenant**: a Machine to Machine application authorized for
   the Auth0 Management API, with the read, create and update scopes of the resource types the
   files manage (tenant settings, clients, connections, organizations, custom domains,
   prompts). Give the pipeline its domain, client ID and client secret as `AUTH0_DOMAIN`,
   `AUTH0_CLIENT_ID` and `AUTH0_CLIENT_SECRET` (a secret store, never a file).
3. **Fill in the values** the plan does not hold (the keywords below): in
   `deploy-cli/<stem>/config-<env>.json` or `terraform/<stem>/<env>.tfvars`. Set every
   secret as an environment variable of the pipeline: for the Deploy CLI under the keyword's
   name (a0deploy adds environment variables to its keyword mappings), for Terraform as
   `TF_VAR_<variable>`. No secret value is written in these files.
4. **Apply**, environment by environment, lowest first:
   - Deploy CLI: `cd deploy-cli/<stem> && a0deploy import -c config-<env>.json -i tenant.yaml`
     (`AUTH0_ALLOW_DELETE` is false: nothing already in the tenant is deleted;
     `AUTH0_INCLUDED_ONLY` names exactly the resource types the file manages).
   - Terraform: `cd terraform/<stem> && terraform init && terraform workspace select
     -or-create <env> && terraform apply -var-file=<env>.tfvars` (one state per environment).
5. **Create the DNS records** of the "DNS records" chapter: Auth0 shows each record's value
   once the custom domain is added (Dashboard > Branding > Custom Domains, or the Terraform
   output `custom_domain_verification`).
6. **Verify the custom domains** (Dashboard: Verify; Terraform: an
   `auth0_custom_domain_verification` resource per domain) once the records resolve.
"""


def _keywords(config: TenantConfig) -> list[str]:
    rows = []
    for kw in config.keywords:
        marker = deploycli.json_keyword(kw.name) if kw.kind == "list" else f"##{kw.name}##"
        where = (
            "environment variable (secret)"
            if kw.secret
            else ("from the plan" if kw.name in ("ENV", "CUSTOM_DOMAINS") else "fill in")
        )
        rows.append((f"`{marker}`", f"`{kw.variable}`", where, md(kw.meaning)))
    header = ("Deploy CLI keyword", "Terraform variable", "value", "what it is")
    return [f"### {md(config.stem)}", "", *_table(header, rows), ""]


def _dns(plan: Plan, configs: tuple[TenantConfig, ...]) -> list[str]:
    tenants = {env.tenant for config in configs for env in config.environments}
    rows = [
        (
            md(r.domain),
            md(r.tenant),
            r.record or "see certificate",
            r.certificate or "not chosen",
            "the customer" if r.zone_owner == "customer" else "you",
        )
        for r in plan.dns_records
        if r.tenant in tenants
    ]
    lines = ["## DNS records", ""]
    if not rows:
        return lines + ["No custom domains: users sign in on the Auth0 domains.", ""]
    header = ("domain", "tenant", "record", "certificate", "zone owner")
    notes = [
        "",
        "CNAME (Auth0-managed certificates): from the domain to the target Auth0 shows. TXT",
        "(self-managed certificates): the verification record Auth0 shows, and your reverse proxy",
        "forwarding to the Auth0 edge. A customer's login domain is created by the customer.",
        "",
    ]
    return lines + _table(header, rows) + notes


def _onboarding(plan: Plan) -> list[str]:
    lines = ["## Created at onboarding", ""]
    placeholder = [pt for pt in plan.topology.production_tenants if pt.per_customer]
    entries = onboarding_entries(plan)
    if not placeholder and not entries:
        if not plan.customers:
            return lines + [
                "The plan lists no customers by name (no customer roster): each customer's",
                "Organization and connections are created when it is onboarded.",
                "",
            ]
        return lines + ["Nothing: every customer of the roster is configured in these files.", ""]
    lines.append("Not written as resources: created when each customer is onboarded.")
    lines.append("")
    for pt in placeholder:
        lines.append(
            f"- Tenants `{md(pt.stem)}-<env>`: one set per customer that needs its own tenant, "
            "configured like the files of the primary tenant."
        )
    for entry in entries:
        connections = ", ".join(f"{c.name} ({c.strategy})" for c in entry.connections)
        organization = f"Organization `{md(entry.organization)}`, " if entry.organization else ""
        repeat = f"repeated for each of its {entry.count:,} customers" if entry.archetype else ""
        lines.append(
            f"- {md(entry.name)} (tenant {md(entry.tenant)}): {organization}connections "
            f"{md(connections)}{'; ' + repeat if repeat else ''}."
        )
    return lines + [""]


def _blueprint_notes(plan: Plan) -> list[str]:
    """Return what the blueprint asks for named customers that these files do not configure."""
    notes = []
    for entry in plan.customers:
        if entry.archetype or "{customer}" in entry.tenant:
            continue
        scope = (
            f"members of Organization {md(entry.organization)}"
            if entry.organization
            else f"every user of tenant {md(entry.tenant)}"
        )
        if entry.mfa == "required":
            notes.append(f"- {md(entry.name)}: MFA required, by a post-login Action for {scope}.")
        enterprise = [c.name for c in entry.connections if c.kind == "enterprise"]
        if entry.scim and enterprise:
            notes.append(
                f"- {md(entry.name)}: inbound SCIM provisioning on connection "
                f"{md(enterprise[0])} (the connection's Provisioning settings)."
            )
    return notes


def _not_exported(plan: Plan) -> list[str]:
    sandboxes = [t.name for t in plan.topology.tenants if t.environment == "sandbox"]
    notes = _blueprint_notes(plan)
    lines = []
    if sandboxes or notes:
        lines += ["## Not in these files", ""]
    if sandboxes:
        lines += ["Sandboxes, not exported: " + md(", ".join(sandboxes)) + ".", ""]
    if notes:
        lines += ["Set up by hand, as the plan's customer blueprint says:", "", *notes, ""]
    if plan.conflicts:
        lines += ["## Open design conflicts", "", "Resolve them before applying:", ""]
        lines += [f"- {md(r.title)}" for r in plan.conflicts]
        lines.append("")
    return lines


def readme(plan: Plan, configs: tuple[TenantConfig, ...]) -> bytes:
    """Return README.md for the export of ``plan``."""
    lines = [
        f"# {md(plan.company or plan.name)}: Auth0 configuration starter files",
        "",
        f"Generated from the architecture plan “{md(plan.name)}” (plan fingerprint "
        f"{plan.fingerprint[:12]}). Starter files: review them before applying.",
        "",
    ]
    lines += _contents(configs)
    lines += _tenants(configs)
    lines += ORDER_OF_WORK.splitlines() + [""]
    lines += ["## Keywords and variables", ""]
    lines += [
        "Each `##NAME##` keyword of a tenant.yaml is a variable of the same name in lowercase in",
        "Terraform. Values marked *fill in* are empty in the files until you set them.",
        "",
    ]
    for config in configs:
        lines += _keywords(config)
    lines += _dns(plan, configs)
    lines += _onboarding(plan)
    lines += _not_exported(plan)
    return ("\n".join(lines).rstrip("\n") + "\n").encode()
