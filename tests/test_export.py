"""planner.export: every example plan as Deploy CLI and Terraform files that the tools accept."""

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import replace

import jsonschema
import pytest
import yaml

from planner import export
from planner.blueprint import Connection
from planner.export.model import tenant_configs
from tests.export_helpers import (
    EXAMPLE_KEYS,
    SECRET_SAMPLE,
    arguments,
    deploy_cli_schema,
    deploy_mappings,
    environments,
    example_answers,
    example_files,
    example_plan,
    hcl,
    plan_for,
    replace_keywords,
    resources,
    secret_keywords,
    stems,
    unquote,
)
from tests.helpers import ROOT

# The resource types and arguments the export may write, from the provider's documentation
# (github.com/auth0/terraform-provider-auth0, docs/resources/<type>.md, tag v1.55.0), for:
PROVIDER_VERSION = "~> 1.55"
META_ARGUMENTS = {"for_each", "depends_on", "lifecycle", "provider"}
ALLOWED = {
    "auth0_tenant": {"friendly_name", "support_email", "support_url", "enabled_locales", "flags"},
    "auth0_custom_domain": {"domain", "type", "tls_policy", "custom_client_ip_header"},
    "auth0_client": {
        "name",
        "app_type",
        "callbacks",
        "allowed_logout_urls",
        "web_origins",
        "organization_usage",
        "organization_require_behavior",
    },
    "auth0_connection": {"name", "strategy", "display_name", "options", "realms", "metadata"},
    "auth0_connection_clients": {"connection_id", "enabled_clients"},
    "auth0_organization": {"name", "display_name", "branding", "metadata"},
    "auth0_organization_connections": {"organization_id", "enabled_connections"},
    "auth0_prompt": {"identifier_first", "universal_login_experience"},
}
# Nested blocks: auth0_connection.options (a subset of the documented options) and
# auth0_organization_connections.enabled_connections.
ALLOWED_OPTIONS = {
    "adfs_server",
    "client_id",
    "client_secret",
    "discovery_url",
    "domain",
    "domain_aliases",
    "ping_federate_base_url",
    "sign_in_endpoint",
    "signing_cert",
    "tenant_domain",
    "type",
}
ALLOWED_ENABLED_CONNECTIONS = {"connection_id", "assign_membership_on_login", "show_as_button"}
ENTERPRISE = {"waad", "okta", "google-apps", "adfs", "pingfederate", "samlp", "oidc"}


def tenant_yaml(files, stem, env):
    """Return the stem's tenant.yaml for ``env``, keywords replaced, as a0deploy reads it."""
    text = files[f"deploy-cli/{stem}/tenant.yaml"].decode()
    return yaml.safe_load(replace_keywords(text, deploy_mappings(files, stem, env)))


def every_stem_and_env(files):
    return [(stem, env) for stem in stems(files) for env in environments(files, stem)]


# --------------------------------------------------------------------------- Deploy CLI


@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_tenant_yaml_validates_against_the_deploy_cli_schema(key):
    files = example_files(key)
    validator = jsonschema.Draft7Validator(deploy_cli_schema())
    checked = 0
    for stem, env in every_stem_and_env(files):
        document = tenant_yaml(files, stem, env)
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]
        assert errors == [], f"{stem} ({env})"
        checked += 1
    assert checked == sum(len(example_plan(key).topology.tenants_of(pt)) for pt in _stems(key))


def _stems(key):
    return [pt for pt in example_plan(key).topology.production_tenants if not pt.per_customer]


@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_every_keyword_has_a_value_in_every_environment(key):
    files = example_files(key)
    for stem, env in every_stem_and_env(files):
        text = files[f"deploy-cli/{stem}/tenant.yaml"].decode()
        replaced = replace_keywords(text, deploy_mappings(files, stem, env))
        assert not re.findall(r"##[A-Z0-9_]+##|@@[A-Z0-9_]+@@", replaced), f"{stem} ({env})"


@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_included_only_names_exactly_the_resource_types_of_the_file(key):
    files = example_files(key)
    for stem, env in every_stem_and_env(files):
        config = json.loads(files[f"deploy-cli/{stem}/config-{env}.json"])
        assert config["AUTH0_ALLOW_DELETE"] is False
        assert set(config["AUTH0_INCLUDED_ONLY"]) == set(tenant_yaml(files, stem, env))
        assert not {"AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"} & set(config)


@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_organization_connections_are_defined_in_the_same_file(key):
    files = example_files(key)
    for stem, env in every_stem_and_env(files):
        document = tenant_yaml(files, stem, env)
        defined = {
            c["name"] for c in document.get("connections", []) + document.get("databases", [])
        }
        for organization in document.get("organizations", []):
            named = {c["name"] for c in organization["connections"]}
            assert named and named <= defined, organization["name"]


