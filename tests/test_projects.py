"""Projects: list, create, rename, duplicate, delete, and the project page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from planner import catalog
from planner.models import AnswerChange, Project
from tests.helpers import EXAMPLES

EXAMPLE = EXAMPLES["p1-five-enterprise-customers"]["answers"]


def section_answers(section_key):
    return {k: v for k, v in EXAMPLE.items() if catalog.QUESTIONS[k].section == section_key}


def make_projects(owner, count):
    """Create projects named "Project 0" (oldest) … with distinct creation times."""
    now = timezone.now()
    for i in range(count):
        p = Project.objects.create(owner=owner, name=f"Project {i}")
        Project.objects.filter(pk=p.pk).update(created_at=now - timedelta(minutes=count - i))


@pytest.mark.django_db
def test_empty_list_invites_to_create_the_first_project(owner_client):
    response = owner_client.get("/")
    assert response.status_code == 200
    assert "No projects yet" in response.text
    assert 'href="/projects/new/">Create your first project</a>' in response.text


@pytest.mark.django_db
def test_list_is_newest_first_and_paginated_by_20(owner_client, owner, other_user):
    make_projects(owner, 23)
    Project.objects.create(owner=other_user, name="Someone else's")
    first = owner_client.get("/").text
    names = [f"Project {i}<" for i in range(22, 2, -1)]
    positions = [first.index(name) for name in names]
    assert positions == sorted(positions)
    assert "Project 2<" not in first
    assert "Someone else" not in first
    assert "Page 1 of 2" in first
    second = owner_client.get("/?page=2").text
    assert all(f"Project {i}<" in second for i in range(3))
    assert "Project 3<" not in second
    assert "Page 2 of 2" in second


@pytest.mark.django_db
def test_list_shows_progress_and_update_time(owner_client, project):
    project.answers = {
        k: v for k, v in EXAMPLE.items() if catalog.QUESTIONS[k].section == "context"
    }
    project.save()
    html = owner_client.get("/").text
    # Context, customers (an empty roster is fine) and security (all optional): complete.
    assert "3 of 7 sections complete" in html
    assert f'datetime="{project.updated_at.isoformat()}"' in html


@pytest.mark.django_db
def test_create_project_opens_the_wizard(owner_client, owner):
    response = owner_client.get("/projects/new/")
    assert 'name="name"' in response.text and 'name="description"' in response.text
    response = owner_client.post(
        "/projects/new/", {"name": "  Hoopla  ", "description": "Our B2B SaaS"}
    )
    project = Project.objects.get(owner=owner)
    assert response.url == f"/projects/{project.code}/wizard/context/"
    assert (project.name, project.description) == ("Hoopla", "Our B2B SaaS")
    assert project.answers == {} and project.version == 1


@pytest.mark.django_db
def test_create_project_needs_a_name(owner_client):
    response = owner_client.post("/projects/new/", {"name": "   ", "description": "x"})
    assert response.status_code == 200
    assert "This field is required." in response.text or "Enter a name" in response.text
    assert Project.objects.count() == 0


@pytest.mark.django_db
def test_rename_changes_name_and_description_only(owner_client, project):
    project.answers = {"company_name": "Hoopla"}
    project.version = 4
    project.save()
    url = f"/projects/{project.code}/edit/"
    assert 'value="Hoopla identity platform"' in owner_client.get(url).text
    response = owner_client.post(url, {"name": "Renamed", "description": "New words"})
    assert response.url == f"/projects/{project.code}/"
    project.refresh_from_db()
    assert (project.name, project.description) == ("Renamed", "New words")
    assert project.answers == {"company_name": "Hoopla"} and project.version == 4


@pytest.mark.django_db
def test_duplicate_copies_answers_but_not_history(owner_client, owner, project):
    project.answers = dict(EXAMPLE)
    project.touched_sections = ["context", "sdlc"]
    project.save()
    AnswerChange.objects.create(project=project, user=owner, section="context", question="x")
    url = f"/projects/{project.code}/duplicate/"
    assert "Copy of Hoopla identity platform" in owner_client.get(url).text
    response = owner_client.post(url)
    copy = Project.objects.exclude(pk=project.pk).get()
    assert response.url == f"/projects/{copy.code}/"
    assert copy.name == "Copy of Hoopla identity platform"
    assert copy.owner == owner and copy.code != project.code
    assert copy.answers == EXAMPLE
    assert copy.touched_sections == ["context", "sdlc"]
    assert copy.changes.count() == 0 and project.changes.count() == 1


@pytest.mark.django_db
def test_delete_asks_for_confirmation_then_deletes(owner_client, project):
    url = f"/projects/{project.code}/delete/"
    response = owner_client.get(url)
    assert response.status_code == 200
    assert "Delete “Hoopla identity platform”?" in response.text
    assert Project.objects.filter(pk=project.pk).exists()
    response = owner_client.post(url)
    assert response.url == "/"
    assert not Project.objects.filter(pk=project.pk).exists()
    assert "deleted" in owner_client.get("/").text


@pytest.mark.django_db
def test_detail_shows_sections_continue_review_and_plan(owner_client, project):
    project.answers = {
        k: v for k, v in EXAMPLE.items() if catalog.QUESTIONS[k].section == "context"
    }
    project.answers["org_count"] = "lt_10"
    project.touched_sections = ["context", "provisioning"]
    project.save()
    html = owner_client.get(f"/projects/{project.code}/").text
    base = f"/projects/{project.code}"
    for sec in catalog.SECTIONS:
        assert f'href="{base}/wizard/{sec.key}/">{sec.title}</a>' in html
    assert 'state-complete">Complete<' in html
    assert 'state-has_errors">Has errors<' in html
    assert 'state-not_started">Not started<' in html
    assert f'href="{base}/wizard/provisioning/">Continue</a>' in html
    assert f'href="{base}/review/"' in html
    assert f'href="{base}/plan/"' in html


@pytest.mark.django_db
def test_detail_continue_goes_to_review_when_all_complete(owner_client, project):
    project.answers = dict(EXAMPLE)
    project.save()
    html = owner_client.get(f"/projects/{project.code}/").text
    assert ">Continue</a>" not in html
    assert f'href="/projects/{project.code}/review/">Review answers</a>' in html


@pytest.mark.django_db
def test_detail_shows_the_last_50_changes_newest_first_with_labels(owner_client, owner, project):
    now = timezone.now()
    for i in range(55):
        change = AnswerChange.objects.create(
            project=project,
            user=owner,
            section="context",
            question="subscription",
            old_value="free",
            new_value="enterprise" if i == 54 else "essentials",
        )
        AnswerChange.objects.filter(pk=change.pk).update(changed_at=now + timedelta(seconds=i))
    html = owner_client.get(f"/projects/{project.code}/").text
    assert html.count("<td>olivia</td>") == 50
    assert html.count(catalog.QUESTIONS["subscription"].label) == 50
    newest = html.index("<td>Enterprise</td>")
    assert newest < html.index("<td>Essentials</td>")
    assert "<td>Free</td>" in html


@pytest.mark.django_db
def test_detail_without_history_says_so(owner_client, project):
    assert "No answers yet." in owner_client.get(f"/projects/{project.code}/").text


@pytest.mark.django_db
def test_duplicate_does_not_say_no_answers_yet(owner_client, project):
    project.answers = dict(EXAMPLE)
    project.save()
    owner_client.post(f"/projects/{project.code}/duplicate/")
    copy = Project.objects.exclude(pk=project.pk).get()
    html = owner_client.get(f"/projects/{copy.code}/").text
    assert "No answers yet." not in html
    assert "answers were copied from another project" in html


@pytest.mark.django_db
def test_history_shows_the_latest_five_and_folds_the_rest(owner_client, owner, project):
    for n in range(12):
        AnswerChange.objects.create(
            project=project,
            user=owner,
            section="context",
            question="company_name",
            old_value=f"Name {n}",
            new_value=f"Name {n + 1}",
        )
    html = owner_client.get(f"/projects/{project.code}/").text
    visible, _, folded = html.partition('<details class="history-more">')
    assert visible.count('<td class="text-nowrap"><time') == 5
    assert "<summary>Show all 12 changes</summary>" in folded
    assert folded.count('<td class="text-nowrap"><time') == 7


@pytest.mark.django_db
def test_navigation_collapses_on_small_screens(owner_client, project):
    html = owner_client.get(f"/projects/{project.code}/").text
    assert 'class="navbar-toggler"' in html and 'data-bs-target="#main-nav"' in html
    assert '<div class="collapse navbar-collapse" id="main-nav">' in html
