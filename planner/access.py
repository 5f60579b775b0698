"""The one access helper: a project is visible to its owner only."""

from django.http import Http404

from planner.models import Project


def get_project_for_user(user, code) -> Project:
    """Return the user's project with this code, or raise 404 (also for other users' projects)."""
    if not user.is_authenticated:
        raise Http404("No such project.")
    try:
        return Project.objects.select_related("owner").get(code=code, owner=user)
    except (Project.DoesNotExist, ValueError):
        raise Http404("No such project.") from None


def admin_visible_projects(user):
    """Return the projects a staff user may read in the admin: all of them with the "view
    project" permission (the project admin shows them anyway), otherwise only their own."""
    if user.is_active and user.is_staff and user.has_perm("planner.view_project"):
        return Project.objects.all()
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(owner=user)
