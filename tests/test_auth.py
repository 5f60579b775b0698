import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b"csrfmiddlewaretoken" in response.content


def test_sign_in_with_right_password_reaches_home(client, owner):
    response = client.post(
        reverse("login"), {"username": "olivia", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert b"Signed in as" in response.content and b"olivia" in response.content


def test_sign_in_with_wrong_password_is_refused_with_message(client, owner):
    response = client.post(reverse("login"), {"username": "olivia", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_post_and_ends_session(owner_client):
    assert owner_client.get(reverse("logout")).status_code == 405
    response = owner_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert owner_client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("url", ["/", "/admin/"])
def test_anonymous_users_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"] and "next=" in response["Location"]


def test_home_lists_only_own_projects(owner_client, project, other_user):
    from planner.models import Project

    Project.objects.create(owner=other_user, name="Someone else's secret")
    response = owner_client.get(reverse("home"))
    assert project.name.encode() in response.content
    assert b"secret" not in response.content


def test_staff_user_can_open_admin(staff_client):
    assert staff_client.get("/admin/").status_code == 200


def test_sign_in_is_throttled_after_repeated_failures(owner, settings):
    client = Client()
    for _ in range(settings.PLANNER_LOGIN_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "olivia", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "olivia", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_csrf_is_enforced_on_sign_in(owner):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "olivia", "password": PASSWORD})
    assert response.status_code == 403
