"""Milestones: frozen page, PDF and JSON; diffs between versions; why a plan changed;
Finished as a property of a version."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from planner import checklist, rulefile
from planner.models import Membership, Milestone, Rule
from planner.plans import build_plan, build_plan_from_answers

EXAMPLES = json.loads((Path(__file__).parent / "data" / "examples.json").read_text())
P2 = EXAMPLES["p2-small-business-saas"]["answers"]


@pytest.fixture
def default_rules(db):
    call_command("load_rules", verbosity=0)


@pytest.fixture
def p2_project(project, default_rules):
    project.answers = dict(P2)
    project.touched_sections = []
    project.save()
    return project


def _save_milestone(client, project, name="Sent to the customer", note=""):
    response = client.post(f"/projects/{project.code}/milestones/", {"name": name, "note": note})
    assert response.status_code == 302, response.content.decode()[:3000]
    return Milestone.objects.filter(project=project).order_by("-number").first()


def _get(client, project, kind, number):
    names = {"page": "plan/", "pdf": "plan.pdf", "json": "plan.json", "svg": "plan.svg"}
    response = client.get(f"/projects/{project.code}/{names[kind]}?milestone={number}")
    assert response.status_code == 200, kind
    return response.content


def _answer(project, **changes):
    project.answers = {**project.answers, **changes}
    project.save()


@pytest.mark.django_db
def test_milestone_is_byte_identical_after_its_rules_are_edited_and_deleted(
    owner_client, p2_project, staff_user
):
    milestone = _save_milestone(owner_client, p2_project, note="Version 1 for Tally")
    before = {kind: _get(owner_client, p2_project, kind, 1) for kind in ("pdf", "json", "svg")}
    page_before = _get(owner_client, p2_project, "page", 1).decode()
    assert before["pdf"].startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(before["pdf"])).pages[:1])
    assert "Milestone 1: Sent to the customer" in text  # the cover names the version
    frozen_json = json.loads(before["json"])
    fired = [r["rule"] for r in frozen_json["recommendations"]]
    assert len(fired) > 3 and len(milestone.rules) == Rule.objects.filter(enabled=True).count()

    edited = Rule.objects.get(key=fired[0])
    edited.title, edited.priority = "A new title", "consider"
    edited.save()
    rulefile.record_change(edited.key, "changed", {"title": ["x", "A new title"]}, staff_user)
    Rule.objects.filter(key__in=fired[1:3]).delete()
    _answer(p2_project, passkeys="single_domain")

    current = json.loads(owner_client.get(f"/projects/{p2_project.code}/plan.json").content)
    assert [r["rule"] for r in current["recommendations"]] != fired  # the plan did change
    for kind in ("pdf", "json", "svg"):
        assert _get(owner_client, p2_project, kind, 1) == before[kind], kind
    page_after = _get(owner_client, p2_project, "page", 1).decode()
    # Everything from the milestone's header on (the navigation bar carries a CSRF token).
    assert page_after.split('<div class="plan">')[1] == page_before.split('<div class="plan">')[1]
    assert "A new title" not in page_after and "Version 1 for Tally" in page_after


@pytest.mark.django_db
def test_diff_between_two_milestones_lists_exactly_what_changed(owner_client, p2_project):
    _save_milestone(owner_client, p2_project, name="First")
    _answer(p2_project, environments=["dev", "qa", "staging", "prod"], passkeys="single_domain")
    _save_milestone(owner_client, p2_project, name="Second")

    diff = json.loads(
        owner_client.get(f"/projects/{p2_project.code}/diff.json?from=1&to=2").content
    )
    assert [a["question"] for a in diff["answers"]] == ["passkeys", "environments"] or [
        a["question"] for a in diff["answers"]
    ] == ["environments", "passkeys"]
    assert {a["question"] for a in diff["answers"]} == {"environments", "passkeys"}
    envs = next(a for a in diff["answers"] if a["question"] == "environments")
    assert "Staging" in envs["after"] and "Staging" not in envs["before"]
    assert [t["name"] for t in diff["tenants"]["added"]] == ["tally-staging"]
    assert diff["tenants"]["removed"] == [] and diff["tenants"]["changed"] == []
    # Recommendations: exactly the difference the plan builder gives for the two answer sets.
    old = {r.key for r in build_plan_from_answers(P2, name="x").recommendations}
    new_answers = {**P2, "environments": ["dev", "qa", "staging", "prod"]}
    new_answers["passkeys"] = "single_domain"
    new = {r.key for r in build_plan_from_answers(new_answers, name="x").recommendations}
    assert {r["rule"] for r in diff["recommendations"]["added"]} == new - old
    assert {r["rule"] for r in diff["recommendations"]["removed"]} == old - new
    assert new != old
    assert diff["rules"] == {"added": [], "removed": [], "changed": []}  # same rule set
    assert diff["identical"] is False

    page = owner_client.get(f"/projects/{p2_project.code}/diff/?from=1&to=2").content.decode()
    assert "Added: <code>tally-staging</code>" in page
    assert "Answers (2 changed)" in page

    same = json.loads(
        owner_client.get(f"/projects/{p2_project.code}/diff.json?from=2&to=current").content
    )
    assert same["identical"] is True


@pytest.mark.django_db
def test_plan_says_it_differs_from_its_milestone_and_why(owner_client, p2_project, staff_user):
    _save_milestone(owner_client, p2_project, name="Baseline")
    url = f"/projects/{p2_project.code}/plan/"
    assert "This plan is exactly" in owner_client.get(url).content.decode()

    fired = json.loads(owner_client.get(f"/projects/{p2_project.code}/plan.json").content)
    rule = Rule.objects.get(key=fired["recommendations"][0]["rule"])
    rule.title = "Use one production tenant, really"
    rule.save()
    rulefile.record_change(rule.key, "changed", {"title": ["old", rule.title]}, staff_user)
    page = owner_client.get(url).content.decode()
    assert "This plan differs from its latest milestone" in page
    assert "The rule “Use one production tenant, really” was edited by sam on" in page
    assert "answer changed" not in page

    _answer(p2_project, passkeys="single_domain")
    page = owner_client.get(url).content.decode()
    assert "1 answer changed: Passkeys" in page or "1 answer changed:" in page

    diff = json.loads(owner_client.get(f"/projects/{p2_project.code}/diff.json").content)
    assert diff["from"]["version"] == "1" and diff["to"]["version"] == "current"
    changed = diff["rules"]["changed"]
    assert [(c["key"], list(c["changes"]), c["by"]["user"]) for c in changed] == [
        (rule.key, ["title"], "sam")
    ]


@pytest.mark.django_db
def test_viewer_reads_milestones_but_cannot_save_one(django_user_model, owner_client, p2_project):
    _save_milestone(owner_client, p2_project)
    viewer = django_user_model.objects.create_user(username="vera")
    Membership.objects.create(project=p2_project, user=viewer, role="viewer")
    client = Client()
    client.force_login(viewer)
    for kind in ("page", "pdf", "json"):
        _get(client, p2_project, kind, 1)
    assert client.get(f"/projects/{p2_project.code}/diff/?from=1").status_code == 200
    page = client.get(f"/projects/{p2_project.code}/milestones/").content.decode()
    assert "Milestone 1: Sent to the customer" in page and "Save a milestone</button>" not in page
    response = client.post(f"/projects/{p2_project.code}/milestones/", {"name": "Mine"})
    assert response.status_code == 403
    assert Milestone.objects.count() == 1


@pytest.mark.django_db
def test_milestone_needs_a_name_and_keeps_the_note(owner_client, project):
    response = owner_client.post(
        f"/projects/{project.code}/milestones/", {"name": "  ", "note": "My long note"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a name for the milestone." in page and "My long note" in page
    assert not Milestone.objects.exists()


@pytest.mark.django_db
def test_unknown_milestones_are_404(owner_client, project, other_client):
    for query in ("?milestone=7", "?milestone=abc", "?milestone=-1"):
        for name in ("plan/", "plan.pdf", "plan.json", "plan.svg"):
            url = f"/projects/{project.code}/{name}{query}"
            assert owner_client.get(url).status_code == 404, url
    assert owner_client.get(f"/projects/{project.code}/diff/?from=9").status_code == 404
    assert other_client.get(f"/projects/{project.code}/diff/").status_code == 404
    assert other_client.get(f"/projects/{project.code}/milestones/").status_code == 404


@pytest.mark.django_db
def test_finished_follows_the_answers(owner_client, p2_project):
    finish = owner_client.post(
        f"/projects/{p2_project.code}/finish/", {"version": p2_project.version}
    )
    assert finish.status_code == 302
    _save_milestone(owner_client, p2_project, name="Finished plan")
    assert Milestone.objects.get().finished is True
    detail = f"/projects/{p2_project.code}/"
    assert ">Finished<" in owner_client.get(detail).content.decode()

    original = p2_project.answers["passkeys"]
    section = "custom_domains"
    post = {"version": str(p2_project.version), "shown": ["passkeys"], "passkeys": "single_domain"}
    owner_client.post(f"/projects/{p2_project.code}/wizard/{section}/", {**post, "action": "back"})
    p2_project.refresh_from_db()
    assert p2_project.answers["passkeys"] == "single_domain"
    page = owner_client.get(detail).content.decode()
    assert "Finished at milestone 1; 1 answer changed since" in page
    assert "Finished ·" not in owner_client.get("/").content.decode()

    post = {"version": str(p2_project.version), "shown": ["passkeys"], "passkeys": original}
    owner_client.post(f"/projects/{p2_project.code}/wizard/{section}/", {**post, "action": "back"})
    assert ">Finished<" in owner_client.get(detail).content.decode()
    assert "Finished ·" in owner_client.get("/").content.decode()


@pytest.mark.django_db
def test_project_page_lists_milestones(owner_client, project):
    Milestone.objects.create(
        project=project,
        number=1,
        name="Draft for review",
        answers={},
        rules=[],
        ruleset_version="x",
        fingerprint="y",
        plan_json="{}",
        page_html="",
        pdf=b"",
        pdf_filename="a.pdf",
    )
    page = owner_client.get(f"/projects/{project.code}/").content.decode()
    assert "Milestone 1: Draft for review" in page
    assert f"/projects/{project.code}/plan/?milestone=1" in page


CHAPTER = re.compile(
    r'<section class="plan-section" aria-labelledby="([^"]+)">\s*<h2 id="\1">([^<]+)</h2>'
)
P8 = json.loads((Path(__file__).parent / "data" / "examples_v2.json").read_text())[
    "p8-hr-suite-mixed-roster"
]["answers"]


@pytest.mark.django_db
def test_milestone_page_shows_every_chapter_of_the_plan_page(owner_client, project, owner):
    call_command("load_rules", verbosity=0)
    project.answers = dict(P8)
    project.save()
    first = build_plan(project).checklist[0].items[0]
    checklist.set_item(project, owner, first.rule, True)
    live = owner_client.get(f"/projects/{project.code}/plan/").content.decode()
    _save_milestone(owner_client, project)
    frozen = _get(owner_client, project, "page", 1).decode()

    chapters = CHAPTER.findall(live)
    assert [key for key, _ in chapters][:3] == ["conflicts", "summary", "decisions"]
    assert {"customers", "dns", "usage", "checklist"} <= {key for key, _ in chapters}
    assert CHAPTER.findall(frozen) == chapters
    nav = re.compile(r'<a class="nav-link" href="#([a-z]+)">')
    assert nav.findall(frozen) == nav.findall(live)
    # The same content: a decision, a customer, a DNS row, the usage.
    for text in ("login.contoso.com", "contoso-entra-id", "Multiple Custom Domains", "Decision."):
        assert text in live and text in frozen, text
    # Checklist progress: live with a link to tick, frozen as it was when saved.
    assert "Tick items</a>" in live and "Tick items" not in frozen
    assert "Progress when this milestone was saved: " in frozen
    progress = re.search(r"Progress when this milestone was saved: ([^.]+)\.", frozen)
    assert progress and re.search(r" 1/\d+", progress.group(1))
