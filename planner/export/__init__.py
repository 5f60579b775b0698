"""The plan as configuration files: Auth0 Deploy CLI and Terraform starters (docs/config-export.md).

The public interface, used by the plan command and the web download:

- ``config_files(plan)``: path inside the zip -> content, in reading order; raises
  ``ExportRefused`` (``.errors``: one sentence each) for a plan with errors or names Auth0 would
  reject;
- ``archive_name(plan)``: ``{tenant_prefix}-auth0-config.zip``;
- ``zip_bytes(files)``: the same files always give the same bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.export import deploycli, readme, terraform
from planner.export.archive import zip_bytes
from planner.export.checks import ExportRefused, config_errors, plan_errors
from planner.export.model import tenant_configs

if TYPE_CHECKING:
    from planner.plans import Plan

__all__ = ["ExportRefused", "archive_name", "config_files", "zip_bytes"]


def archive_name(plan: Plan) -> str:
    """Return the download's file name: ``{tenant_prefix}-auth0-config.zip``."""
    return f"{plan.filename_stem}-auth0-config.zip"


def config_files(plan: Plan) -> dict[str, bytes]:
    """Return every file of the export, README first, then each stem's Deploy CLI and Terraform."""
    errors = plan_errors(plan)
    if errors:
        raise ExportRefused(errors)
    configs = tenant_configs(plan)
    errors = config_errors(configs)
    if errors:
        raise ExportRefused(errors)
    files = {"README.md": readme.readme(plan, configs)}
    for config in configs:
        base = f"deploy-cli/{config.stem}"
        files[f"{base}/tenant.yaml"] = deploycli.tenant_yaml(config)
        for env in config.environments:
            files[f"{base}/config-{env.environment}.json"] = deploycli.config_json(config, env)
    for config in configs:
        base = f"terraform/{config.stem}"
        files[f"{base}/main.tf"] = terraform.main_tf(config)
        files[f"{base}/variables.tf"] = terraform.variables_tf(config)
        for env in config.environments:
            files[f"{base}/{env.environment}.tfvars"] = terraform.tfvars(config, env)
    return files
