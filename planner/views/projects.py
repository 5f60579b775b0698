"""Projects: list, create, rename, duplicate, delete, and the project page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_http_methods

from planner import milestones, wizard
from planner.access import EDITOR, OWNER, get_project_for_user, projects_for_user
from planner.forms import ProjectForm
from planner.models import Project

PROJECTS_PER_PAGE = 20
MILESTONES_ON_PROJECT_PAGE = 20


def finished_status(project: Project) -> str:
    """Return "Finished", "Finished at milestone 2; 3 answers changed since", or ""."""
    if project.is_finished:
        return "Finished"
    if project.finished_answers is None:
        return ""
    changed = project.answers_changed_since_finished()
    finished_milestones = project.milestones.filter(finished=True).order_by("-number")
    where = next(
        (
            number
            for number, answers in finished_milestones.values_list("number", "answers")[:50]
            if answers == project.finished_answers
        ),
        None,
    )
    at = f"at milestone {where}" if where else f"on {project.finished_at:%-d %b %Y}"
    return f"Finished {at}; {changed} answer{'s' if changed != 1 else ''} changed since"


def plan_url(project: Project) -> str:
    """Return the URL of the project's plan page (its view lives in views/plans.py)."""
    try:
        return reverse("plan", args=[project.code])
    except NoReverseMatch:
        return f"/projects/{project.code}/plan/"


@login_required
def home(request):
    """List the user's own projects and those shared with them, newest first, with progress."""
    mine = projects_for_user(request.user, OWNER).order_by("-created_at", "-id")
    shared = (
        projects_for_user(request.user)
        .exclude(role=OWNER)
        .select_related("owner")
        .order_by("-updated_at", "-id")
    )
    page = Paginator(mine, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    shared_page = Paginator(shared, PROJECTS_PER_PAGE).get_page(request.GET.get("shared_page"))
    for project in [*page.object_list, *shared_page.object_list]:
        project.complete_sections, project.all_sections = wizard.progress(project.answers)
    return render(request, "planner/home.html", {"page": page, "shared_page": shared_page})


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    """Create a project and open it."""
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = form.save(commit=False)
        project.owner = request.user
        project.save()
        messages.success(request, f"Project “{project.name}” created.")
        return redirect("wizard_section", code=project.code, section_key=wizard.SECTION_KEYS[0])
    return render(request, "planner/project_form.html", {"form": form, "project": None})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, code):
    """Rename a project and edit its description."""
    project = get_project_for_user(request.user, code, EDITOR)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        # Save only these fields: the answers and version belong to the wizard.
        form.instance.save(update_fields=["name", "description", "updated_at"])
        messages.success(request, "Project details saved.")
        return redirect(project)
    return render(request, "planner/project_form.html", {"form": form, "project": project})


@login_required
@require_http_methods(["GET", "POST"])
def project_duplicate(request, code):
    """Copy a project's answers into a new project (the history stays with the original)."""
    project = get_project_for_user(request.user, code, EDITOR)
    if request.method != "POST":
        return render(request, "planner/project_duplicate.html", {"project": project})
    copy = Project.objects.create(
        owner=request.user,
        name=f"Copy of {project.name}"[: Project._meta.get_field("name").max_length],
        description=project.description,
        answers=dict(project.answers),
        touched_sections=list(project.touched_sections),
    )
    messages.success(request, f"Created “{copy.name}”.")
    return redirect(copy)


@login_required
@require_http_methods(["GET", "POST"])
def project_delete(request, code):
    """Ask for confirmation, then delete the project and its history (owners only)."""
    project = get_project_for_user(request.user, code, OWNER)
    if request.method == "POST":
        name = project.name
        project.delete()
        messages.success(request, f"Project “{name}” deleted.")
        return redirect("home")
    return render(request, "planner/project_confirm_delete.html", {"project": project})


@login_required
def project_detail(request, code):
    """Show a project's sections, what to do next, and its answer history."""
    project = get_project_for_user(request.user, code)
    states = wizard.section_states(project)
    continue_key = wizard.first_incomplete_section(states)
    context = {
        "project": project,
        "states": states,
        "continue_key": continue_key,
        "plan_url": plan_url(project),
        "history": wizard.history_rows(project),
        "milestones": milestones.listing(project)[:MILESTONES_ON_PROJECT_PAGE],
        "finished": finished_status(project),
    }
    return render(request, "planner/project_detail.html", context)


urlpatterns = [
    path("", home, name="home"),
    path("projects/new/", project_create, name="project_create"),
    path("projects/<uuid:code>/", project_detail, name="project_detail"),
    path("projects/<uuid:code>/edit/", project_edit, name="project_edit"),
    path("projects/<uuid:code>/duplicate/", project_duplicate, name="project_duplicate"),
    path("projects/<uuid:code>/delete/", project_delete, name="project_delete"),
]
