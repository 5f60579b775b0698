"""The one access helper: who may do what on a project, by their membership role.

Roles rank viewer < editor < owner. A user who is not a member gets 404 (the project's
existence does not leak); a member whose role is too low for the action gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F, FilteredRelation, Q
from django.http import Http404

from planner.models import ROLE_RANK, Membership, Project

VIEWER, EDITOR, OWNER = "viewer", "editor", "owner"


def get_project_for_user(user, code, role: str = VIEWER) -> Project:
    """Return the project with this code if the user holds at least ``role`` on it.

    Raises Http404 for anonymous users, unknown codes and non-members; PermissionDenied (403)
    for members whose role is lower. The returned project carries the user's ``role``.
    """
    if role not in ROLE_RANK:
        raise ValueError(f"Unknown role {role!r}")
    if not user.is_authenticated:
        raise Http404("No such project.")
    try:
        project = _with_role(Project.objects.select_related("owner"), user).get(
            code=code, role__isnull=False
        )
    except (Project.DoesNotExist, ValueError):
        raise Http404("No such project.") from None
    require_role(project, role)
    return project


def require_role(project: Project, role: str) -> None:
    """Raise PermissionDenied (403) unless the project's ``role`` (from this module) allows it."""
    if not has_role(getattr(project, "role", None), role):
        raise PermissionDenied(f"This needs the {role} role on the project.")


def has_role(held: str | None, needed: str) -> bool:
    """Return whether the role ``held`` allows what ``needed`` allows."""
    return held in ROLE_RANK and ROLE_RANK[held] >= ROLE_RANK[needed]


def projects_for_user(user, role: str = VIEWER):
    """Return a queryset of the projects the user holds at least ``role`` on, with ``role``."""
    if not user.is_authenticated:
        return Project.objects.none()
    allowed = [name for name in ROLE_RANK if has_role(name, role)]
    return _with_role(Project.objects.all(), user).filter(role__in=allowed)


def _with_role(queryset, user):
    # One join on the user's own membership: the role comes with the project in one query.
    return queryset.annotate(
        own_membership=FilteredRelation("memberships", condition=Q(memberships__user=user)),
        role=F("own_membership__role"),
    )


def owner_count(project: Project) -> int:
    """Return how many owners the project has."""
    return Membership.objects.filter(project=project, role=OWNER).count()


def admin_visible_projects(user):
    """Return the projects a staff user may read in the admin: all of them with the "view
    project" permission (the project admin shows them anyway), otherwise those
    shared with them (any role)."""
    if user.is_active and user.is_staff and user.has_perm("planner.view_project"):
        return Project.objects.all()
    return projects_for_user(user)
