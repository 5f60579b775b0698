"""manage.py plan: answers file in, plan out; invalid answers exit with status 2."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from planner.models import AnswerChange, Project, Rule
from tests.helpers import EXAMPLES
from tests.test_plans import NO_ROSTER, expected_tenants

# Examples with a customer roster; their expected plans are planner.plan/2.
V2 = json.loads((Path(__file__).parent / "data" / "examples_v2.json").read_text())
P6 = EXAMPLES["p6-customers-partners-employees"]["answers"]


def write_answers(tmp_path, answers, raw=None):
    path = tmp_path / "answers.json"
    path.write_text(raw if raw is not None else json.dumps(answers))
    return str(path)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("plan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_examples_as_json(default_rules, tmp_path, key):
    example = EXAMPLES[key]
    out, _ = run("--answers", write_answers(tmp_path, example["answers"]))
    data = json.loads(out)
    expected = example["expected"]
    assert data["facts"] == {**expected["facts"], **NO_ROSTER}
    assert data["tenants"] == expected_tenants(expected)
    assert sorted(r["rule"] for r in data["recommendations"]) == sorted(expected["fired_rules"])
    assert data["conflicts"] == []  # version-1 examples: no roster, no design conflicts
    assert data["project"]["company"] == example["answers"]["company_name"]
    assert [w["code"] for w in data["warnings"]] == ["open"]  # security questions unanswered


@pytest.mark.parametrize("key", sorted(V2))
def test_roster_examples_as_json(default_rules, tmp_path, key):
    example = V2[key]
    out, _ = run("--answers", write_answers(tmp_path, example["answers"]))
    data = json.loads(out)
    expected = example["expected"]
    assert data["schema"] == "planner.plan/2"
    assert data["facts"] == expected["facts"]
    assert data["tenants"] == expected["tenants"]
    assert data["customers"] == expected["customers"]
    assert data["dns_records"] == expected["dns_records"]
    assert data["usage"] == expected["usage"]
    assert [c["rule"] for c in data["conflicts"]] == expected["conflicts"]
    assert all(c["priority"] == "conflict" for c in data["conflicts"])
    assert data["answers"]["customers"]["customers"] == example["answers"]["customers"]
    # Unanswered optional security questions are listed as open items; nothing else is wrong.
    assert [w for w in data["warnings"] if w["code"] != "open"] == []


@pytest.mark.parametrize("key", sorted(V2))
def test_roster_examples_fire_the_version_2_rules(default_rules, tmp_path, key):
    example = V2[key]
    data = json.loads(run("--answers", write_answers(tmp_path, example["answers"]))[0])
    fired = sorted(r["rule"] for r in data["recommendations"])
    assert fired == sorted(example["expected"]["fired_rules"])


def test_roster_errors_name_the_key_row_and_field(default_rules, tmp_path):
    answers = dict(P6, customers=[{"name": "Contoso", "sign_in": ["enterprise_idp"]}])
    with pytest.raises(CommandError) as excinfo:
        run("--answers", write_answers(tmp_path, answers))
    assert excinfo.value.returncode == 2
    assert "customers: Row 1 (Contoso), identity provider: choose the identity provider" in str(
        excinfo.value
    )
    with pytest.raises(CommandError) as excinfo:
        run("--answers", write_answers(tmp_path, dict(P6, customers={"name": "Contoso"})))
    assert "customers: expected a list of customer rows" in str(excinfo.value)


def test_name_and_out(default_rules, tmp_path):
    target = tmp_path / "plan.json"
    out, err = run(
        "--answers", write_answers(tmp_path, P6), "--name", "Acme 2026", "--out", str(target)
    )
    assert out == ""
    assert "Wrote the json plan" in err and str(target) in err
    assert json.loads(target.read_text())["project"]["name"] == "Acme 2026"


@pytest.mark.parametrize(
    ("answers", "raw", "named"),
    [
        (dict(P6, subscription="platinum"), None, "subscription"),
        ({k: v for k, v in P6.items() if k != "primary_region"}, None, "primary_region"),
        (dict(P6, favourite_colour="blue"), None, "favourite_colour"),
        (dict(P6, environments="prod"), None, "environments"),
        (dict(P6, tenant_prefix=42), None, "tenant_prefix"),
        (None, "[1, 2, 3]", "JSON object"),
        (None, '{"company_name": ', "not valid JSON"),
    ],
    ids=[
        "bad-choice",
        "missing-required",
        "unknown-key",
        "wrong-type",
        "wrong-type-text",
        "not-an-object",
        "bad-json",
    ],
)
def test_invalid_answers_exit_2(default_rules, tmp_path, answers, raw, named):
    projects, rules, changes = (
        Project.objects.count(),
        Rule.objects.count(),
        AnswerChange.objects.count(),
    )
    with pytest.raises(CommandError) as excinfo:
        run("--answers", write_answers(tmp_path, answers, raw))
    assert excinfo.value.returncode == 2
    assert named in str(excinfo.value)
    assert (Project.objects.count(), Rule.objects.count(), AnswerChange.objects.count()) == (
        projects,
        rules,
        changes,
    )


def test_every_error_is_listed(default_rules, tmp_path):
    answers = dict(P6, subscription="platinum", favourite_colour="blue")
    del answers["primary_region"]
    with pytest.raises(CommandError) as excinfo:
        run("--answers", write_answers(tmp_path, answers))
    message = str(excinfo.value)
    for key in ("subscription", "favourite_colour", "primary_region"):
        assert f"{key}:" in message


def test_missing_file_exits_2(db, tmp_path):
    with pytest.raises(CommandError) as excinfo:
        run("--answers", str(tmp_path / "nope.json"))
    assert excinfo.value.returncode == 2


def test_saves_nothing(default_rules, tmp_path):
    before = (Project.objects.count(), Rule.objects.count())
    run("--answers", write_answers(tmp_path, P6))
    assert (Project.objects.count(), Rule.objects.count()) == before


def test_without_rules_in_the_database_uses_the_default_set(db, tmp_path):
    out, err = run("--answers", write_answers(tmp_path, P6))
    assert "default rule set" in err
    fired = sorted(r["rule"] for r in json.loads(out)["recommendations"])
    assert fired == sorted(EXAMPLES["p6-customers-partners-employees"]["expected"]["fired_rules"])
    assert Rule.objects.count() == 0


def test_svg_and_html_files(default_rules, tmp_path):
    svg, html = tmp_path / "plan.svg", tmp_path / "plan.html"
    run("--answers", write_answers(tmp_path, P6), "--format", "svg", "--out", str(svg))
    run("--answers", write_answers(tmp_path, P6), "--format", "html", "--out", str(html))
    assert svg.read_text().startswith("<svg") and "acme-workforce-prod" in svg.read_text()
    page = html.read_text()
    assert page.startswith("<!doctype html>")
    assert "<style>" in page and "@page" in page  # standalone: CSS inlined
    assert "acme-workforce-prod" in page and "<svg" in page


def test_pdf_file(default_rules, tmp_path):
    target = tmp_path / "plan.pdf"
    _, err = run("--answers", write_answers(tmp_path, P6), "--format", "pdf", "--out", str(target))
    assert "Wrote the pdf plan" in err
    reader = PdfReader(str(target))
    assert "Acme Logistics" in reader.pages[0].extract_text()
