"""CSRF: every state-changing post needs the form's token (project URLs, sign-in, sign-out,
create, the admin's rule pages); with the token the same post succeeds."""

import pytest
from django.test import Client
from django.urls import reverse

from planner.models import Project, Rule
from tests.helpers import PASSWORD, owner_post_data, project_routes, signed_in_client, url_for

pytestmark = pytest.mark.django_db


def csrf_client(user=None) -> Client:
    if user is None:
        return Client(enforce_csrf_checks=True)
    return signed_in_client(user, enforce_csrf_checks=True)


def test_csrf_is_enforced_on_every_project_url(owner, answered_project):
    client = csrf_client(owner)
    before = Project.objects.values().get(pk=answered_project.pk)
    for name, kwargs in project_routes():
        url = url_for(answered_project, name, kwargs)
        data = owner_post_data(answered_project, name, kwargs)
        assert client.post(url, data).status_code == 403, url
    assert Project.objects.values().get(pk=answered_project.pk) == before
    assert Project.objects.count() == 1


def test_csrf_is_enforced_on_sign_in_sign_out_and_create(owner):
    anonymous = csrf_client()
    response = anonymous.post(reverse("login"), {"username": "olivia", "password": PASSWORD})
    assert response.status_code == 403
    signed_in = csrf_client(owner)
    assert signed_in.post(reverse("logout")).status_code == 403
    assert signed_in.get(reverse("home")).status_code == 200  # still signed in
    assert signed_in.post(reverse("project_create"), {"name": "Forged"}).status_code == 403
    assert not Project.objects.filter(name="Forged").exists()


def test_csrf_token_from_the_form_is_accepted(owner):
    """The control for the 403s above: with the form's token the same post succeeds."""
    client = csrf_client(owner)
    client.get(reverse("project_create"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("project_create"), {"name": "Real", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Project.objects.filter(name="Real").exists()


def test_csrf_is_enforced_on_admin_rule_pages(staff_user):
    client = csrf_client(staff_user)
    rule = Rule.objects.create(
        key="csrf-probe",
        section="context",
        title="Probe",
        recommendation="Do.",
        rationale="Why.",
        priority="should",
        condition="true",
    )
    change = reverse("admin:planner_rule_change", args=[rule.pk])
    assert client.get(change).status_code == 200
    data = {"key": "csrf-probe", "title": "Forged", "condition": "false"}
    assert client.post(change, data).status_code == 403
    assert client.post(reverse("admin:planner_rule_import")).status_code == 403
    assert client.post(reverse("admin:planner_rule_delete", args=[rule.pk])).status_code == 403
    rule.refresh_from_db()
    assert rule.title == "Probe" and rule.condition == "true"
