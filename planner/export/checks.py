"""Why a plan cannot be exported: its own errors, and names Auth0 or the Deploy CLI would reject.

Every message is one sentence saying what is wrong, where, and how to fix it. Limits, from the
Management API's reference:
- connection names: "Must start and end with an alphanumeric character and can only contain
  alphanumeric characters and '-'. Max length 128"
  (https://auth0.github.io/node-auth0/interfaces/management.Management.CreateConnectionRequestContent.html);
- Organization names: lowercase letters, digits, "_" and "-", 1 to 50 characters
  (https://auth0.com/docs/organizations/configure/create-organizations);
- application names may not contain "<" or ">" (the Deploy CLI schema's ``[^<>]+``).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from planner import catalog
from planner.export.model import TenantConfig
from planner.export.terraform import label

if TYPE_CHECKING:
    from planner.plans import Plan

__all__ = ["ExportRefused", "config_errors", "plan_errors"]

MAX_CONNECTION_NAME = 128
MAX_ORGANIZATION_NAME = 50
CONNECTION_NAME = re.compile(r"^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$")
ORGANIZATION_NAME = re.compile(r"^[a-z0-9_-]+$")
# The Deploy CLI replaces ##NAME## and @@NAME@@ anywhere in tenant.yaml: a name holding either
# marker would be rewritten on deploy.
KEYWORD_MARKERS = ("##", "@@")
# Warnings that are notes, not errors: optional questions left open.
NOT_ERRORS = frozenset({"open"})


class ExportRefused(Exception):
    """The plan cannot be exported; ``errors`` says why, one clear sentence each."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s) stop the export: " + " ".join(errors))
        self.errors = list(errors)


def plan_errors(plan: Plan) -> list[str]:
    """Return the plan's own errors: every warning but the notes about open questions."""
    errors = [w.message for w in plan.warnings if w.code not in NOT_ERRORS]
    if not errors and not plan.topology.production_tenants:
        errors.append("The plan has no tenants yet: set the tenant prefix in the questionnaire.")
    return errors


def _connection_name_errors(name: str, where: str) -> list[str]:
    errors = []
    if len(name) > MAX_CONNECTION_NAME:
        errors.append(
            f"The connection name “{name[:40]}…” ({where}) has {len(name)} characters, Auth0 "
            f"allows at most {MAX_CONNECTION_NAME}: shorten the customer's slug in the roster."
        )
    if not CONNECTION_NAME.match(name):
        errors.append(
            f"The connection name “{name[:60]}” ({where}) is not one Auth0 accepts: use letters, "
            "digits and single hyphens, starting and ending with a letter or digit (change the "
            "customer's slug in the roster)."
        )
    return errors


def _organization_name_errors(name: str, where: str) -> list[str]:
    errors = []
    if len(name) > MAX_ORGANIZATION_NAME:
        errors.append(
            f"The Organization name “{name[:40]}…” ({where}) has {len(name)} characters, Auth0 "
            f"allows at most {MAX_ORGANIZATION_NAME}: shorten the customer's slug in the roster."
        )
    if not ORGANIZATION_NAME.match(name):
        errors.append(
            f"The Organization name “{name[:60]}” ({where}) is not one Auth0 accepts: use "
            "lowercase letters, digits, “-” and “_” only (change the customer's slug in the "
            "roster)."
        )
    return errors


def _text_errors(text: str, what: str, fix: str) -> list[str]:
    errors = []
    markers = [m for m in KEYWORD_MARKERS if m in text]
    if markers:
        errors.append(
            f"{what} “{text[:60]}” contains “{markers[0]}”, which the Auth0 Deploy CLI reads as "
            f"the start of a keyword: {fix}."
        )
    return errors


def _duplicate_errors(config: TenantConfig) -> list[str]:
    """Return an error for names that differ in the plan but meet in one file's identifiers."""
    errors = []
    seen: dict[str, str] = {}
    for kind, name in [("connection", c.name) for c in config.connections] + [
        ("Organization", o.name) for o in config.organizations
    ]:
        key = f"{kind}:{label(name)}"
        if key in seen:
            errors.append(
                f"The {kind} names “{seen[key]}” and “{name}” (tenant {config.stem}) become the "
                f"same Terraform resource name: give the customers slugs in the roster that "
                "differ by more than “-” and “_”."
            )
        seen.setdefault(key, name)
    counts = Counter(kw.name for kw in config.keywords)
    for name in sorted(k for k, count in counts.items() if count > 1):
        errors.append(
            f"Two settings of tenant {config.stem} would share the keyword {name}: rename one of "
            "the customers' slugs in the roster."
        )
    return errors


def config_errors(configs: tuple[TenantConfig, ...]) -> list[str]:
    """Return the names in the configuration that Auth0 or the Deploy CLI would reject."""
    errors: list[str] = []
    fix_company = "change the company name in the questionnaire"
    if configs:
        app = configs[0].app_name
        errors.extend(_text_errors(app, "The application name", fix_company))
        if "<" in app or ">" in app:
            errors.append(
                f"The application name “{app[:60]}” contains “<” or “>”, which Auth0 does not "
                f"allow in an application's name: {fix_company}."
            )
    for config in configs:
        where = f"tenant {config.stem}"
        errors.extend(_duplicate_errors(config))
        if config.has_custom_domains and not config.certificate_type:
            label = catalog.QUESTIONS["certificate_management"].label
            errors.append(
                f"Tenant {config.stem} has custom domains, but “{label}” is not answered, so "
                "their certificate type is unknown: answer it in the questionnaire."
            )
        for connection in config.connections:
            errors.extend(_connection_name_errors(connection.name, where))
        for organization in config.organizations:
            errors.extend(_organization_name_errors(organization.name, where))
            errors.extend(
                _text_errors(
                    organization.display_name,
                    f"The customer name of Organization {organization.name}",
                    "change the customer's name in the roster",
                )
            )
    return list(dict.fromkeys(errors))