@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_every_connection_is_enabled_on_the_application(key):
    files = example_files(key)
    for stem, env in every_stem_and_env(files):
        document = tenant_yaml(files, stem, env)
        [app] = document["clients"]
        for connection in document.get("connections", []) + document.get("databases", []):
            assert connection["enabled_clients"] == [app["name"]], connection["name"]


def test_database_connections_are_under_databases():
    # a0deploy's connections handler skips strategy auth0: those belong under databases.
    files = example_files("p8-hr-suite-mixed-roster")
    document = tenant_yaml(files, "peoplegrid", "prod")
    assert {c["strategy"] for c in document["databases"]} == {"auth0"}
    assert "auth0" not in {c["strategy"] for c in document["connections"]}


def test_roster_blueprint_in_tenant_yaml():
    files = example_files("p8-hr-suite-mixed-roster")
    document = tenant_yaml(files, "peoplegrid", "prod")
    plan = example_plan("p8-hr-suite-mixed-roster")
    named = [e for e in plan.customers if e.tenant == "peoplegrid" and not e.archetype]
    assert [o["name"] for o in document["organizations"]] == [e.organization for e in named]
    assert [o["display_name"] for o in document["organizations"]] == [e.name for e in named]
    contoso = next(c for c in document["connections"] if c["name"] == "contoso-entra-id")
    assert contoso["strategy"] == "waad"
    assert contoso["options"]["domain_aliases"] == ["contoso.com"]
    assert document["prompts"] == {"identifier_first": True}
    assert document["tenant"]["friendly_name"] == "Peoplegrid (prod)"
    assert [d["domain"] for d in document["customDomains"]] == [
        "login.peoplegrid.com",
        "login.contoso.com",
    ]
    assert {d["type"] for d in document["customDomains"]} == {"auth0_managed_certs"}
    assert tenant_yaml(files, "peoplegrid", "dev")["customDomains"] == []


def test_organization_usage_follows_the_communities():
    p8 = tenant_yaml(example_files("p8-hr-suite-mixed-roster"), "peoplegrid", "prod")
    assert p8["clients"][0]["organization_usage"] == "require"
    p7 = example_files("p7-twelve-banks-dedicated")
    dedicated = tenant_yaml(p7, "ledgerline-first-harbor", "prod")
    assert "organization_usage" not in dedicated["clients"][0]
    assert "organizations" not in dedicated
    assert dedicated["connections"][0]["name"] == "first-harbor-entra-id"
    p6 = example_files("p6-customers-partners-employees")
    assert "organization_usage" not in tenant_yaml(p6, "acme-workforce", "prod")["clients"][0]
    answers = {
        **example_answers()["p8-hr-suite-mixed-roster"],
        "user_communities": ["b2b_customers", "consumers"],
        "communities_share_apps": "some",
    }
    [primary, *_] = tenant_configs(plan_for(answers))
    assert primary.organization_usage == "allow"


def test_archetype_rows_and_the_placeholder_group_are_not_resources():
    files = example_files("p8-hr-suite-mixed-roster")
    assert "{customer}" not in "".join(
        content.decode() for path, content in files.items() if path != "README.md"
    )
    assert "Mid-market customers" in files["README.md"].decode()
    answers = {**example_answers()["p1-five-enterprise-customers"]}
    answers["dedicated_tenant_contract"] = "yes"
    plan = plan_for(answers)
    assert any(pt.per_customer for pt in plan.topology.production_tenants)
    files = export.config_files(plan)
    assert stems(files) == ["hoopla"]
    assert "hoopla-{customer}" in files["README.md"].decode()


# --------------------------------------------------------------------------- Terraform


def _tf_files(files):
    return {path: content for path, content in files.items() if path.startswith("terraform/")}


@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_terraform_files_parse_and_use_only_documented_arguments(key):
    files = example_files(key)
    assert _tf_files(files)
    for path, content in _tf_files(files).items():
        parsed = hcl(content)  # raises on anything that is not HCL2
        for rtype, name, body in resources(parsed):
            assert rtype in ALLOWED, f"{path}: {rtype}"
            unknown = arguments(body) - ALLOWED[rtype] - META_ARGUMENTS
            assert not unknown, f"{path}: {rtype}.{name} {unknown}"
            for options in body.get("options", []):
                assert arguments(options) <= ALLOWED_OPTIONS, f"{path}: {name}"
            for enabled in body.get("enabled_connections", []):
                assert arguments(enabled) <= ALLOWED_ENABLED_CONNECTIONS, f"{path}: {name}"
        if path.endswith("main.tf"):
            [terraform] = parsed["terraform"]
            [providers] = terraform["required_providers"]
            assert unquote(providers["auth0"]["version"]) == PROVIDER_VERSION


