"""The reference in docs/ stays true: generated page fresh, plan schema met, commands listed."""

import copy
import importlib.util
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, get_commands, load_command_class
from django.urls import reverse
from jsonschema import Draft202012Validator

from planner.catalog import QUESTIONS, SECTIONS
from planner.conditions import NameInfo
from planner.conditions import compile as compile_condition
from planner.models import PRIORITY_CHOICES, SECTION_CHOICES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DATA = Path(__file__).parent / "data"
EXAMPLES = json.loads((DATA / "examples.json").read_text(encoding="utf-8"))
SCHEMA = json.loads((DOCS / "plan.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)


def _load_build_docs():
    spec = importlib.util.spec_from_file_location("build_docs", ROOT / "scripts" / "build_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_docs = _load_build_docs()


@pytest.fixture
def default_rules(db):
    call_command("load_rules", verbosity=0)


def plan_json_for(tmp_path, answers) -> dict:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    out = io.StringIO()
    call_command("plan", "--answers", str(path), stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def schema_errors(document) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
        for e in VALIDATOR.iter_errors(document)
    ]


# --------------------------------------------------------------------------- questionnaire.md


def test_questionnaire_doc_is_fresh():
    committed = (DOCS / "questionnaire.md").read_text(encoding="utf-8")
    assert committed == build_docs.render(), (
        "docs/questionnaire.md is stale: run `make docs` and commit it."
    )


def test_questionnaire_doc_names_every_key_and_value():
    text = (DOCS / "questionnaire.md").read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f"(`{section.key}`)" in text
        for question in section.questions:
            assert f"### `{question.key}`" in text
            for choice in question.choices:
                assert f"| `{choice.value}` |" in text


def test_build_docs_check_fails_on_stale_file_and_write_fixes_it(tmp_path, capsys):
    target = tmp_path / "questionnaire.md"
    target.write_text("stale\n", encoding="utf-8")
    assert build_docs.main(["--check", "--output", str(target)]) == 1
    assert "stale" in capsys.readouterr().err
    assert build_docs.main(["--output", str(target)]) == 0
    assert build_docs.main(["--check", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == build_docs.render()


def test_table_cells_escape_pipes_and_newlines():
    assert build_docs._cell("a | b\nc") == "a \\| b c"


# --------------------------------------------------------------------------- plan.schema.json


def test_plan_schema_is_valid_draft_2020_12():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_every_example_plan_matches_the_schema(default_rules, tmp_path, key):
    document = plan_json_for(tmp_path, EXAMPLES[key]["answers"])
    assert schema_errors(document) == []
    assert document["recommendations"], "an example plan with no recommendation proves little"


def _committed_plan_documents():
    """Every JSON file under tests/data that is itself a plan (e.g. golden plan files)."""
    for path in sorted(DATA.rglob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if (
            isinstance(document, dict)
            and document.get("schema") == SCHEMA["properties"]["schema"]["const"]
        ):
            yield path


@pytest.mark.parametrize("path", list(_committed_plan_documents()), ids=lambda p: p.name)
def test_committed_plan_files_match_the_schema(path):
    assert schema_errors(json.loads(path.read_text(encoding="utf-8"))) == []


def test_unfinished_project_download_matches_the_schema(owner_client, project, default_rules):
    """A project with no answers yet: empty region, no tenants, warnings."""
    response = owner_client.get(reverse("plan_json", args=[project.code]))
    assert response.status_code == 200
    document = response.json()
    assert document["tenants"] == [] and document["warnings"]
    assert schema_errors(document) == []


def test_partial_project_download_matches_the_schema(owner_client, project, default_rules):
    project.answers = {"tenant_prefix": "acme", "company_name": "Acme"}
    project.save()
    document = owner_client.get(reverse("plan_json", args=[project.code])).json()
    assert document["production_tenants"][0]["region"] == ""
    assert schema_errors(document) == []


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d.update(schema="planner.plan/1"), "schema"),
        (lambda d: d["recommendations"][0].update(priority="conflict"), "recommendations/0"),
        (lambda d: d["tenants"][0].pop("existing"), "'existing' is a required property"),
        (lambda d: d["usage"]["tenants_by_tag"].pop("staging"), "usage/tenants_by_tag"),
        (lambda d: d.pop("facts"), "'facts' is a required property"),
        (lambda d: d.update(surprise=1), "surprise"),
        (lambda d: d["recommendations"][0].update(priority="urgent"), "recommendations/0/priority"),
        (lambda d: d["tenants"][0].update(environment_tag="prod"), "tenants/0/environment_tag"),
        (lambda d: d["tenants"][0].update(custom_domain=""), "tenants/0/custom_domain"),
        (lambda d: d["facts"].update(tenant_count=-1), "facts/tenant_count"),
        (lambda d: d["answers"].update(nowhere={"x": "y"}), "answers"),
        (lambda d: d.update(fingerprint="abc"), "fingerprint"),
    ],
)
def test_schema_rejects_a_broken_plan(default_rules, tmp_path, change, fragment):
    answers = EXAMPLES["p1-five-enterprise-customers"]["answers"]
    document = copy.deepcopy(plan_json_for(tmp_path, answers))
    change(document)
    errors = schema_errors(document)
    assert errors and any(fragment in error for error in errors), errors


def test_schema_enums_follow_the_code():
    defs = SCHEMA["$defs"]
    assert defs["question_section"]["enum"] == [s.key for s in SECTIONS]
    assert defs["rule_section"]["enum"] == [key for key, _ in SECTION_CHOICES]
    assert [""] + [c.value for c in QUESTIONS["primary_region"].choices] == defs["region"]["enum"]
    recommendation = SCHEMA["properties"]["recommendations"]["items"]["properties"]
    conflict = SCHEMA["properties"]["conflicts"]["items"]["properties"]
    assert [conflict["priority"]["const"], *recommendation["priority"]["enum"]] == [
        key for key, _ in PRIORITY_CHOICES
    ]


# --------------------------------------------------------------------------- command-line.md


def _planner_commands() -> list[str]:
    return sorted(name for name, app in get_commands().items() if app == "planner")


def test_command_line_doc_lists_every_command_and_option():
    text = (DOCS / "command-line.md").read_text(encoding="utf-8")
    commands = _planner_commands()
    assert {"plan", "load_rules"} <= set(commands)
    missing = []
    for name in commands:
        if f"## `{name}`" not in text:
            missing.append(f"section ## `{name}`")
            continue
        body = text.split(f"## `{name}`", 1)[1].split("\n## ", 1)[0]
        parser = load_command_class("planner", name).create_parser("manage.py", name)
        for action in parser._actions:
            if action.dest in {"help", "version", "verbosity", "settings", "pythonpath"}:
                continue
            if action.dest in {"traceback", "no_color", "force_color", "skip_checks"}:
                continue
            if action.option_strings:
                shown = action.option_strings[-1]
            else:  # a positional argument, written in capitals in the usage line
                shown = action.metavar or action.dest.upper()
            if shown not in body:
                missing.append(f"{name} {shown}")
    assert missing == [], f"document these in docs/command-line.md: {missing}"


# --------------------------------------------------------------------------- conditions.md


def _doc_conditions(kind: str) -> list[str]:
    """The conditions in the ```<kind> blocks of docs/conditions.md, one per line."""
    text = (DOCS / "conditions.md").read_text(encoding="utf-8")
    blocks = re.findall(rf"```{kind}\n(.*?)```", text, flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def _rule_file(tmp_path, condition: str) -> str:
    rule = {
        "key": "doc-example",
        "section": "context",
        "priority": "consider",
        "position": 1,
        "title": "A documented example",
        "condition": condition,
        "recommendation": "Example.",
        "rationale": "Example.",
        "references": [],
        "enabled": True,
    }
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"schema": "planner.rules/1", "rules": [rule]}), encoding="utf-8")
    return str(path)


def test_documented_valid_conditions_are_accepted(db, tmp_path):
    valid = _doc_conditions("condition")
    assert len(valid) >= 10
    for condition in valid:
        out = io.StringIO()
        call_command("import_rules", _rule_file(tmp_path, condition), "--dry-run", stdout=out)
        assert "1 created" in out.getvalue(), condition


def _doc_messages() -> list[str]:
    """The numbered message excerpts right after the ```invalid-condition block."""
    text = (DOCS / "conditions.md").read_text(encoding="utf-8")
    after = text.split("```invalid-condition\n", 1)[1].split("```", 1)[1]
    items = re.findall(r"^\d+\. (`+) ?(.*?) ?\1$", after.split("\n## ", 1)[0], flags=re.M)
    return [inner for _, inner in items]


def test_documented_invalid_conditions_are_rejected_with_their_messages(db, tmp_path):
    invalid = _doc_conditions("invalid-condition")
    messages = _doc_messages()
    assert len(invalid) >= 5 and len(messages) == len(invalid)
    for condition, message in zip(invalid, messages, strict=True):
        with pytest.raises(CommandError) as error:
            call_command("import_rules", _rule_file(tmp_path, condition), "--dry-run")
        assert "condition:" in str(error.value) and message in str(error.value), condition


# --------------------------------------------------------------------------- rule-file.md


def test_rule_file_example_imports(db, tmp_path):
    text = (DOCS / "rule-file.md").read_text(encoding="utf-8")
    example = re.search(r"```json\n(.*?)```", text, flags=re.S).group(1)
    path = tmp_path / "example.json"
    path.write_text(example, encoding="utf-8")
    out = io.StringIO()
    call_command("import_rules", str(path), stdout=out)
    assert "1 created" in out.getvalue()
    document = json.loads(example)
    exported = json.loads(call_command_output("export_rules"))
    assert exported == document


def call_command_output(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_unanswered_table_in_conditions_doc_holds():
    """The table of results with `subscription` unanswered, evaluated for real."""
    text = (DOCS / "conditions.md").read_text(encoding="utf-8")
    section = text.split("## Values and unanswered names", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(.+?)` \| (true|false)\b", section, flags=re.M)
    assert len(rows) >= 5
    schema = {
        q.key: NameInfo(kind=q.type, choices=tuple(c.value for c in q.choices))
        for q in QUESTIONS.values()
    }
    for condition, result in rows:
        assert compile_condition(condition, schema).evaluate({}) is (result == "true"), condition
