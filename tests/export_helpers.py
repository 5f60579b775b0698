"""Helpers of the export tests: example plans, keyword replacement as a0deploy does it, HCL.

Plain functions, no fixtures, so that the benchmark can use them too.
"""

import gzip
import json
import re
from functools import cache

import hcl2

from planner import catalog, export, rules
from planner.plans import Plan, build_plan_from_answers
from tests.helpers import DATA, load_data

SCHEMA_FILE = DATA / "deploy-cli-8.44.0-schema.json.gz"
# Sample values given to the secret keywords, as a pipeline would set them: they must never be
# found in an exported file.
SECRET_SAMPLE = "s3cr3t-sample-{name}"


def example_answers() -> dict[str, dict]:
    """Return every example project's answers (both files), keys the catalog knows only."""
    examples = {**load_data("examples.json"), **load_data("examples_v2.json")}
    return {
        key: {k: v for k, v in example["answers"].items() if k in catalog.QUESTIONS}
        for key, example in examples.items()
    }


EXAMPLE_KEYS = sorted(example_answers())


@cache
def default_ruleset() -> rules.CompiledRuleset:
    return rules.CompiledRuleset.from_file()


def plan_for(answers: dict, name: str = "Example") -> Plan:
    return build_plan_from_answers(answers, name=name, ruleset=default_ruleset())


@cache
def example_plan(key: str) -> Plan:
    return plan_for(example_answers()[key], name=key)


@cache
def example_files(key: str) -> dict[str, bytes]:
    return export.config_files(example_plan(key))


@cache
def deploy_cli_schema() -> dict:
    return json.loads(gzip.decompress(SCHEMA_FILE.read_bytes()))


def stems(files: dict[str, bytes]) -> list[str]:
    return sorted({path.split("/")[1] for path in files if path.startswith("deploy-cli/")})


def environments(files: dict[str, bytes], stem: str) -> list[str]:
    pattern = re.compile(rf"^deploy-cli/{re.escape(stem)}/config-(.+)\.json$")
    return [m.group(1) for path in files if (m := pattern.match(path))]


def replace_keywords(text: str, mappings: dict) -> str:
    """Return text with keywords replaced as a0deploy does (src/tools/utils.ts keywordReplace).

    ``@@KEY@@``, quoted or not, becomes the JSON of the value; then ``##KEY##`` the value as text.
    """
    for key, value in mappings.items():
        pattern = f"'@@{key}@@'|\"@@{key}@@\"|@@{key}@@"
        text = re.sub(pattern, lambda _m, v=value: json.dumps(v), text)
    for key, value in mappings.items():
        text = text.replace(f"##{key}##", str(value))
    return text


def secret_keywords(files: dict[str, bytes], stem: str) -> list[str]:
    """Return the names of the stem's sensitive Terraform variables, as keywords."""
    variables = hcl(files[f"terraform/{stem}/variables.tf"])
    return [
        name.upper()
        for block in variables.get("variable", [])
        for name, body in ((unquote(k), v) for k, v in block.items())
        if body.get("sensitive") is True
    ]


def deploy_mappings(files: dict[str, bytes], stem: str, env: str) -> dict:
    """Return the keyword values a0deploy uses: the config file's, plus secrets from the env."""
    config = json.loads(files[f"deploy-cli/{stem}/config-{env}.json"])
    mappings = dict(config["AUTH0_KEYWORD_REPLACE_MAPPINGS"])
    sample = {"SUPPORT_EMAIL": "support@example.com", "APP_CALLBACKS": ["https://a.example/cb"]}
    for key, value in sample.items():
        if key in mappings and not mappings[key]:
            mappings[key] = value
    for name in secret_keywords(files, stem):
        mappings[name] = SECRET_SAMPLE.format(name=name)
    return mappings


def unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def hcl(content: bytes) -> dict:
    """Return a .tf or .tfvars file parsed as HCL2 (python-hcl2's dict form)."""
    return hcl2.loads(content.decode())


def resources(parsed: dict) -> list[tuple[str, str, dict]]:
    """Return (type, name, body) of every resource block, labels unquoted."""
    found = []
    for block in parsed.get("resource", []):
        for rtype, named in block.items():
            for name, body in named.items():
                found.append((unquote(rtype), unquote(name), body))
    return found


def arguments(body: dict) -> set[str]:
    return {key for key in body if not key.startswith("__")}
