"""Accounts: accepting an invitation (sign-up is by invitation only) and password reset."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.views.decorators.http import require_http_methods

from planner import invitations
from planner.forms import InvitedSignUpForm

INVALID_LINK = {
    "invalid": (
        "This invitation link is not valid",
        "The link is incomplete or was changed, or the project it invited you to was deleted. "
        "Copy the whole link from the email, or ask the person who invited you for a new one.",
    ),
    "expired": (
        "This invitation has expired",
        "Invitation links work for a limited time. Ask the person who invited you to send a "
        "new invitation from the project's Sharing page.",
    ),
    "used": (
        "This invitation has already been used",
        "Each invitation link works once. If you accepted it, sign in with the username and "
        "password you chose; if you forgot the password, reset it from the sign-in page.",
    ),
}


def _refused(request, reason: str):
    title, text = INVALID_LINK[reason]
    status = 400 if reason == "invalid" else 410
    return render(
        request,
        "registration/invitation_invalid.html",
        {"title": title, "text": text},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    """Show the invitation; create the invitee's account (or use the signed-in one) and join."""
    try:
        invitation = invitations.invitation_for_token(token)
    except invitations.InvitationError as error:
        return _refused(request, error.reason)
    if request.user.is_authenticated:
        if request.method == "POST":
            return _join(request, invitation, request.user)
        return render(request, "registration/invitation.html", {"invitation": invitation})
    default_username = invitation.email.split("@")[0][:150]
    form = InvitedSignUpForm(
        request.POST or None, email=invitation.email, initial={"username": default_username}
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitations.invitation_for_token(token)  # still unused while the form was filled in
        except invitations.InvitationError as error:
            return _refused(request, error.reason)
        user = form.save()
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        return _join(request, invitation, user)
    return render(request, "registration/invitation.html", {"invitation": invitation, "form": form})


def _join(request, invitation, user):
    try:
        invitations.accept(invitation, user)
    except invitations.InvitationError as error:
        return _refused(request, error.reason)
    messages.success(request, f"Welcome! You are {invitation.role} on “{invitation.project.name}”.")
    return redirect(invitation.project)


urlpatterns = [
    path("accounts/invitation/<str:token>/", accept_invitation, name="accept_invitation"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="registration/password_reset.html",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_sent.html"
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_reset_new.html",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_finished.html"
        ),
        name="password_reset_complete",
    ),
]
