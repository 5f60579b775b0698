"""The Auth0 Deploy CLI (a0deploy) files of one tenant stem: tenant.yaml and config-{env}.json.

One shared ``tenant.yaml`` per stem and one ``config-{env}.json`` per environment, the layout the
Deploy CLI documents for several environments (docs/keyword-replacement.md of
github.com/auth0/auth0-deploy-cli). Values that differ by environment are keywords: ``##NAME##``
is replaced as text, ``'@@NAME@@'`` by the JSON of the value. Secrets are keywords whose values are
never written: a0deploy adds the process's environment variables to the keyword mappings (its
``--env`` option, on by default: src/commands/import.ts), so the pipeline sets them as variables
of the same name. Database connections go under ``databases``: the ``connections`` handler skips
strategy ``auth0`` (src/tools/auth0/handlers/connections.ts).

YAML is written here, not by a library: every string single-quoted, keys in a fixed order, so the
same configuration gives the same bytes.
"""

from __future__ import annotations

import json

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

__all__ = ["config_json", "tenant_yaml"]

# A YAML or JSON value as the writers build it.
Value = str | bool | int | list["Value"] | dict[str, "Value"]


def _scalar(value: str | bool | int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def _yaml(value: Value, indent: int) -> list[str]:
    """Return the block lines of a mapping or a list (scalars are written by their parent)."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(_yaml(item, indent + 2))
            else:
                lines.append(f"{pad}{key}: {_inline(item)}")
        return lines
    assert isinstance(value, list)
    for item in value:
        if isinstance(item, dict) and item:
            block = _yaml(item, indent + 2)
            lines.append(f"{pad}- {block[0].lstrip()}")
            lines.extend(block[1:])
        else:
            lines.append(f"{pad}- {_inline(item)}")
    return lines


def _inline(value: Value) -> str:
    if isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    return _scalar(value)


def keyword(name: str) -> str:
    """Return the text marker of a keyword: replaced by its value as text."""
    return f"##{name}##"


def json_keyword(name: str) -> str:
    """Return the JSON marker of a keyword: replaced by the JSON of its value (a list)."""
    return f"@@{name}@@"


def _connection(connection: ExportConnection, app_name: str) -> dict[str, Value]:
    options: dict[str, Value] = {s.api_option: keyword(s.keyword.name) for s in connection.settings}
    options.update(dict(connection.fixed_options))
    if connection.domain_aliases:
        options["domain_aliases"] = list(connection.domain_aliases)
    item: dict[str, Value] = {"name": connection.name, "strategy": connection.strategy}
    if options:
        item["options"] = options
    item["enabled_clients"] = [app_name]
    return item


def _organization(organization: ExportOrganization) -> dict[str, Value]:
    return {
        "name": organization.name,
        "display_name": organization.display_name,
        "connections": [
            {"name": name, "assign_membership_on_login": membership}
            for name, membership in organization.connections
        ],
    }


def _client(config: TenantConfig) -> dict[str, Value]:
    client: dict[str, Value] = {
        "name": config.app_name,
        "app_type": "regular_web",
        "callbacks": json_keyword(APP_CALLBACKS.name),
        "allowed_logout_urls": json_keyword(APP_LOGOUT_URLS.name),
    }
    if config.organization_usage:
        client["organization_usage"] = config.organization_usage
    return client


def resources(config: TenantConfig) -> dict[str, Value]:
    """Return the tenant.yaml document: resource type -> configuration, in a fixed order."""
    document: dict[str, Value] = {
        "tenant": {
            "friendly_name": f"{config.company} ({keyword(ENV.name)})",
            "support_email": keyword(SUPPORT_EMAIL.name),
        }
    }
    if config.has_custom_domains:
        document["customDomains"] = json_keyword(CUSTOM_DOMAINS.name)
    document["clients"] = [_client(config)]
    if config.databases:
        document["databases"] = [_connection(c, config.app_name) for c in config.databases]
    if config.other_connections:
        document["connections"] = [
            _connection(c, config.app_name) for c in config.other_connections
        ]
    if config.organizations:
        document["organizations"] = [_organization(o) for o in config.organizations]
    if config.identifier_first:
        document["prompts"] = {"identifier_first": True}
    return document


def tenant_yaml(config: TenantConfig) -> bytes:
    """Return the stem's tenant.yaml."""
    names = ", ".join(env.tenant for env in config.environments)
    header = [
        f"# Auth0 Deploy CLI (a0deploy) configuration for the tenants of {config.stem}: {names}.",
        "# The tenants must exist already; a0deploy configures them. Apply one environment with",
        f"#   cd deploy-cli/{config.stem} && a0deploy import -c config-<env>.json -i tenant.yaml",
        "# Values between ## or @@ markers are keywords, set per environment in config-<env>.json:",
        "# secret keywords are environment variables of the same name (see README.md).",
    ]
    body = _yaml(resources(config), 0)
    return ("\n".join(header + body) + "\n").encode()


def _custom_domains(config: TenantConfig, env: EnvironmentConfig) -> list[Value]:
    return [
        {"domain": domain, "type": config.certificate_type, "tls_policy": "recommended"}
        for domain in env.custom_domains
    ]


def mappings(config: TenantConfig, env: EnvironmentConfig) -> dict[str, Value]:
    """Return the keyword values of one environment; secrets left out, unknowns empty."""
    values: dict[str, Value] = {}
    for kw in config.keywords:
        if kw.secret:
            continue
        if kw is ENV:
            values[kw.name] = env.environment
        elif kw is CUSTOM_DOMAINS:
            values[kw.name] = _custom_domains(config, env)
        else:
            values[kw.name] = [] if kw.kind == "list" else ""
    return values


def included_only(config: TenantConfig) -> list[str]:
    """Return the resource types the file manages, in the order tenant.yaml lists them."""
    return list(resources(config))


def config_json(config: TenantConfig, env: EnvironmentConfig) -> bytes:
    """Return config-{env}.json: what a0deploy manages and the keyword values of ``env``."""
    document = {
        "AUTH0_ALLOW_DELETE": False,
        "AUTH0_INCLUDED_ONLY": included_only(config),
        "AUTH0_KEYWORD_REPLACE_MAPPINGS": mappings(config, env),
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