@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_every_variable_used_is_declared_and_set(key):
    files = example_files(key)
    for stem in stems(files):
        main = files[f"terraform/{stem}/main.tf"].decode()
        used = set(re.findall(r"\bvar\.([a-z0-9_]+)", main))
        variables = hcl(files[f"terraform/{stem}/variables.tf"])
        declared = {unquote(k): v for block in variables["variable"] for k, v in block.items()}
        assert used == set(declared), stem
        secrets = {name for name, body in declared.items() if body.get("sensitive") is True}
        for env in environments(files, stem):
            values = set(arguments(hcl(files[f"terraform/{stem}/{env}.tfvars"])))
            assert values == set(declared) - secrets, f"{stem} ({env})"


@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_terraform_enables_connections_with_connection_clients(key):
    files = example_files(key)
    for stem in stems(files):
        found = resources(hcl(files[f"terraform/{stem}/main.tf"]))
        connections = {name: body for rtype, name, body in found if rtype == "auth0_connection"}
        enabled = {
            unquote(body["connection_id"]): body["enabled_clients"]
            for rtype, _, body in found
            if rtype == "auth0_connection_clients"
        }
        assert enabled == {
            f"${{auth0_connection.{name}.id}}": ["${auth0_client.app.id}"] for name in connections
        }
        assert all("enabled_clients" not in body for body in connections.values())
        types = {rtype for rtype, _, _ in found}
        assert "auth0_organization_connection" not in types  # never mixed with the plural
        for _, _, body in found:
            for enabled_connection in body.get("enabled_connections", []):
                reference = enabled_connection["connection_id"]
                assert re.fullmatch(r"\$\{auth0_connection\.(\w+)\.id\}", reference)
                assert reference[len("${auth0_connection.") : -len(".id}")] in connections


def test_terraform_holds_the_same_configuration_as_tenant_yaml():
    files = example_files("p7-twelve-banks-dedicated")
    for stem in stems(files):
        document = tenant_yaml(files, stem, "prod")
        found = resources(hcl(files[f"terraform/{stem}/main.tf"]))
        yaml_connections = {
            (c["name"], c["strategy"])
            for c in document.get("connections", []) + document.get("databases", [])
        }
        tf_connections = {
            (unquote(body["name"]), unquote(body["strategy"]))
            for rtype, _, body in found
            if rtype == "auth0_connection"
        }
        assert tf_connections == yaml_connections, stem
        tf_orgs = [unquote(b["name"]) for t, _, b in found if t == "auth0_organization"]
        assert tf_orgs == [o["name"] for o in document.get("organizations", [])]


# --------------------------------------------------------------------------- secrets


@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_secrets_are_never_written(key):
    files = example_files(key)
    everything = b"\n".join(files.values()).decode()
    for stem in stems(files):
        secrets = secret_keywords(files, stem)
        yaml_text = files[f"deploy-cli/{stem}/tenant.yaml"].decode()
        # Every client secret in tenant.yaml is a keyword, and every such keyword is sensitive.
        for value in re.findall(r"client_secret: (.*)", yaml_text):
            assert re.fullmatch(r"'##([A-Z0-9_]+)##'", value)
            assert value.strip("'#") in secrets
        for env in environments(files, stem):
            mappings = json.loads(files[f"deploy-cli/{stem}/config-{env}.json"])
            assert not set(secrets) & set(mappings["AUTH0_KEYWORD_REPLACE_MAPPINGS"])
        for name in secrets:
            assert SECRET_SAMPLE.format(name=name) not in everything
            assert f"##{name}##" in yaml_text


def test_secret_connections_have_sensitive_variables():
    files = example_files("p8-hr-suite-mixed-roster")
    secrets = secret_keywords(files, "peoplegrid")
    assert secrets == [
        "CONTOSO_ENTRA_ID_CLIENT_SECRET",
        "NORTHWIND_GOOGLE_WORKSPACE_CLIENT_SECRET",
        "GOOGLE_OAUTH2_CLIENT_SECRET",
    ]
    main = files["terraform/peoplegrid/main.tf"].decode()
    assert "client_secret  = var.contoso_entra_id_client_secret" in main


