"""Invitations: a signed link, emailed, valid for PLANNER_INVITATION_DAYS and usable once.

The token signs the invitation's id with a timestamp (django.core.signing), so the link cannot
be forged or altered, and its age is checked without storing it; ``accepted_at`` makes it
single-use.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from planner import sharing
from planner.models import ROLE_RANK, Invitation, Project

SALT = "planner.invitation"


class InvitationError(Exception):
    """A link that cannot be used; ``reason`` is invalid, expired or used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def max_age_seconds() -> int:
    return settings.PLANNER_INVITATION_DAYS * 24 * 3600


def is_expired(invitation: Invitation, now=None) -> bool:
    """Return whether the invitation's link has expired (it was sent too long ago)."""
    now = now or timezone.now()
    return (now - invitation.created_at).total_seconds() > max_age_seconds()


def email_in_use(email: str) -> bool:
    """Return whether an account already has this email (case-insensitive)."""
    return get_user_model().objects.filter(email__iexact=email.strip()).exists()


def token_for(invitation: Invitation) -> str:
    """Return the signed token of the invitation's link."""
    return signing.dumps(invitation.pk, salt=SALT, compress=False)


def invitation_for_token(token: str) -> Invitation:
    """Return the invitation a token names, or raise InvitationError saying why not."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=max_age_seconds())
    except signing.SignatureExpired:
        raise InvitationError("expired") from None
    except signing.BadSignature:
        raise InvitationError("invalid") from None
    invitation = Invitation.objects.select_related("project", "invited_by").filter(pk=pk).first()
    if invitation is None:
        raise InvitationError("invalid")  # its project was deleted
    if invitation.accepted_at is not None:
        raise InvitationError("used")
    return invitation


def invite(project: Project, by, email: str, role: str, base_url: str) -> Invitation:
    """Create an invitation and email its link; ``base_url`` is e.g. https://host."""
    invitation = Invitation.objects.create(project=project, email=email, role=role, invited_by=by)
    link = base_url + reverse("accept_invitation", args=[token_for(invitation)])
    inviter = by.get_full_name() or by.get_username()
    send_mail(
        subject=f"{inviter} invited you to “{project.name}” on Planner",
        message=(
            f"{inviter} invited you to work on the Auth0 tenant architecture plan "
            f"“{project.name}” as {role}.\n\n"
            f"Open this link to choose a username and password and join:\n{link}\n\n"
            f"The link works once and expires in {settings.PLANNER_INVITATION_DAYS} days. "
            "If you did not expect it, ignore this email."
        ),
        from_email=None,
        recipient_list=[email],
    )
    return invitation


def accept(invitation: Invitation, user) -> None:
    """Use the invitation for ``user``: they join the project with its role, once.

    Raises InvitationError("used") when another request used it first.
    """
    with transaction.atomic():
        fresh = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if fresh.accepted_at is not None:
            raise InvitationError("used")
        updated = Invitation.objects.filter(pk=fresh.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now(), accepted_by=user
        )
        if not updated:
            raise InvitationError("used")
        existing = invitation.project.memberships.filter(user=user).first()
        # An existing member keeps a higher role; the invitation never demotes anyone.
        if existing is None or ROLE_RANK[existing.role] < ROLE_RANK[invitation.role]:
            sharing.add_member(invitation.project, invitation.invited_by, user, invitation.role)
