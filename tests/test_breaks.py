"""Regression tests for issue 10, breaks 4 to 9: a bad rule, the rule preview's reach, rule
import, the admin's project form, invisible characters, and the command line. Each went
through the client or a command and returned 500 or a traceback before the fix."""

import io
import json
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from planner import catalog, pdf, rulefile, rules
from planner.models import Project, Rule
from planner.plans import build_plan
from tests.helpers import EXAMPLES, rule_form

P6 = EXAMPLES["p6-customers-partners-employees"]["answers"]
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
SLOT_TEXT = "Quote zqplannerslot7zq and zqplannerslot0zq literally for {company_name}."
DEEP_LIST = "- " * 1000 + "deep"
DEEP_JSON = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def default_rules(db):
    call_command("load_rules", verbosity=0)


def rule_dict(**changes) -> dict:
    """Return a valid rule as a rule file holds it."""
    return {**rulefile.read_rules_file()[0], "key": "zz-robust", **changes}


def upload(client, content: str | bytes):
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    file = SimpleUploadedFile("rules.json", data, content_type="application/json")
    return client.post(reverse("admin:planner_rule_import"), {"file": file})


def rule_file(*rule_dicts) -> str:
    return json.dumps({"schema": rulefile.SCHEMA_ID, "rules": list(rule_dicts)})


@pytest.fixture
def answered(project):
    project.answers = dict(P6)
    project.save()
    return project


# --- 4. One bad rule breaks every plan ----------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"recommendation": SLOT_TEXT, "condition": "false"},
        {"recommendation": SLOT_TEXT, "condition": "true"},
        {"rationale": DEEP_LIST, "condition": "false"},
        {"rationale": DEEP_LIST, "condition": "true"},
    ],
    ids=["slot-text-false", "slot-text-true", "deep-markdown-false", "deep-markdown-true"],
)
def test_a_rule_saved_with_hostile_text_breaks_no_plan(
    default_rules, owner_client, answered, changes
):
    Rule.objects.create(**rule_dict(**changes))  # saved before validation existed
    for name in ("plan", "plan_json", "plan_svg"):
        response = owner_client.get(reverse(name, args=[answered.code]))
        assert response.status_code == 200, name
    data = owner_client.get(reverse("plan_json", args=[answered.code])).json()
    fired = {r["rule"]: r for r in data["recommendations"] + data["conflicts"]}
    if changes["condition"] == "true" and "recommendation" in changes:
        text = json.dumps(fired["zz-robust"])
        assert "zqplannerslot7zq and zqplannerslot0zq literally for Acme" in text
    if changes["condition"] == "true" and "rationale" in changes:
        assert "zz-robust" in fired


def test_slot_text_renders_literally_in_html(default_rules, owner_client, answered):
    Rule.objects.create(**rule_dict(recommendation=SLOT_TEXT, condition="true"))
    page = owner_client.get(reverse("plan", args=[answered.code])).content.decode()
    assert "Quote zqplannerslot7zq and zqplannerslot0zq literally for Acme" in page


