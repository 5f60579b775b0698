"""Sharing: the members page, where owners add people, change roles and remove members,
and where any member can leave. One URL: the form's ``action`` says which change it is."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from planner import invitations, sharing
from planner.access import OWNER, VIEWER, get_project_for_user, require_role
from planner.forms import AddMemberForm, RoleForm
from planner.models import ROLE_HELP


def _members_page(request, project, form, status=200):
    context = {
        "project": project,
        "members": project.memberships.select_related("user").order_by("user__username"),
        "form": form,
        "is_owner": project.role == OWNER,
        "my_role_help": ROLE_HELP[project.role],
        "history": project.sharing_changes.select_related("user")[:50],
        "invitations": _pending_invitations(project),
    }
    return render(request, "planner/members.html", context, status=status)


def _pending_invitations(project) -> list:
    """Return the invitations not yet accepted, newest first, each marked when expired."""
    pending = list(
        project.invitations.filter(accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")[:50]
    )
    now = timezone.now()
    for invitation in pending:
        invitation.expired = invitations.is_expired(invitation, now)
    return pending


def _member_id(request) -> int | None:
    try:
        return int(request.POST.get("member", ""))
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def members(request, code):
    """Show who the project is shared with; on POST add, change, remove or leave."""
    project = get_project_for_user(request.user, code, VIEWER)
    action = request.POST.get("action", "add")
    if request.method != "POST":
        return _members_page(request, project, AddMemberForm())
    if action == "leave":
        return _leave(request, project)
    require_role(project, OWNER)
    if action == "role":
        return _change_role(request, project)
    if action == "remove":
        return _remove(request, project)
    return _add(request, project)


def _back(project):
    return redirect("project_members", code=project.code)


def _add(request, project):
    form = AddMemberForm(request.POST)
    if not form.is_valid():
        return _members_page(request, project, form, status=400)
    who, role = form.cleaned_data["who"], form.cleaned_data["role"]
    user = sharing.find_user(who)
    if user is None and "@" in who:
        return _invite(request, project, form, who, role)
    if user is None:
        form.add_error(
            "who",
            f"No one with the username or email “{who}” has an account. Check the spelling, "
            "or enter their email address to invite them.",
        )
        return _members_page(request, project, form, status=400)
    try:
        sharing.add_member(project, request.user, user, role)
    except sharing.SharingError as error:
        form.add_error(None, str(error))
        return _members_page(request, project, form, status=400)
    messages.success(request, f"{user.get_username()} is now {role} on this project.")
    return _back(project)


def _invite(request, project, form, email, role):
    try:
        validate_email(email)
    except ValidationError:
        form.add_error("who", f"“{email}” is not an email address: check it, e.g. ann@example.com.")
        return _members_page(request, project, form, status=400)
    base_url = request.build_absolute_uri("/").rstrip("/")
    try:
        invitations.invite(project, request.user, email, role, base_url)
    except OSError:
        # Nothing sent: say so rather than pretend (the SMTP server is down or misconfigured).
        form.add_error(None, "The invitation email could not be sent. Try again later.")
        return _members_page(request, project, form, status=503)
    messages.success(
        request,
        f"Invitation sent to {email} as {role}. The link works once, for "
        f"{settings.PLANNER_INVITATION_DAYS} days.",
    )
    return _back(project)


def _change_role(request, project):
    form = RoleForm(request.POST)
    user_id = _member_id(request)
    if not form.is_valid() or user_id is None:
        messages.error(request, "Choose a member and a role: viewer, editor or owner.")
        return _back(project)
    try:
        membership = sharing.set_role(project, request.user, user_id, form.cleaned_data["role"])
    except sharing.SharingError as error:
        messages.error(request, str(error))
        return _back(project)
    messages.success(request, f"{membership.user.get_username()} is now {membership.role}.")
    if user_id == request.user.pk and membership.role != OWNER:
        return redirect(project)
    return _back(project)


def _remove(request, project):
    user_id = _member_id(request)
    if user_id == request.user.pk:
        return _leave(request, project)
    if user_id is None:
        messages.error(request, "Choose the member to remove.")
        return _back(project)
    try:
        sharing.remove_member(project, request.user, user_id)
    except sharing.SharingError as error:
        messages.error(request, str(error))
        return _back(project)
    messages.success(request, "Member removed.")
    return _back(project)


def _leave(request, project):
    try:
        sharing.remove_member(project, request.user, request.user.pk)
    except sharing.SharingError as error:
        messages.error(request, str(error))
        return _back(project)
    messages.success(request, f"You left “{project.name}”.")
    return redirect("home")


urlpatterns = [
    path("projects/<uuid:code>/members/", members, name="project_members"),
]
