"""Who may open what: a project is its owner's only. Other users (staff included) get 404 on
every project URL, anonymous users are sent to sign in, the admin is for staff.

The project URLs are discovered from the URL configuration, so a new project URL is covered
(and must be given test values) without editing this module.
"""

import pytest
from django.test import Client
from django.urls import reverse

from planner import catalog
from planner.models import AnswerChange, Project
from tests.helpers import POST_ENDPOINTS, owner_post_data, project_routes, url_for

pytestmark = pytest.mark.django_db

SECTION_KEYS = [section.key for section in catalog.SECTIONS]
KNOWN_PROJECT_URL_NAMES = {
    "project_detail",
    "project_edit",
    "project_duplicate",
    "project_delete",
    "wizard_section",
    "wizard_review",
    "wizard_finish",
    "plan",
    "plan_pdf",
    "plan_svg",
    "plan_json",
    "plan_config",
    "plan_config_zip",
}
# Project URLs whose GET answers a redirect for the owner (they act on POST only).
OWNER_GET_REDIRECTS = {"wizard_finish"}
# The configuration zip of a plan with errors (the fixture's answers are incomplete) is refused
# with a page listing them.
OWNER_GET_REFUSED = {"plan_config_zip"}
ROUTES = project_routes()
ROUTE_IDS = [name + "".join(f"[{v}]" for v in kw.values()) for name, kw in ROUTES]


def project_urls(project):
    """Return every URL of a project's pages, forms and actions (the plan pages aside)."""
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


# --- the owner -------------------------------------------------------------------------------


def test_every_known_project_url_is_discovered():
    names = {name for name, _ in ROUTES}
    assert names >= KNOWN_PROJECT_URL_NAMES, KNOWN_PROJECT_URL_NAMES - names
    sections = {kw["section_key"] for name, kw in ROUTES if name == "wizard_section"}
    assert sections == set(SECTION_KEYS)


@pytest.mark.parametrize(("name", "kwargs"), ROUTES, ids=ROUTE_IDS)
def test_owner_can_open_every_project_url(
    owner_client, answered_project, name, kwargs, generated_dir
):
    url = url_for(answered_project, name, kwargs)
    response = owner_client.get(url)
    if name in OWNER_GET_REDIRECTS:
        assert response.status_code == 302, url
    elif name in OWNER_GET_REFUSED:
        assert response.status_code == 409, url
    else:
        assert response.status_code == 200, url


@pytest.mark.parametrize("name", sorted(POST_ENDPOINTS))
def test_owner_posts_answer_a_page_or_a_redirect(owner_client, answered_project, name):
    kwargs = {"section_key": SECTION_KEYS[0]} if name == "wizard_section" else {}
    url = url_for(answered_project, name, kwargs)
    response = owner_client.post(url, owner_post_data(answered_project, name, kwargs))
    assert response.status_code in (200, 302), url
    if name == "project_delete":
        assert not Project.objects.filter(pk=answered_project.pk).exists()


def test_plan_downloads_refuse_writes(owner_client, answered_project):
    for name in ("plan", "plan_pdf", "plan_svg", "plan_json", "plan_config", "plan_config_zip"):
        url = url_for(answered_project, name, {})
        assert owner_client.post(url).status_code == 405, url


def test_unknown_project_is_404_for_its_would_be_owner(owner_client, project):
    url = "/projects/00000000-0000-0000-0000-000000000000/"
    assert owner_client.get(url).status_code == 404
    assert owner_client.get("/projects/not-a-uuid/").status_code == 404


# --- other users -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kwargs"), ROUTES, ids=ROUTE_IDS)
def test_other_user_gets_404(other_client, answered_project, name, kwargs):
    url = url_for(answered_project, name, kwargs)
    before = Project.objects.values().get(pk=answered_project.pk)
    changes_before = AnswerChange.objects.count()
    assert other_client.get(url).status_code == 404, url
    if name in POST_ENDPOINTS:
        data = {
            **owner_post_data(answered_project, name, kwargs),
            "shown": ["company_name"],
            "company_name": "Mallory Inc.",
        }
        assert other_client.post(url, data).status_code == 404, url
    assert Project.objects.values().get(pk=answered_project.pk) == before
    assert Project.objects.count() == 1
    assert AnswerChange.objects.count() == changes_before


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


def test_staff_get_404_on_other_users_projects_too(staff_client, project):
    for url in project_urls(project):
        assert staff_client.get(url).status_code == 404, f"GET {url}"


# --- anonymous users -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kwargs"), ROUTES, ids=ROUTE_IDS)
def test_anonymous_is_sent_to_sign_in(client, answered_project, name, kwargs):
    url = url_for(answered_project, name, kwargs)
    for method in ("get", "post") if name in POST_ENDPOINTS else ("get",):
        response = getattr(client, method)(url)
        assert response.status_code == 302, f"{method} {url}"
        assert response["Location"].startswith(reverse("login") + "?next="), response["Location"]
        assert url in response["Location"].replace("%2F", "/")
    assert Project.objects.filter(pk=answered_project.pk).exists()


def test_anonymous_users_are_sent_to_sign_in(project):
    client = Client()
    for url in ["/", "/projects/new/", *project_urls(project)]:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, f"{method.__name__} {url}"
            assert response.url.startswith("/accounts/login/?next="), url
    assert Project.objects.count() == 1


# --- the admin -------------------------------------------------------------------------------


def test_admin_is_for_staff_only(owner_client, client):
    for path in ("/admin/", "/admin/planner/rule/", "/admin/planner/rule/reference/"):
        assert owner_client.get(path).status_code == 302, path
        assert "/admin/login/" in owner_client.get(path)["Location"]
        assert client.get(path).status_code == 302