# --------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_two_exports_of_one_plan_are_byte_identical(key):
    first = export.config_files(plan_for(example_answers()[key], name=key))
    second = export.config_files(plan_for(example_answers()[key], name=key))
    assert first == second
    assert list(first) == list(second)
    assert export.zip_bytes(first) == export.zip_bytes(dict(reversed(second.items())))


def test_zip_is_sorted_with_fixed_times_and_holds_every_file():
    files = example_files("p8-hr-suite-mixed-roster")
    archive = zipfile.ZipFile(io.BytesIO(export.zip_bytes(files)))
    names = archive.namelist()
    assert names == sorted(files)
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert {name: archive.read(name) for name in names} == files


def test_files_come_in_reading_order():
    files = example_files("p8-hr-suite-mixed-roster")
    paths = list(files)
    assert paths[0] == "README.md"
    assert paths[1:5] == [
        "deploy-cli/peoplegrid/tenant.yaml",
        "deploy-cli/peoplegrid/config-dev.json",
        "deploy-cli/peoplegrid/config-staging.json",
        "deploy-cli/peoplegrid/config-prod.json",
    ]
    assert paths.index("terraform/peoplegrid/main.tf") > paths.index(
        "deploy-cli/peoplegrid-eu/tenant.yaml"
    )


def test_archive_name_uses_the_tenant_prefix():
    assert export.archive_name(example_plan("p8-hr-suite-mixed-roster")) == (
        "peoplegrid-auth0-config.zip"
    )


# --------------------------------------------------------------------------- README


@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_readme_explains_every_keyword_and_dns_record(key):
    files = example_files(key)
    readme = files["README.md"].decode()
    for stem in stems(files):
        text = files[f"deploy-cli/{stem}/tenant.yaml"].decode()
        for keyword in set(re.findall(r"(##[A-Z0-9_]+##|@@[A-Z0-9_]+@@)", text)):
            assert f"`{keyword}`" in readme, keyword
    for record in example_plan(key).dns_records:
        assert f"| {record.domain} | {record.tenant} | {record.record} |" in readme


def test_readme_gives_the_order_of_work():
    readme = example_files("p8-hr-suite-mixed-roster")["README.md"].decode()
    steps = [
        "Create the tenants",
        "Create a deploy client",
        "Machine to Machine",
        "Apply",
        "Create the DNS records",
        "Verify the custom domains",
    ]
    positions = [readme.index(step) for step in steps]
    assert positions == sorted(positions)


# --------------------------------------------------------------------------- refusals


def test_a_plan_with_errors_is_refused_with_its_errors():
    answers = {**example_answers()["p8-hr-suite-mixed-roster"]}
    del answers["primary_region"]
    plan = plan_for(answers)
    with pytest.raises(export.ExportRefused) as refused:
        export.config_files(plan)
    expected = [w.message for w in plan.warnings if w.code != "open"]
    assert expected and refused.value.errors == expected


def _with_customer(plan, **changes):
    entry = next(e for e in plan.customers if e.organization == "contoso")
    changed = replace(entry, **changes)
    return replace(plan, customers=tuple(changed if e is entry else e for e in plan.customers))


def test_names_auth0_would_reject_are_refused_each_named():
    plan = example_plan("p8-hr-suite-mixed-roster")
    long_connection = "c" * 120 + "-entra-id"
    plan = _with_customer(
        plan,
        organization="o" * 51,
        connections=(Connection(long_connection, "waad", "enterprise", True),),
    )
    with pytest.raises(export.ExportRefused) as refused:
        export.config_files(plan)
    errors = refused.value.errors
    assert len(errors) == 2
    assert "129 characters" in errors[0] and "at most 128" in errors[0]
    assert "51 characters" in errors[1] and "at most 50" in errors[1]


def test_names_with_characters_auth0_rejects_are_refused():
    plan = _with_customer(example_plan("p8-hr-suite-mixed-roster"), organization="Contoso Bank")
    with pytest.raises(export.ExportRefused) as refused:
        export.config_files(plan)
    [error] = refused.value.errors
    assert "“Contoso Bank”" in error and "lowercase letters" in error


def test_keyword_markers_in_names_are_refused():
    answers = {
        **example_answers()["p8-hr-suite-mixed-roster"],
        "company_name": "Peoplegrid ##ENV##",
    }
    with pytest.raises(export.ExportRefused) as refused:
        export.config_files(plan_for(answers))
    assert any("“##”" in error and "company name" in error for error in refused.value.errors)