def test_admin_refuses_markdown_nested_too_deeply(staff_client, db):
    response = staff_client.post(reverse("admin:planner_rule_add"), rule_form(rationale=DEEP_LIST))
    assert response.status_code == 200
    assert "nested too deeply" in response.content.decode()
    assert DEEP_LIST in response.content.decode()  # what was typed is kept for correction
    assert not Rule.objects.filter(key="zz-robust").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"position": str(2**31)}, "The position must be between -2147483648 and 2147483647"),
        ({"condition": f"enterprise {RLO}"}, "Remove the character U+202E"),
        ({"references_text": f"Docs{RLO} | https://auth0.com/docs/"}, "Reference 1 title"),
    ],
    ids=["position", "condition-bidi", "reference-bidi"],
)
def test_admin_refuses_unsafe_rule_content(staff_client, db, changes, message):
    response = staff_client.post(reverse("admin:planner_rule_add"), rule_form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Rule.objects.filter(key="zz-robust").exists()


def test_import_refuses_markdown_nested_too_deeply(staff_client, default_rules):
    before = Rule.objects.count()
    response = upload(staff_client, rule_file(rule_dict(recommendation=DEEP_LIST)))
    assert response.status_code == 200
    assert "rule 1 (zz-robust): recommendation: The Markdown is nested too deeply" in (
        response.content.decode()
    )
    assert Rule.objects.count() == before


def test_a_rule_that_cannot_compile_is_a_failure_not_an_exception(db):
    good = rule_dict(key="zz-good", condition="true")
    bad = rule_dict(key="zz-bad", condition="true", recommendation=["not", "text"])
    ruleset = rules.CompiledRuleset.build([good, bad])
    evaluation = rules.evaluate({}, ruleset)
    assert evaluation.fired_keys == ("zz-good",)
    assert [f.key for f in evaluation.failures] == ["zz-bad"]
    assert "cannot be compiled" in evaluation.failures[0].message


def test_staff_are_told_which_rules_cannot_run(staff_client, default_rules, owner_client, answered):
    broken = Rule.objects.create(**rule_dict(condition='subscription == "platinum"'))
    listing = staff_client.get(reverse("admin:planner_rule_changelist")).content.decode()
    assert "1 enabled rule(s) cannot run, so plans leave them out: &#x27;zz-robust&#x27;" in listing
    page = staff_client.get(reverse("admin:planner_rule_change", args=[broken.pk]))
    assert "This rule cannot run, so plans leave it out: Invalid condition" in page.content.decode()
    plan = owner_client.get(reverse("plan_json", args=[answered.code])).json()
    assert any(w["code"] == "rule-failed" for w in plan["warnings"])
    other = Rule.objects.get(key="tp-organizations")
    page = staff_client.get(reverse("admin:planner_rule_change", args=[other.pk]))
    assert "cannot run" not in page.content.decode()


# --- 5. The rule preview reads every project ------------------------------------------------


@pytest.fixture
def rule_viewer(django_user_model):
    user = django_user_model.objects.create_user(username="vera", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_rule"))
    client = Client()
    client.force_login(user)
    return user, client


def test_view_only_staff_cannot_list_or_preview_other_peoples_projects(
    default_rules, rule_viewer, answered
):
    _, client = rule_viewer
    url = reverse("admin:planner_rule_change", args=[Rule.objects.get(key="tp-organizations").pk])
    page = client.get(url)
    assert page.status_code == 200
    assert answered.name not in page.content.decode()
    preview = client.get(url, {"preview_project": str(answered.code)})
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Choose a saved project." in body
    assert answered.name not in body and "Acme" not in body


def test_staff_who_may_view_projects_can_preview_them(default_rules, rule_viewer, answered):
    user, client = rule_viewer
    user.user_permissions.add(Permission.objects.get(codename="view_project"))
    url = reverse("admin:planner_rule_change", args=[Rule.objects.get(key="tp-organizations").pk])
    body = client.get(url, {"preview_project": str(answered.code)}).content.decode()
    assert answered.name in body and "Fires" in body


def test_view_only_staff_preview_their_own_projects(default_rules, rule_viewer):
    user, client = rule_viewer
    own = Project.objects.create(owner=user, name="Vera's sandbox", answers=dict(P6))
    url = reverse("admin:planner_rule_change", args=[Rule.objects.get(key="tp-organizations").pk])
    body = client.get(url, {"preview_project": str(own.code)}).content.decode()
    assert "Vera&#x27;s sandbox" in body and "Fires" in body


# --- 6. Rule import 500s ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"schema": "planner.rules/1", "rules": ' + DEEP_JSON + "}",
            "Too deeply nested: 100001 levels",
        ),
        (rule_file(rule_dict(position=2**31)), "position: The position must be between"),
        (rule_file(rule_dict(position=2**70)), "position: The position must be between"),
        (rule_file(rule_dict(title="Null\x00byte")), "title: Remove the character U+0000"),
        (
            rule_file(rule_dict(rationale="lone \ud800 surrogate")),
            "U+D800 (a lone surrogate) at position 6 is a lone surrogate",
        ),
        (
            rule_file(rule_dict(recommendation=f"Ask {RLO}tenrub")),
            "recommendation: Remove the character U+202E (RIGHT-TO-LEFT OVERRIDE)",
        ),
        (rule_file(rule_dict(section=["context"])), "section: Use one of"),
    ],
    ids=["deep-json", "position-2-31", "position-2-70", "nul", "surrogate", "bidi", "list"],
)
def test_import_reports_each_problem_and_changes_nothing(
    staff_client, default_rules, content, message
):
    before = Rule.objects.count()
    response = upload(staff_client, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Rule.objects.count() == before


def test_import_lists_a_bounded_number_of_problems(staff_client, default_rules):
    broken = [rule_dict(key=f"zz-{n}", position=2**40) for n in range(200)]
    body = upload(staff_client, rule_file(*broken)).content.decode()
    assert "Nothing was imported: 200 problems." in body
    assert "… and 150 more problem(s) not shown." in body
    assert body.count("The position must be between") == 50


# --- 7. The admin project form accepts any JSON ----------------------------------------------


def project_form(project, **changes) -> dict:
    data = {
        "owner": str(project.owner_id),
        "name": project.name,
        "description": project.description,
        "answers": json.dumps(project.answers),
        "touched_sections": json.dumps(project.touched_sections),
        "finished_at_0": "",
        "finished_at_1": "",
        "_save": "Save",
        # The members inline's management form, no member rows sent (none changed).
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ("[]", "The answers must be a JSON object"),
        ('"abc"', "The answers must be a JSON object"),
        ('{"company_name": 5}', "company_name: expected a string, got 5."),
        ('{"environments": "prod"}', "environments: expected a list of strings"),
        ('{"sandbox_count": "3"}', "sandbox_count: expected a whole number"),
        ('{"favourite_colour": "blue"}', "favourite_colour: unknown question key"),
        ('{"company_name": "lone \\ud800"}', "is a lone surrogate"),
        ('{"company_name": "nul \\u0000"}', "Remove the character U+0000"),
        ('{"company_name": "\\u202eevil"}', "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ('{"company_name": "\\u200d\\u200d"}', "company_name: has no visible character"),
        (DEEP_JSON, "Too deeply nested"),
        ("NaN", "NaN is not a JSON number"),
        ("{", "Not valid JSON"),
    ],
    ids=[
        "list",
        "string",
        "wrong-type",
        "multi-as-string",
        "int-as-string",
        "unknown-key",
        "surrogate",
        "nul",
        "bidi",
        "only-invisible",
        "deep",
        "nan",
        "broken",
    ],
)
def test_admin_project_form_refuses_answers_of_the_wrong_shape(
    staff_client, owner_client, answered, answers, message
):
    url = reverse("admin:planner_project_change", args=[answered.pk])
    response = staff_client.post(url, project_form(answered, answers=answers))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    if "\\u" not in answers:
        assert escape(answers) in body  # what was typed is shown again for correction
    answered.refresh_from_db()
    assert answered.answers == P6
    assert owner_client.get(reverse("plan", args=[answered.code])).status_code == 200


def test_admin_project_form_saves_answers_of_the_right_shape(staff_client, answered):
    url = reverse("admin:planner_project_change", args=[answered.pk])
    page = staff_client.get(url).content.decode()
    assert escape('"company_name": "Acme Logistics"') in page
    answers = dict(P6, company_name="Acme Renamed")
    response = staff_client.post(url, project_form(answered, answers=json.dumps(answers)))
    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.answers["company_name"] == "Acme Renamed"


def test_admin_project_form_refuses_unknown_sections(staff_client, answered):
    url = reverse("admin:planner_project_change", args=[answered.pk])
    data = project_form(answered, touched_sections='["context", "nowhere"]')
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Unknown section key(s): &#x27;nowhere&#x27;" in response.content.decode()


# --- 8. Bidirectional overrides and invisible names ---------------------------------------


def test_project_name_loses_bidi_overrides(owner_client, owner):
    data = {"name": f"Acme{RLO} evil\u2066", "description": f"line one\n{RLO}line two"}
    response = owner_client.post(reverse("project_create"), data)
    assert response.status_code == 302
    project = Project.objects.get(owner=owner)
    assert project.name == "Acme evil"
    assert project.description == "line one\nline two"


@pytest.mark.parametrize("name", [f"{RLO}\u200b\u2066", "\u200d\u200d", "\ufeff \u2060"])
def test_project_name_of_only_invisible_characters_is_refused(owner_client, owner, name):
    response = owner_client.post(reverse("project_create"), {"name": name, "description": ""})
    assert response.status_code == 200
    assert "only invisible or formatting characters" in response.content.decode()
    assert not Project.objects.filter(owner=owner).exists()


def test_admin_project_name_of_only_invisible_characters_is_refused(staff_client, answered):
    url = reverse("admin:planner_project_change", args=[answered.pk])
    response = staff_client.post(url, project_form(answered, name=f"{RLO}\u200b"))
    assert response.status_code == 200
    assert "only invisible or formatting characters" in response.content.decode()


def post_context(client, project, **answers):
    data = {"version": str(project.version), "action": "next", "shown": list(answers), **answers}
    return client.post(reverse("wizard_section", args=[project.code, "context"]), data)


def test_wizard_strips_bidi_overrides_from_answers(owner_client, project):
    post_context(owner_client, project, company_name=f"Hoopla{RLO} Ltd\u2069", tenant_prefix="hp")
    project.refresh_from_db()
    assert project.answers["company_name"] == "Hoopla Ltd"


def test_wizard_treats_an_invisible_company_name_as_not_answered(owner_client, project):
    response = post_context(
        owner_client, project, company_name=f"{RLO}\u200b\u200d", tenant_prefix="hp"
    )
    project.refresh_from_db()
    assert project.answers.get("company_name", "") == ""
    assert response.status_code == 200
    assert "Enter a value for" in response.content.decode()


def test_admin_rule_text_with_bidi_override_is_refused(staff_client, db):
    response = staff_client.post(
        reverse("admin:planner_rule_add"), rule_form(title=f"Use {RLO}snoitazinagro")
    )
    assert response.status_code == 200
    assert "U+202E (RIGHT-TO-LEFT OVERRIDE) at position 5" in response.content.decode()
    assert not Rule.objects.filter(key="zz-robust").exists()


# --- 9. The command line --------------------------------------------------------------------


def plan_command(tmp_path, text: str, *args):
    path = tmp_path / "answers.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    out = StringIO()
    call_command("plan", "--answers", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (DEEP_JSON, "too deeply nested: 100000 levels"),
        ('{"company_name": "\\ud800"}', "is a lone surrogate"),
        ('{"company_name": "\ud800"}', "not UTF-8 text"),
        (json.dumps(dict(P6, company_name=f"Acme{RLO}")), "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ],
    ids=["deep", "escaped-surrogate", "raw-surrogate", "bidi"],
)
def test_plan_refuses_unusable_answers_with_exit_2(default_rules, tmp_path, text, message):
    with pytest.raises(CommandError) as excinfo:
        plan_command(tmp_path, text)
    assert excinfo.value.returncode == 2
    assert message in str(excinfo.value)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--name", f"Acme{RLO} evil", "--name: Remove the character U+202E"),
        ("--author", "Olivia \udcff", "--author: Remove the character U+DCFF (a lone surrogate)"),
    ],
)
def test_plan_refuses_unsafe_names_on_the_command_line(
    default_rules, tmp_path, option, value, message
):
    with pytest.raises(CommandError) as excinfo:
        plan_command(tmp_path, json.dumps(P6), option, value)
    assert excinfo.value.returncode == 2
    assert message in str(excinfo.value)


