"""Accounts: invitations by email (signed, 7 days, once) and password reset end to end."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client
from django.utils import timezone

from planner.models import Invitation, Membership

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"  # noqa: S105


def _link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def _invite(owner_client, project, email="ann@example.com", role="editor"):
    response = owner_client.post(
        f"/projects/{project.code}/members/", {"action": "add", "who": email, "role": role}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _can_sign_in(username, password) -> bool:
    response = Client().post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def _sign_up(client, link, username="ann"):
    return client.post(
        link, {"username": username, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )


@pytest.mark.django_db
def test_invitee_sets_own_password_and_joins_with_the_role(owner_client, project, mailoutbox):
    _invite(owner_client, project)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ann@example.com"]
    assert project.name in message.subject and "7 days" in message.body
    link = _link(message)
    client = Client()
    page = client.get(link)
    assert page.status_code == 200
    assert "ann@example.com" in page.content.decode() and 'value="ann"' in page.content.decode()
    response = _sign_up(client, link)
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    user = get_user_model().objects.get(username="ann")
    assert user.email == "ann@example.com" and user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(project=project, user=user).role == "editor"
    assert client.get(project.get_absolute_url()).status_code == 200  # signed in
    assert Invitation.objects.get().accepted_by == user
    assert _can_sign_in("ann", NEW_PASSWORD)


@pytest.mark.django_db
def test_reused_invitation_is_refused_with_a_clear_page(owner_client, project, mailoutbox):
    _invite(owner_client, project)
    link = _link(mailoutbox[0])
    _sign_up(Client(), link)
    for client in (Client(), owner_client):
        response = client.get(link)
        assert response.status_code == 410
        assert "already been used" in response.content.decode()
    response = _sign_up(Client(), link, username="ann2")
    assert response.status_code == 410
    assert not get_user_model().objects.filter(username="ann2").exists()


@pytest.mark.django_db
def test_expired_invitation_is_refused_with_a_clear_page(
    owner_client, project, mailoutbox, monkeypatch
):
    _invite(owner_client, project)
    link = _link(mailoutbox[0])
    eight_days_later = time.time() + 8 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: eight_days_later)
    response = Client().get(link)
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert _sign_up(Client(), link).status_code == 410
    assert not get_user_model().objects.filter(username="ann").exists()


@pytest.mark.django_db
def test_six_days_old_invitation_still_works(owner_client, project, mailoutbox, monkeypatch):
    _invite(owner_client, project)
    six_days_later = time.time() + 6 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: six_days_later)
    assert Client().get(_link(mailoutbox[0])).status_code == 200


@pytest.mark.django_db
def test_tampered_invitation_link_is_refused(owner_client, project, mailoutbox):
    _invite(owner_client, project)
    link = _link(mailoutbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    other = signing.dumps(Invitation.objects.get().pk + 1, salt="something-else")
    for bad in (token[:-2] + "xx", other, "nonsense"):
        response = Client().get(f"/accounts/invitation/{bad}/")
        assert response.status_code == 400, bad
        assert "This invitation link is not valid" in response.content.decode()


@pytest.mark.django_db
def test_weak_password_is_refused_and_the_username_kept(owner_client, project, mailoutbox):
    _invite(owner_client, project)
    link = _link(mailoutbox[0])
    response = Client().post(link, {"username": "annie", "password1": "123", "password2": "123"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="annie"' in page and "too short" in page
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.django_db
def test_signed_in_user_joins_with_their_account(owner_client, project, mailoutbox, other_client):
    _invite(owner_client, project, email="mallory@example.com", role="viewer")
    link = _link(mailoutbox[0])
    assert "Join as mallory" in other_client.get(link).content.decode()
    assert other_client.post(link).status_code == 302
    assert Membership.objects.get(project=project, user__username="mallory").role == "viewer"


@pytest.mark.django_db
def test_only_owners_invite(django_user_model, project, mailoutbox):
    editor = django_user_model.objects.create_user(username="eddie")
    Membership.objects.create(project=project, user=editor, role="editor")
    client = Client()
    client.force_login(editor)
    response = client.post(
        f"/projects/{project.code}/members/",
        {"action": "add", "who": "x@example.com", "role": "owner"},
    )
    assert response.status_code == 403
    assert not mailoutbox and not Invitation.objects.exists()


@pytest.mark.django_db
def test_bad_email_address_is_refused_with_the_input_kept(owner_client, project, mailoutbox):
    response = owner_client.post(
        f"/projects/{project.code}/members/", {"action": "add", "who": "ann@", "role": "viewer"}
    )
    assert response.status_code == 400
    assert "is not an email address" in response.content.decode()
    assert 'value="ann@"' in response.content.decode()
    assert not mailoutbox


@pytest.mark.django_db
def test_password_reset_end_to_end(owner, mailoutbox):
    owner.email = "olivia@example.com"
    owner.save()
    client = Client()
    assert "Forgot your password?" in client.get("/accounts/login/").content.decode()
    response = client.post("/accounts/password-reset/", {"email": "olivia@example.com"})
    assert response.status_code == 302
    assert "Check your email" in client.get(response.url).content.decode()
    link = _link(mailoutbox[0])
    response = client.get(link)  # Django swaps the token for a session and redirects
    assert response.status_code == 302
    form_url = response.url
    assert "Choose a new password" in client.get(form_url).content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Your password was changed" in client.get(response.url).content.decode()
    assert _can_sign_in("olivia", NEW_PASSWORD)
    assert Client().get(link, follow=True).content.decode().count("cannot be used") == 1


@pytest.mark.django_db
def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(mailoutbox):
    response = Client().post("/accounts/password-reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and response.url == "/accounts/password-reset/sent/"
    assert not mailoutbox


@pytest.mark.django_db
def test_invitation_to_an_email_already_in_use_makes_no_second_account(
    owner_client, project, mailoutbox, django_user_model
):
    _invite(owner_client, project)
    link = _link(mailoutbox[0])
    # Meanwhile an administrator made an account with that address.
    django_user_model.objects.create_user(username="annie", email="Ann@Example.com")
    client = Client()
    page = client.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert "An account with ann@example.com already exists" in text
    assert "password1" not in text  # no sign-up form
    response = _sign_up(client, link)
    assert response.status_code == 409
    assert django_user_model.objects.filter(email__iexact="ann@example.com").count() == 1
    assert Invitation.objects.get().accepted_at is None  # still usable by signing in
    annie = django_user_model.objects.get(username="annie")
    signed_in = Client()
    signed_in.force_login(annie)
    assert signed_in.post(link).status_code == 302
    assert Membership.objects.get(project=project, user=annie).role == "editor"


@pytest.mark.django_db
def test_expired_invitations_are_marked_on_the_sharing_page(owner_client, project, mailoutbox):
    _invite(owner_client, project, email="old@example.com")
    Invitation.objects.update(created_at=timezone.now() - timedelta(days=8))
    _invite(owner_client, project, email="new@example.com")
    page = owner_client.get(f"/projects/{project.code}/members/").content.decode()
    old_line = next(line for line in page.splitlines() if "<li>old@example.com as" in line)
    new_line = next(line for line in page.splitlines() if "<li>new@example.com as" in line)
    assert "expired" in old_line and "invite old@example.com again" in old_line
    assert "expired" not in new_line