def test_organization_names_that_meet_in_terraform_are_refused():
    plan = example_plan("p8-hr-suite-mixed-roster")
    first, second = [e for e in plan.customers if e.organization in ("contoso", "northwind")]
    customers = tuple(
        replace(e, organization="contoso-bank")
        if e is first
        else replace(e, organization="contoso_bank")
        if e is second
        else e
        for e in plan.customers
    )
    with pytest.raises(export.ExportRefused) as refused:
        export.config_files(replace(plan, customers=customers))
    [error] = refused.value.errors
    assert "“contoso-bank” and “contoso_bank”" in error


# --------------------------------------------------------------------------- variations


def test_quotes_and_template_markers_in_names_are_written_safely():
    company = 'O\'Brien "Q" ${x} %{y} \\ b'
    answers = {**example_answers()["p8-hr-suite-mixed-roster"], "company_name": company}
    files = export.config_files(plan_for(answers))
    document = tenant_yaml(files, "peoplegrid", "prod")
    assert document["tenant"]["friendly_name"] == f"{company} (prod)"
    assert document["clients"][0]["name"] == f"{company} app"
    main = files["terraform/peoplegrid/main.tf"].decode()
    hcl(files["terraform/peoplegrid/main.tf"])  # still parses
    assert 'name                = "O\'Brien \\"Q\\" $${x} %%{y} \\\\ b app"' in main
    assert "${var.env}" in main  # the one interpolation is the environment's


def test_self_managed_certificates():
    answers = {
        **example_answers()["p8-hr-suite-mixed-roster"],
        "certificate_management": "self_managed_proxy",
    }
    files = export.config_files(plan_for(answers))
    domains = tenant_yaml(files, "peoplegrid", "prod")["customDomains"]
    assert {d["type"] for d in domains} == {"self_managed_certs"}
    assert 'type       = "self_managed_certs"' in files["terraform/peoplegrid/main.tf"].decode()
    assert "| login.peoplegrid.com | peoplegrid-prod | TXT |" in files["README.md"].decode()


def test_an_existing_production_tenant_keeps_its_name():
    answers = {
        **example_answers()["p8-hr-suite-mixed-roster"],
        "existing_prod_tenant": "yes",
        "existing_tenant_name": "pg-legacy",
    }
    files = export.config_files(plan_for(answers))
    readme = files["README.md"].decode()
    assert "| peoplegrid | prod | pg-legacy (exists already) | us | pg-legacy.us.auth0.com |" in (
        readme
    )
    assert "deploy-cli/peoplegrid/config-prod.json" in files
    assert "for the tenants of peoplegrid: peoplegrid-dev, peoplegrid-staging, pg-legacy." in (
        files["terraform/peoplegrid/main.tf"].decode()
    )


def test_the_same_bytes_in_another_process(tmp_path):
    # A different hash seed changes the order of sets and dicts built from them, if any.
    script = (
        "import os, sys, hashlib; sys.path.insert(0, '.');"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'planner.settings.test';"
        "import django; django.setup();"
        "from planner import export; from tests.export_helpers import example_plan;"
        "files = export.config_files(example_plan('p7-twelve-banks-dedicated'));"
        "print(hashlib.sha256(export.zip_bytes(files)).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert output.returncode == 0, output.stderr
    here = export.zip_bytes(example_files("p7-twelve-banks-dedicated"))
    assert output.stdout.strip() == hashlib.sha256(here).hexdigest()


def test_readme_lists_what_the_files_leave_to_be_done_by_hand():
    readme = example_files("p7-twelve-banks-dedicated")["README.md"].decode()
    plan = example_plan("p7-twelve-banks-dedicated")
    required = [e for e in plan.customers if e.mfa == "required" and not e.archetype]
    assert required
    for entry in required:
        assert f"- {entry.name}: MFA required, by a post-login Action" in readme
    assert "- First Harbor Bank: inbound SCIM provisioning on connection first-harbor-entra-id" in (
        readme
    )
    assert "Granite State Savings: inbound SCIM" not in readme  # its scim is no


def test_readme_onboarding_without_a_roster():
    readme = example_files("p6-customers-partners-employees")["README.md"].decode()
    onboarding = readme.split("## Created at onboarding", 1)[1]
    assert "no customer roster" in onboarding
    assert "every customer of the roster is configured" not in readme


def test_custom_domains_without_a_certificate_answer_are_refused():
    plan = example_plan("p8-hr-suite-mixed-roster")
    answers = {k: v for k, v in plan.answers.items() if k != "certificate_management"}
    with pytest.raises(export.ExportRefused) as refused:
        export.config_files(replace(plan, answers=answers))
    errors = refused.value.errors
    assert len(errors) == 2  # the two stems with custom domains
    assert "Tenant peoplegrid has custom domains" in errors[0]
    assert "“Who manages the TLS certificates of the custom domains?”" in errors[0]