def test_plan_bounds_the_message_for_many_unknown_choices(default_rules, tmp_path):
    answers = dict(P6, environments=["prod", *(f"x{n}" for n in range(100_000))])
    with pytest.raises(CommandError) as excinfo:
        plan_command(tmp_path, json.dumps(answers))
    message = str(excinfo.value)
    assert excinfo.value.returncode == 2
    assert len(message) < 2000
    assert "“x0”, “x1”, “x2”, “x3”, “x4” and 99,995 more are not among them" in message


def test_plan_bounds_the_message_for_many_unknown_keys(default_rules, tmp_path):
    answers = dict(P6, **{f"unknown_{n}": 1 for n in range(10_000)})
    with pytest.raises(CommandError) as excinfo:
        plan_command(tmp_path, json.dumps(answers))
    message = str(excinfo.value)
    assert message.startswith("10000 problem(s) in the answers")
    assert "… and 9,950 more problem(s) not shown." in message
    assert len(message) < 5000


@pytest.mark.parametrize("command", ["plan", "export_rules"])
@pytest.mark.parametrize("where", ["folder", "missing-folder"])
def test_out_naming_a_folder_or_a_missing_folder_exits_2(default_rules, tmp_path, command, where):
    out = tmp_path if where == "folder" else tmp_path / "missing" / "plan.json"
    args = ["--out", str(out)]
    if command == "plan":
        answers = tmp_path / "answers.json"
        answers.write_text(json.dumps(P6))
        args += ["--answers", str(answers)]
    with pytest.raises(CommandError) as excinfo:
        call_command(command, *args, stdout=StringIO(), stderr=StringIO())
    assert excinfo.value.returncode == 2
    expected = "is a folder: name a file inside it" if where == "folder" else "does not exist"
    assert expected in str(excinfo.value)
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("command", ["load_rules", "import_rules"])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"schema": "planner.rules/1", "rules": ' + DEEP_JSON + "}", "Too deeply nested"),
        (rule_file(rule_dict(title="lone \ud800")), "is a lone surrogate"),
        (rule_file(rule_dict(position=2**70)), "The position must be between"),
    ],
    ids=["deep", "surrogate", "position"],
)
def test_rule_commands_refuse_unusable_files_with_exit_2(db, tmp_path, command, text, message):
    path = tmp_path / "rules.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    args = ["--file", str(path)] if command == "load_rules" else [str(path)]
    with pytest.raises(CommandError) as excinfo:
        call_command(command, *args, stdout=StringIO(), stderr=StringIO())
    assert excinfo.value.returncode == 2
    assert message in str(excinfo.value)
    assert Rule.objects.count() == 0


