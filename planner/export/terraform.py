"""The Terraform files of one tenant stem: main.tf, variables.tf and one {env}.tfvars each.

For the Auth0 provider ``auth0/auth0 ~> 1.55`` (argument names from its docs/resources pages).
The same configuration as the stem's tenant.yaml; per-environment values and secrets are
variables (secrets ``sensitive = true``, never in a .tfvars file). Connections are enabled on the
application with ``auth0_connection_clients`` (``enabled_clients`` on ``auth0_connection`` was
removed in v1.0.0), and each Organization's connections with one
``auth0_organization_connections`` (never mixed with ``auth0_organization_connection``).

HCL is written here in ``terraform fmt`` style: two-space indent, one argument per line, the
``=`` of consecutive arguments aligned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from planner.export.model import (
    APP_CALLBACKS,
    APP_LOGOUT_URLS,
    CUSTOM_DOMAINS,
    ENV,
    SUPPORT_EMAIL,
    EnvironmentConfig,
    ExportConnection,
    ExportOrganization,
    TenantConfig,
)

__all__ = ["PROVIDER_VERSION", "main_tf", "tfvars", "variables_tf"]

PROVIDER_VERSION = "~> 1.55"


@dataclass
class Block:
    header: str  # resource "auth0_client" "app"
    # (name, expression) arguments and nested blocks, in order
    items: list[tuple[str, str] | Block] = field(default_factory=list)

    def set(self, name: str, expression: str) -> Block:
        self.items.append((name, expression))
        return self


def string(text: str) -> str:
    """Return an HCL string literal of ``text`` (interpolation markers escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("${", "$${").replace("%{", "%%{") + '"'


def strings(items: Iterable[str]) -> str:
    return "[" + ", ".join(string(item) for item in items) + "]"


def _render(block: Block, indent: int = 0) -> list[str]:
    pad = " " * indent
    if not block.items:
        return [f"{pad}{block.header} {{}}"]
    lines = [f"{pad}{block.header} {{"]
    run: list[tuple[str, str]] = []

    def flush() -> None:
        width = max((len(name) for name, _ in run), default=0)
        lines.extend(f"{pad}  {name.ljust(width)} = {expr}" for name, expr in run)
        run.clear()

    for item in block.items:
        if isinstance(item, tuple):
            run.append(item)
            continue
        flush()
        if lines[-1] != f"{pad}{block.header} {{":
            lines.append("")  # a blank line before a nested block, as terraform fmt keeps
        lines.extend(_render(item, indent + 2))
    flush()
    lines.append(f"{pad}}}")
    return lines


def render(blocks: list[Block | str]) -> bytes:
    """Return top-level blocks (and comment lines, given as strings) separated by blank lines."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            out.append(block)
            continue
        out.extend(_render(block))
        out.append("")
    return ("\n".join(out).rstrip("\n") + "\n").encode()


_NOT_LABEL = re.compile(r"[^a-zA-Z0-9_]+")


def label(name: str) -> str:
    """Return a resource label for a name: contoso-entra-id -> contoso_entra_id."""
    text = _NOT_LABEL.sub("_", name).strip("_")
    return text if text and not text[0].isdigit() else f"r_{text}"


def var(name: str) -> str:
    return f"var.{name}"


# --------------------------------------------------------------------------- main.tf


def _header(config: TenantConfig) -> list[Block | str]:
    names = ", ".join(env.tenant for env in config.environments)
    return [
        f"# Terraform configuration for the tenants of {config.stem}: {names}.",
        "# The tenants must exist already. Apply one environment with its own state, e.g.",
        "#   terraform workspace select -or-create prod",
        "#   terraform apply -var-file=prod.tfvars",
        "# with AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET and the TF_VAR_ secrets set",
        "# (see README.md).",
        _terraform_block(),
        "# Reads AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET from the environment.",
        Block('provider "auth0"'),
    ]


def _terraform_block() -> Block:
    block = Block("terraform").set("required_version", string(">= 1.5"))
    block.items.append(_required_providers())
    return block


def _required_providers() -> Block:
    auth0 = Block("auth0 =")
    auth0.set("source", string("auth0/auth0")).set("version", string(PROVIDER_VERSION))
    return Block("required_providers", [auth0])


def _tenant(config: TenantConfig) -> Block:
    friendly = string(f"{config.company} (")[:-1] + "${" + var(ENV.variable) + '})"'
    return (
        Block('resource "auth0_tenant" "this"')
        .set("friendly_name", friendly)
        .set("support_email", var(SUPPORT_EMAIL.variable))
    )


def _custom_domains(config: TenantConfig) -> list[Block | str]:
    if not config.has_custom_domains:
        return []
    domain = (
        Block('resource "auth0_custom_domain" "this"')
        .set("for_each", f"toset({var(CUSTOM_DOMAINS.variable)})")
        .set("domain", "each.value")
        .set("type", string(config.certificate_type))
        .set("tls_policy", string("recommended"))
    )
    output = Block('output "custom_domain_verification"').set(
        "value", "{ for name, domain in auth0_custom_domain.this : name => domain.verification }"
    )
    return [
        domain,
        "# The DNS records to create for each custom domain (README.md, step 5).",
        output,
    ]


def _client(config: TenantConfig) -> Block:
    client = (
        Block('resource "auth0_client" "app"')
        .set("name", string(config.app_name))
        .set("app_type", string("regular_web"))
        .set("callbacks", var(APP_CALLBACKS.variable))
        .set("allowed_logout_urls", var(APP_LOGOUT_URLS.variable))
    )
    if config.organization_usage:
        client.set("organization_usage", string(config.organization_usage))
    return client


def _connection(connection: ExportConnection) -> list[Block | str]:
    resource = label(connection.name)
    block = (
        Block(f'resource "auth0_connection" "{resource}"')
        .set("name", string(connection.name))
        .set("strategy", string(connection.strategy))
    )
    options = Block("options")
    for setting in connection.settings:
        options.set(setting.tf_option, var(setting.keyword.variable))
    for option, value in connection.fixed_options:
        options.set(option, string(value))
    if connection.domain_aliases:
        options.set("domain_aliases", strings(connection.domain_aliases))
    if options.items:
        block.items.append(options)
    clients = (
        Block(f'resource "auth0_connection_clients" "{resource}"')
        .set("connection_id", f"auth0_connection.{resource}.id")
        .set("enabled_clients", "[auth0_client.app.id]")
    )
    return [block, clients]


def _organization(organization: ExportOrganization) -> list[Block | str]:
    resource = label(organization.name)
    block = (
        Block(f'resource "auth0_organization" "{resource}"')
        .set("name", string(organization.name))
        .set("display_name", string(organization.display_name))
    )
    connections = Block(f'resource "auth0_organization_connections" "{resource}"').set(
        "organization_id", f"auth0_organization.{resource}.id"
    )
    for name, membership in organization.connections:
        connections.items.append(
            Block("enabled_connections")
            .set("connection_id", f"auth0_connection.{label(name)}.id")
            .set("assign_membership_on_login", "true" if membership else "false")
        )
    return [block, connections]


def main_tf(config: TenantConfig) -> bytes:
    """Return the stem's main.tf."""
    blocks: list[Block | str] = _header(config)
    blocks.append(_tenant(config))
    blocks.extend(_custom_domains(config))
    blocks.append(_client(config))
    for connection in config.connections:
        blocks.extend(_connection(connection))
    for organization in config.organizations:
        blocks.extend(_organization(organization))
    if config.identifier_first:
        blocks.append(Block('resource "auth0_prompt" "this"').set("identifier_first", "true"))
    return render(blocks)


# --------------------------------------------------------------------------- variables


def variables_tf(config: TenantConfig) -> bytes:
    """Return the stem's variables.tf: one variable per keyword, secrets marked sensitive."""
    blocks: list[Block | str] = [
        f"# Variables of the tenants of {config.stem}: values per environment in <env>.tfvars,",
        "# secrets (sensitive) as TF_VAR_<name> environment variables, never in a file.",
    ]
    for kw in config.keywords:
        kind = "list(string)" if kw.kind == "list" else "string"
        block = (
            Block(f'variable "{kw.variable}"')
            .set("type", kind)
            .set("description", string(kw.meaning))
        )
        if kw.secret:
            block.set("sensitive", "true")
        blocks.append(block)
    return render(blocks)


def tfvars(config: TenantConfig, env: EnvironmentConfig) -> bytes:
    """Return {env}.tfvars: the plan's values for ``env``, "" or [] where the team fills in."""
    lines = [
        f"# Values for {env.tenant} ({env.environment}). Fill in the empty ones; secrets are",
        "# not here: set them as TF_VAR_<name> environment variables in the pipeline:",
    ]
    secrets = [kw.variable for kw in config.keywords if kw.secret]
    lines.append("#   " + (", ".join(f"TF_VAR_{name}" for name in secrets) or "(none)"))
    values: list[tuple[str, str]] = []
    for kw in config.keywords:
        if kw.secret:
            continue
        if kw is ENV:
            values.append((kw.variable, string(env.environment)))
        elif kw is CUSTOM_DOMAINS:
            values.append((kw.variable, strings(env.custom_domains)))
        else:
            values.append((kw.variable, "[]" if kw.kind == "list" else string("")))
    width = max(len(name) for name, _ in values)
    lines.extend(f"{name.ljust(width)} = {expr}" for name, expr in values)
    return ("\n".join(lines) + "\n").encode()
