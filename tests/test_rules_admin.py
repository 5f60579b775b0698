"""The rules admin: list, inline validation, preview, reference, actions, import/export, history."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from planner import catalog, conditions, rulefile, rules
from planner.models import Project, Rule, RuleChange
from tests.helpers import EXAMPLES, load_data, rule_form

CHANGELIST = reverse("admin:planner_rule_changelist")


@pytest.fixture
def example_projects(owner):
    return [
        Project.objects.create(owner=owner, name=name, answers=example["answers"])
        for name, example in sorted(EXAMPLES.items())
    ]


def change_url(key):
    return reverse("admin:planner_rule_change", args=[Rule.objects.get(key=key).pk])


def form_data(rule, **changes):
    """Return the change form of ``rule`` as the admin shows it, with ``changes`` applied."""
    data = rule_form(
        key=rule.key,
        section=rule.section,
        priority=rule.priority,
        position=rule.position,
        title=rule.title,
        condition=rule.condition,
        recommendation=rule.recommendation,
        rationale=rule.rationale,
        references_text="\n".join(f"{r['title']} | {r['url']}" for r in rule.references),
    )
    if not rule.enabled:
        del data["enabled"]
    data.update(changes)
    return data


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        CHANGELIST,
        reverse("admin:planner_rule_reference"),
        reverse("admin:planner_rule_import"),
        reverse("admin:planner_rule_export"),
        reverse("admin:planner_rulechange_changelist"),
    ],
)
def test_non_staff_users_are_redirected_to_sign_in(owner_client, client, url):
    for c in (owner_client, client):
        response = c.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


# --- list -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("", "tp-organizations", None),
        ("?section__exact=custom_domains", "cd-adopt", "tp-organizations"),
        ("?priority__exact=consider", "ctx-multi-brand", "ctx-sso-one-tenant"),
        ("?enabled__exact=1", "tp-organizations", None),
        ("?q=user_isolation", "tp-shared-users", "cd-adopt"),
        ("?q=Organizations", "tp-organizations", None),
        ("?o=7", "tp-organizations", None),  # sorted by impact
    ],
)
def test_changelist_filters_and_search(staff_client, default_rules, query, present, absent):
    response = staff_client.get(CHANGELIST + query)
    assert response.status_code == 200
    content = response.content.decode()
    assert present in content
    if absent:
        assert absent not in content


def test_changelist_shows_impact_per_rule(staff_client, default_rules, example_projects):
    response = staff_client.get(CHANGELIST)
    counts = {rule.key: rule.impact_count for rule in response.context["cl"].result_list}
    assert counts["tp-names-permanent"] == len(EXAMPLES)  # `true`
    expected = sum("tp-organizations" in e["expected"]["fired_rules"] for e in EXAMPLES.values())
    assert counts["tp-organizations"] == expected
    assert "Impact (projects)" in response.content.decode()


# --- change form ----------------------------------------------------------------------------


def test_change_form_renders_with_reference_link_preview_and_history(
    staff_client, default_rules, example_projects
):
    response = staff_client.get(change_url("tp-organizations"))
    content = response.content.decode()
    assert response.status_code == 200
    assert reverse("admin:planner_rule_reference") in content
    assert "Preview against a project" in content
    assert "Change history" in content and "loaded" in content
    assert "First version of the rule." in content
    assert "fires on <strong>" in content
    assert 'src="/static/js/admin-rules.js"' in content


def test_bad_condition_shows_column_and_suggestion_and_saves_nothing(staff_client, default_rules):
    rule = Rule.objects.get(key="tp-shared-users")
    response = staff_client.post(
        change_url(rule.key), form_data(rule, condition='user_isolaton in ["shared"]')
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "column 1" in errors["condition"][0]
    assert 'did you mean "user_isolation"' in errors["condition"][0]
    assert "did you mean" in response.content.decode()
    assert Rule.objects.get(key=rule.key).condition == rule.condition
    assert not RuleChange.objects.filter(rule_key=rule.key, action="changed").exists()


def test_bad_choice_value_is_an_error(staff_client, default_rules):
    rule = Rule.objects.get(key="tp-shared-users")
    response = staff_client.post(
        change_url(rule.key), form_data(rule, condition='user_isolation == "sharde"')
    )
    message = response.context["adminform"].form.errors["condition"][0]
    assert '"sharde" is not a value of `user_isolation`' in message
    assert 'did you mean "shared"' in message and "column 19" in message


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"recommendation": "Use {tenant_prefx}."}, "recommendation", "{tenant_prefix}"),
        ({"references_text": "Docs | http://auth0.com"}, "references_text", "https"),
        ({"references_text": "just a title"}, "references_text", "Line 1"),
        ({"key": "Bad Key"}, "key", ""),
    ],
)
def test_other_field_errors_appear_inline(staff_client, default_rules, changes, field, fragment):
    rule = Rule.objects.get(key="tp-shared-users")
    response = staff_client.post(change_url(rule.key), form_data(rule, **changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and fragment in " ".join(errors[field])
    assert rules.rule_content(Rule.objects.get(pk=rule.pk)) == rules.rule_content(rule)


def test_good_edit_saves_and_records_the_diff(staff_client, staff_user, default_rules):
    rule = Rule.objects.get(key="tp-shared-users")
    new_condition = 'user_isolation == "shared"'
    response = staff_client.post(
        change_url(rule.key),
        form_data(
            rule,
            condition=new_condition,
            references_text="Docs | https://auth0.com/docs/\n\nMore | https://auth0.com/docs/x",
        ),
    )
    assert response.status_code == 302
    saved = Rule.objects.get(key=rule.key)
    assert saved.condition == new_condition
    assert saved.references == [
        {"title": "Docs", "url": "https://auth0.com/docs/"},
        {"title": "More", "url": "https://auth0.com/docs/x"},
    ]
    change = RuleChange.objects.filter(rule_key=rule.key).first()
    assert change.action == "changed" and change.user == staff_user
    assert change.changes["condition"] == [rule.condition, new_condition]
    assert set(change.changes) == {"condition", "references"}
    page = staff_client.get(change_url(rule.key)).content.decode()
    assert "<td>changed</td>" in page and f"<td>{staff_user.username}</td>" in page
    assert "<dt>condition</dt>" in page


def test_add_and_delete_are_recorded(staff_client, staff_user, db):
    data = rule_form(key="ops-our-rule")
    response = staff_client.post(reverse("admin:planner_rule_add"), data)
    assert response.status_code == 302
    rule = Rule.objects.get(key="ops-our-rule")
    created = RuleChange.objects.get(rule_key="ops-our-rule")
    assert created.action == "created" and created.changes["condition"] == [None, "enterprise"]
    response = staff_client.post(
        reverse("admin:planner_rule_delete", args=[rule.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    deleted = RuleChange.objects.filter(rule_key="ops-our-rule").first()
    assert deleted.action == "deleted" and deleted.user == staff_user


# --- preview --------------------------------------------------------------------------------


def preview(staff_client, key, project, condition=None):
    params = {"preview_project": str(project.code)}
    if condition is not None:
        params["preview_condition"] = condition
    return staff_client.get(change_url(key), params)


def test_preview_fires_with_reasons(staff_client, default_rules, example_projects):
    project = example_projects[0]
    response = preview(staff_client, "tp-organizations", project)
    content = response.content.decode()
    assert response.context["preview"]["fired"] is True
    assert "<strong>Fires</strong> on " + project.name in content
    label = catalog.QUESTIONS["user_communities"].label
    assert label in content and "Users of your business customers" in content
    assert "Recommendation as the plan would show it" in content


def test_preview_does_not_fire_and_shows_what_it_looked_at(
    staff_client, default_rules, example_projects
):
    project = example_projects[0]  # p1: enterprise
    response = preview(staff_client, "tp-organizations", project, condition="not enterprise")
    preview_context = response.context["preview"]
    assert preview_context["fired"] is False
    assert [(r.question, r.answer) for r in preview_context["reasons"]] == [("enterprise", "yes")]
    assert "<strong>Does not fire</strong>" in response.content.decode()
    assert Rule.objects.get(key="tp-organizations").condition != "not enterprise"  # unsaved


def test_preview_of_an_invalid_condition_shows_the_error(
    staff_client, default_rules, example_projects
):
    response = preview(staff_client, "tp-organizations", example_projects[0], "enterprize")
    errors = response.context["preview"]["errors"]
    assert 'did you mean "enterprise"' in errors[0]
    assert "did you mean &quot;enterprise&quot;" in response.content.decode()
    assert "ran" not in response.context["preview"]


def test_preview_needs_a_project(staff_client, default_rules):
    response = staff_client.get(change_url("tp-organizations"), {"preview_project": "nope"})
    assert "Choose a saved project." in response.content.decode()


# --- question reference ---------------------------------------------------------------------


def test_reference_lists_every_question_choice_and_fact(staff_client, db):
    response = staff_client.get(reverse("admin:planner_rule_reference"))
    assert response.status_code == 200
    content = response.content.decode()
    for key, question in catalog.QUESTIONS.items():
        assert f'id="q-{key}"' in content
        for choice in question.choices:
            assert f"&quot;{choice.value}&quot;" in content or f'"{choice.value}"' in content
    for name in catalog.FACTS:
        assert f'id="fact-{name}"' in content
    assert 'data-copy="user_isolation == &quot;isolated&quot;"' in content
    assert 'data-copy="&quot;b2b_customers&quot; in user_communities"' in content
    assert "<script>" not in content  # CSP: static scripts only
    assert "js/admin-rules.js" in content


# --- actions, export, import ----------------------------------------------------------------


def run_action(staff_client, action, keys):
    pks = Rule.objects.filter(key__in=keys).values_list("pk", flat=True)
    return staff_client.post(
        CHANGELIST, {"action": action, "_selected_action": [str(pk) for pk in pks]}
    )


def test_disable_and_enable_actions_are_recorded(staff_client, staff_user, default_rules):
    keys = ["ops-log-streaming", "ops-launch-readiness"]
    response = run_action(staff_client, "disable_rules", keys)
    assert response.status_code == 302
    assert not Rule.objects.filter(key__in=keys, enabled=True).exists()
    assert len(rules.current_ruleset().rules) == 99
    changes = RuleChange.objects.filter(action="disabled")
    assert {c.rule_key for c in changes} == set(keys)
    assert changes[0].user == staff_user and changes[0].changes == {"enabled": [True, False]}
    run_action(staff_client, "enable_rules", keys[:1])
    assert Rule.objects.get(key=keys[0]).enabled
    assert RuleChange.objects.filter(action="enabled").count() == 1
    run_action(staff_client, "enable_rules", keys[:1])  # already enabled: nothing recorded
    assert RuleChange.objects.filter(action="enabled").count() == 1


def test_export_action_and_export_all(staff_client, default_rules):
    response = run_action(staff_client, "export_rules", ["cd-adopt", "tp-organizations"])
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert [r["key"] for r in document["rules"]] == ["tp-organizations", "cd-adopt"]
    response = staff_client.get(reverse("admin:planner_rule_export"))
    assert json.loads(response.content) == json.loads(rulefile.DATA_FILE.read_text())


def upload(staff_client, document):
    content = json.dumps(document).encode()
    file = SimpleUploadedFile("rules.json", content, content_type="application/json")
    return staff_client.post(reverse("admin:planner_rule_import"), {"file": file})


def test_import_view_success(staff_client, staff_user, default_rules):
    shipped = rulefile.read_rules_file()
    document = {
        "schema": rulefile.SCHEMA_ID,
        "rules": [{**shipped[0], "title": "Imported title"}, {**shipped[1], "key": "ctx-new"}],
    }
    response = upload(staff_client, document)
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Rules: 1 created, 1 updated, 0 unchanged."]
    assert Rule.objects.get(key=shipped[0]["key"]).title == "Imported title"
    assert RuleChange.objects.filter(action="imported", user=staff_user).count() == 2


def test_import_view_with_errors_changes_nothing(staff_client, default_rules):
    shipped = rulefile.read_rules_file()
    document = {
        "schema": rulefile.SCHEMA_ID,
        "rules": [
            {**shipped[0], "title": "Should not land"},
            {**shipped[1], "condition": 'user_isolation == "sharde"'},
            {**shipped[2], "priority": "urgent"},
        ],
    }
    before = RuleChange.objects.count()
    response = upload(staff_client, document)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was imported: 2 problems." in content
    assert f"({shipped[1]['key']}): condition:" in content
    assert f"({shipped[2]['key']}): priority:" in content
    assert Rule.objects.get(key=shipped[0]["key"]).title == shipped[0]["title"]
    assert RuleChange.objects.count() == before


def test_import_view_refuses_non_json(staff_client, default_rules):
    file = SimpleUploadedFile("rules.json", b"\xff\xfe not json")
    response = staff_client.post(reverse("admin:planner_rule_import"), {"file": file})
    assert "Not valid JSON" in response.content.decode()


def test_rule_change_admin_is_read_only(staff_client, default_rules):
    change = RuleChange.objects.first()
    assert staff_client.get(reverse("admin:planner_rulechange_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:planner_rulechange_add")).status_code == 403
    url = reverse("admin:planner_rulechange_change", args=[change.pk])
    response = staff_client.get(url)
    assert response.status_code == 200 and "Save" not in response.content.decode()
    response = staff_client.get(
        reverse("admin:planner_rulechange_changelist"), {"rule_key": "cd-adopt"}
    )
    assert response.status_code == 200
    assert [c.rule_key for c in response.context["cl"].result_list] == ["cd-adopt"]


# --- preview and impact of the form as typed (issue 13) ---------------------------------------


def post_preview(staff_client, rule, project, **changes):
    data = form_data(rule, **changes)
    del data["_save"]
    data["_preview"] = "1"
    data["preview_project"] = str(project.code) if project else ""
    return staff_client.post(change_url(rule.key), data)


def test_preview_posts_the_form_as_typed_and_saves_nothing(
    staff_client, default_rules, example_projects
):
    rule = Rule.objects.get(key="tp-organizations")
    saved = rules.rule_content(rule)
    project = example_projects[0]  # p1: enterprise
    response = post_preview(
        staff_client,
        rule,
        project,
        title="Edited title, not saved",
        condition="not enterprise",
        recommendation="Typed recommendation for {company_name}.",
    )
    assert response.status_code == 200
    rule.refresh_from_db()
    assert rules.rule_content(rule) == saved
    assert not RuleChange.objects.filter(rule_key=rule.key, action="changed").exists()
    content = response.content.decode()
    # The edits are still in the form.
    assert 'value="Edited title, not saved"' in content
    assert "not enterprise</textarea>" in content
    assert "Please correct" not in content  # a valid form previews without complaint
    preview = response.context["preview"]
    assert preview["condition"] == "not enterprise" and preview["fired"] is False
    assert "condition <strong>as typed</strong> (not saved) fires on" in content
    fired_on, total = rules_fired_on("not enterprise", example_projects)
    assert (
        response.context["impact_count"] == fired_on and response.context["project_count"] == total
    )


def rules_fired_on(condition, projects):
    compiled = conditions.compile(condition, catalog.condition_schema())
    return sum(1 for p in projects if compiled.evaluate(rules.values_for(p.answers))), len(projects)


def test_preview_shows_the_typed_recommendation_when_it_fires(
    staff_client, default_rules, example_projects
):
    rule = Rule.objects.get(key="tp-organizations")
    project = example_projects[0]
    response = post_preview(
        staff_client, rule, project, recommendation="Typed for **{company_name}**."
    )
    assert response.context["preview"]["fired"] is True
    company = project.answers["company_name"]
    assert f"Typed for <strong>{company}</strong>" in response.content.decode()


def test_preview_of_a_typed_bad_condition_keeps_the_edits_and_shows_the_error(
    staff_client, default_rules, example_projects
):
    rule = Rule.objects.get(key="tp-organizations")
    response = post_preview(staff_client, rule, example_projects[0], condition="enterprize")
    content = response.content.decode()
    assert "enterprize</textarea>" in content
    assert 'did you mean "enterprise"' in response.context["preview"]["errors"][0]
    assert "its impact cannot be counted" in content
    rule.refresh_from_db()
    assert rule.condition != "enterprize"


def test_preview_on_the_add_page_creates_no_rule(staff_client, default_rules, example_projects):
    count = Rule.objects.count()
    data = form_data(Rule.objects.get(key="tp-organizations"), key="new-rule", title="New")
    del data["_save"]
    data.update(_preview="1", preview_project=str(example_projects[0].code))
    response = staff_client.post(reverse("admin:planner_rule_add"), data)
    assert response.status_code == 200
    assert Rule.objects.count() == count
    assert response.context["preview"]["ran"] is True


def test_the_posted_preview_respects_project_visibility(
    django_user_model, default_rules, example_projects
):
    editor = django_user_model.objects.create_user(username="ed", password="x", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_rule", "change_rule"])
    )
    client = Client()
    client.force_login(editor)
    rule = Rule.objects.get(key="tp-organizations")
    other = example_projects[0]  # someone else's project; the editor may not view projects
    response = post_preview(client, rule, other)
    content = response.content.decode()
    assert "Choose a saved project." in content
    assert other.name not in content
    own = Project.objects.create(owner=editor, name="Ed's own", answers=other.answers)
    response = post_preview(client, rule, own)
    assert response.context["preview"]["ran"] is True


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:index"),
        CHANGELIST,
        reverse("admin:planner_rule_add"),
        reverse("admin:planner_rule_reference"),
    ],
)
def test_admin_pages_have_the_favicon(staff_client, default_rules, url):
    content = staff_client.get(url).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in content
    assert "Django site admin" in content  # the title block is Django's own


def test_the_change_page_has_the_favicon(staff_client, default_rules):
    content = staff_client.get(change_url("tp-organizations")).content.decode()
    assert content.count('rel="icon"') == 1


# --- conflict rules ---------------------------------------------------------------------------

V2_EXAMPLES = load_data("examples_v2.json")
CONFLICT_KEY = "cf-one-domain-customer-domains"


@pytest.fixture
def roster_projects(owner):
    """p8 has a shared customer with its own login domain (the conflict fires); p1 has none."""
    return [
        Project.objects.create(
            owner=owner,
            name="Peoplegrid",
            answers=V2_EXAMPLES["p8-hr-suite-mixed-roster"]["answers"],
        ),
        Project.objects.create(
            owner=owner,
            name="Five enterprise",
            answers=EXAMPLES["p1-five-enterprise-customers"]["answers"],
        ),
    ]


def test_changelist_filters_by_the_conflict_priority(staff_client, default_rules):
    response = staff_client.get(CHANGELIST)
    assert "?priority__exact=conflict" in response.content.decode()
    response = staff_client.get(CHANGELIST + "?priority__exact=conflict")
    listed = {rule.key for rule in response.context["cl"].result_list}
    assert listed == set(Rule.objects.filter(priority="conflict").values_list("key", flat=True))
    assert CONFLICT_KEY in listed and len(listed) == 8


def test_conflict_rule_impact_names_the_projects_it_flags_and_the_questions(
    staff_client, default_rules, roster_projects
):
    response = staff_client.get(change_url(CONFLICT_KEY))
    content = response.content.decode()
    assert "flags a design conflict on <strong>1</strong> of 2 saved projects" in content
    [row] = response.context["impact_conflicts"]
    assert row["project"].name == "Peoplegrid"
    assert [q["key"] for q in row["questions"]] == ["login_domains_per_tenant", "customers"]
    assert catalog.QUESTIONS["login_domains_per_tenant"].label in content
    # the fact shared_login_domain_count (Contoso and Fabrikam), shown by its question
    assert "<code>customers</code>: 2" in content
    assert "Five enterprise" not in content.split('id="impact-heading"')[1].split("</section>")[0]


def test_a_recommendation_rule_impact_lists_projects_without_questions(
    staff_client, default_rules, roster_projects
):
    response = staff_client.get(change_url("tp-organizations"))
    assert response.context["impact_conflict"] is False
    assert response.context["impact_conflicts"] == []
    assert "fires on <strong>" in response.content.decode()


def test_conflict_rule_preview_flags_the_project_with_the_questions_involved(
    staff_client, default_rules, roster_projects
):
    flagged, clean = roster_projects
    response = preview(staff_client, CONFLICT_KEY, flagged)
    content = response.content.decode()
    assert "<strong>Flags a design conflict</strong> on Peoplegrid" in content
    keys = [q["key"] for q in response.context["preview"]["questions"]]
    assert keys == ["login_domains_per_tenant", "customers"]
    response = preview(staff_client, CONFLICT_KEY, clean)
    assert "<strong>Does not fire</strong> on Five enterprise" in response.content.decode()


def test_preview_as_typed_uses_the_typed_priority(staff_client, default_rules, roster_projects):
    flagged, _ = roster_projects
    rule = Rule.objects.get(key="tp-organizations")
    response = post_preview(
        staff_client, rule, flagged, priority="conflict", condition="shared_login_domain_count > 0"
    )
    content = response.content.decode()
    assert "flags a design conflict on <strong>1</strong> of 2" in content
    assert "<strong>Flags a design conflict</strong> on Peoplegrid" in content
    assert Rule.objects.get(key="tp-organizations").priority != "conflict"  # nothing saved