def test_text_stored_before_the_fix_cannot_reorder_the_plan(owner, owner_client, default_rules):
    owner.first_name, owner.last_name = f"Olivia{RLO}", "Architect\u2066"
    owner.save()
    stored = Project.objects.create(
        owner=owner,
        name=f"Acme{RLO} evil",
        answers=dict(P6, company_name=f"Acme{RLO} Corp"),
    )
    data = owner_client.get(reverse("plan_json", args=[stored.code])).content.decode("utf-8")
    assert RLO not in data and "\\u202e" not in data.lower()
    assert "Acme evil" in data

    _, _, content = pdf.render_plan_pdf(build_plan(stored))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert RLO not in text
    assert "Acme evil" in text and "Olivia Architect" in text


# --- Property: no rule file makes the import fail --------------------------------------------

json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(codec=None, categories=["L", "Cc", "Cf", "Cs", "Zs"])),
    st.sampled_from(["", DEEP_LIST, SLOT_TEXT, f"{RLO}x", "true", '"a" in b', "{company_name}"]),
)
json_values = st.recursive(
    json_leaves,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["title", "url", "x"]), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(field=st.sampled_from(rules.CONTENT_FIELDS), value=json_values)
def test_any_rule_file_is_imported_or_refused_with_problems(staff_client, db, field, value):
    before = Rule.objects.count()
    response = upload(staff_client, rule_file(rule_dict(**{field: value})))
    if response.status_code == 302:
        assert Rule.objects.count() == before + 1
        Rule.objects.filter(key=rule_dict(**{field: value})["key"]).delete()
    else:
        assert response.status_code == 200
        assert "Nothing was imported:" in response.content.decode()
        assert Rule.objects.count() == before


