"""Signing in and out, and the sign-in throttle (lockout per username and address)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import PASSWORD

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


# --- sign-in throttling ----------------------------------------------------------------------


def _attempt(client, username, password, ip):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_lockout_refuses_the_right_password_and_says_why(owner, settings):
    client = Client()
    for _ in range(settings.PLANNER_LOGIN_FAILURE_LIMIT):
        response = _attempt(client, "olivia", "wrong", "203.0.113.7")
    response = _attempt(client, "olivia", PASSWORD, "203.0.113.7")
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session
    # Still locked on the next try, and the home page stays out of reach.
    assert _attempt(client, "olivia", PASSWORD, "203.0.113.7").status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_lockout_is_per_username_and_address(owner, other_user, settings):
    attacker = Client()
    for _ in range(settings.PLANNER_LOGIN_FAILURE_LIMIT):
        _attempt(attacker, "olivia", "wrong", "203.0.113.7")
    assert _attempt(attacker, "olivia", PASSWORD, "203.0.113.7").status_code == 429
    # Same address, other account: not locked.
    other = Client()
    response = _attempt(other, "mallory", PASSWORD, "203.0.113.7")
    assert response.status_code == 302 and "_auth_user_id" in other.session
    # Same account, other address: not locked (the owner is not locked out by an attacker).
    elsewhere = Client()
    response = _attempt(elsewhere, "olivia", PASSWORD, "198.51.100.20")
    assert response.status_code == 302 and "_auth_user_id" in elsewhere.session


def test_failures_below_the_limit_do_not_lock(owner, settings):
    client = Client()
    for _ in range(settings.PLANNER_LOGIN_FAILURE_LIMIT - 1):
        response = _attempt(client, "olivia", "wrong", "203.0.113.7")
        assert response.status_code == 200
        assert b"Please enter a correct username and password" in response.content
    response = _attempt(client, "olivia", PASSWORD, "203.0.113.7")
    assert response.status_code == 302 and "_auth_user_id" in client.session
