"""A project is its owner's only: other users get 404 everywhere, anonymous users sign in."""

import pytest
from django.test import Client

from planner import catalog
from planner.models import AnswerChange, Project


def project_urls(project):
    """Return every URL of a project: pages, forms and actions."""
    base = f"/projects/{project.code}"
    return [
        f"{base}/",
        f"{base}/edit/",
        f"{base}/duplicate/",
        f"{base}/delete/",
        *(f"{base}/wizard/{sec.key}/" for sec in catalog.SECTIONS),
        f"{base}/review/",
        f"{base}/finish/",
    ]


@pytest.fixture
def answered_project(project, owner):
    project.answers = {"company_name": "Hoopla", "tenant_prefix": "hoopla"}
    project.touched_sections = ["context"]
    project.save()
    AnswerChange.objects.create(
        project=project, user=owner, section="context", question="company_name", new_value="x"
    )
    return project


@pytest.mark.django_db
def test_other_user_gets_404_on_every_project_url(other_client, answered_project):
    before = Project.objects.values().get(pk=answered_project.pk)
    post = {
        "version": str(answered_project.version),
        "name": "Stolen",
        "shown": ["company_name"],
        "company_name": "Mallory Inc.",
        "action": "next",
    }
    for url in project_urls(answered_project):
        assert other_client.get(url).status_code == 404, f"GET {url}"
        assert other_client.post(url, post).status_code == 404, f"POST {url}"
    assert Project.objects.values().get(pk=answered_project.pk) == before
    assert Project.objects.count() == 1
    assert AnswerChange.objects.count() == 1


@pytest.mark.django_db
def test_unknown_project_is_404_for_its_would_be_owner(owner_client, project):
    url = "/projects/00000000-0000-0000-0000-000000000000/"
    assert owner_client.get(url).status_code == 404
    assert owner_client.get("/projects/not-a-uuid/").status_code == 404


@pytest.mark.django_db
def test_staff_get_404_on_other_users_projects_too(staff_client, project):
    for url in project_urls(project):
        assert staff_client.get(url).status_code == 404, f"GET {url}"


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in(project):
    client = Client()
    for url in ["/", "/projects/new/", *project_urls(project)]:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, f"{method.__name__} {url}"
            assert response.url.startswith("/accounts/login/?next="), url
    assert Project.objects.count() == 1


@pytest.mark.django_db
def test_owner_reaches_every_project_page(owner_client, answered_project):
    for url in project_urls(answered_project):
        response = owner_client.get(url)
        assert response.status_code in (200, 302), f"GET {url}"