answer_documents = st.one_of(
    json_values,
    st.dictionaries(st.sampled_from(sorted(catalog.QUESTIONS)), json_values, max_size=4),
    st.builds(
        lambda extra: {**P6, **extra},
        st.dictionaries(st.sampled_from(sorted(P6)), json_values, max_size=2),
    ),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answers=answer_documents)
def test_any_admin_answers_are_saved_safely_or_refused(
    staff_client, owner_client, answered, answers
):
    answered.refresh_from_db()
    before = answered.answers
    url = reverse("admin:planner_project_change", args=[answered.pk])
    response = staff_client.post(url, project_form(answered, answers=json.dumps(answers)))
    answered.refresh_from_db()
    if response.status_code == 200:
        assert answered.answers == before
    else:
        assert response.status_code == 302
        assert answered.answers == ({} if answers is None else answers)  # null clears them
    for name, args in [
        ("project_detail", [answered.code]),
        ("plan_json", [answered.code]),
        ("wizard_section", [answered.code, "context"]),
        ("wizard_review", [answered.code]),
    ]:
        assert owner_client.get(reverse(name, args=args)).status_code == 200, name
    # The configuration export: files, or the errors that stop it, never a server error.
    exported = owner_client.get(reverse("plan_config_zip", args=[answered.code]))
    if exported.status_code == 409:
        assert "cannot be exported yet" in exported.content.decode()
    else:
        assert exported.status_code == 200 and exported["Content-Type"] == "application/zip"
    assert owner_client.get(reverse("plan_config", args=[answered.code])).status_code == 200
