"""load_rules, export_rules and import_rules: idempotent, validated, all or nothing."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from planner import rulefile
from planner.models import Rule, RuleChange


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def write_rules(path, rule_dicts):
    path.write_text(json.dumps({"schema": rulefile.SCHEMA_ID, "rules": rule_dicts}))
    return path


@pytest.fixture
def shipped():
    return rulefile.read_rules_file()


def test_first_run_creates_every_rule_and_records_it(db):
    assert run("load_rules").strip() == "Rules: 101 created, 0 updated, 0 unchanged."
    assert Rule.objects.count() == 101
    assert RuleChange.objects.filter(action="loaded", user=None).count() == 101
    change = RuleChange.objects.get(rule_key="ctx-sso-one-tenant")
    assert change.changes["condition"] == [None, 'sso_across_apps == "yes"']


def test_second_run_changes_nothing(db):
    run("load_rules")
    stamps = dict(Rule.objects.values_list("key", "updated_at"))
    assert run("load_rules").strip() == "Rules: 0 created, 0 updated, 101 unchanged."
    assert dict(Rule.objects.values_list("key", "updated_at")) == stamps
    assert RuleChange.objects.count() == 101


def test_dry_run_changes_nothing(db):
    output = run("load_rules", "--dry-run")
    assert "create: tp-organizations" in output
    assert "Dry run, nothing changed. Rules: 101 created" in output
    assert Rule.objects.count() == 0 and RuleChange.objects.count() == 0


def test_local_edits_are_kept_unless_forced(db):
    run("load_rules")
    rule = Rule.objects.get(key="ops-log-streaming")
    rule.title = "Our own title"
    rule.save()
    Rule.objects.create(**{**rulefile.read_rules_file()[0], "key": "our-own-rule"})
    output = run("load_rules")
    assert "Edited locally (kept): ops-log-streaming" in output
    assert "0 created, 0 updated, 100 unchanged, 1 differ (kept: edited locally" in output
    assert Rule.objects.get(key="ops-log-streaming").title == "Our own title"
    output = run("load_rules", "--force")
    assert "0 created, 1 updated, 100 unchanged." in output
    assert Rule.objects.get(key="ops-log-streaming").title != "Our own title"
    assert Rule.objects.filter(key="our-own-rule").exists()  # never deleted
    change = RuleChange.objects.filter(rule_key="ops-log-streaming").first()
    assert change.action == "loaded" and change.changes["title"][0] == "Our own title"


def test_an_invalid_file_aborts_with_a_listing_and_changes_nothing(db, tmp_path, shipped):
    bad = [
        shipped[0],
        {**shipped[1], "condition": 'user_isolaton == "isolated"'},
        {**shipped[2], "references": [{"title": "x", "url": "http://insecure"}]},
    ]
    path = write_rules(tmp_path / "bad.json", bad)
    with pytest.raises(CommandError) as raised:
        run("load_rules", "--file", str(path))
    message = str(raised.value)
    assert "nothing loaded, 2 problem(s)" in message
    assert f"({shipped[1]['key']}): condition:" in message and "did you mean" in message
    assert f"({shipped[2]['key']}): references:" in message
    assert Rule.objects.count() == 0


@pytest.mark.parametrize(
    "text",
    ["not json", '{"schema": "other", "rules": []}', '{"schema": "planner.rules/1"}'],
)
def test_a_file_that_is_not_a_rule_file_is_refused(db, tmp_path, text):
    path = tmp_path / "x.json"
    path.write_text(text)
    with pytest.raises(CommandError):
        run("import_rules", str(path))


def test_duplicate_keys_are_refused(db, tmp_path, shipped):
    path = write_rules(tmp_path / "dup.json", [shipped[0], shipped[0]])
    with pytest.raises(CommandError, match="appears more than once"):
        run("import_rules", str(path))


def test_export_writes_the_shipped_file_back(db, tmp_path):
    run("load_rules")
    out = tmp_path / "export.json"
    assert run("export_rules", "--out", str(out)).strip() == f"Rules: 101 exported to {out}."
    assert out.read_bytes() == rulefile.DATA_FILE.read_bytes()
    assert json.loads(run("export_rules")) == json.loads(rulefile.DATA_FILE.read_text())


def test_export_import_round_trip(db, tmp_path):
    run("load_rules")
    Rule.objects.filter(key="ops-log-streaming").update(enabled=False)
    out = tmp_path / "export.json"
    run("export_rules", "--out", str(out))
    before = rulefile.export_data()
    Rule.objects.all().delete()
    assert run("import_rules", str(out)).strip() == "Rules: 101 created, 0 updated, 0 unchanged."
    assert rulefile.export_data() == before
    assert run("import_rules", str(out)).strip() == "Rules: 0 created, 0 updated, 101 unchanged."


def test_import_overwrites_and_records(db, tmp_path, shipped):
    run("load_rules")
    changed = {**shipped[0], "title": "A new title"}
    new = {**shipped[1], "key": "ctx-brand-new"}
    path = write_rules(tmp_path / "some.json", [changed, new])
    output = run("import_rules", str(path))
    assert output.strip() == "Rules: 1 created, 1 updated, 0 unchanged."
    assert Rule.objects.get(key=shipped[0]["key"]).title == "A new title"
    assert Rule.objects.count() == 102
    change = RuleChange.objects.filter(rule_key=shipped[0]["key"], action="imported").get()
    assert change.changes == {"title": [shipped[0]["title"], "A new title"]}


def test_import_with_one_bad_rule_changes_nothing(db, tmp_path, shipped):
    run("load_rules")
    good = {**shipped[0], "title": "Changed"}
    bad = {**shipped[1], "condition": "org_count == 3"}
    path = write_rules(tmp_path / "mixed.json", [good, bad])
    changes_before = RuleChange.objects.count()
    with pytest.raises(CommandError, match="nothing imported, 1 problem"):
        run("import_rules", str(path))
    assert Rule.objects.get(key=shipped[0]["key"]).title == shipped[0]["title"]
    assert RuleChange.objects.count() == changes_before


def test_import_dry_run_changes_nothing(db, tmp_path, shipped):
    path = write_rules(tmp_path / "one.json", [shipped[0]])
    output = run("import_rules", str(path), "--dry-run")
    assert "Dry run, nothing changed. Rules: 1 created" in output
    assert Rule.objects.count() == 0


@pytest.mark.parametrize("command", ["load_rules", "export_rules", "import_rules"])
def test_help_text(command, capsys):
    with pytest.raises(SystemExit):
        call_command(command, "--help")
    assert "rule" in capsys.readouterr().out.lower()
