"""Milestones: the list, saving one, serving a milestone's page, PDF and JSON, and diffs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_safe

from planner import milestones, pdf, tasks
from planner.access import EDITOR, VIEWER, get_project_for_user, require_role
from planner.forms import MilestoneForm
from planner.views import pdf_wait


def _page(request, project, form, status=200):
    context = {"project": project, "form": form, "milestones": milestones.listing(project)}
    return render(request, "planner/milestones.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_list(request, code):
    """List the milestones; editors save a new one here."""
    project = get_project_for_user(request.user, code, VIEWER)
    if request.method != "POST":
        return _page(request, project, MilestoneForm())
    require_role(project, EDITOR)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        return _page(request, project, form, status=400)
    milestone = milestones.create(
        project,
        request.user,
        form.cleaned_data["name"],
        form.cleaned_data["note"],
        finished=project.is_finished,
    )
    messages.success(request, f"Saved milestone {milestone.number}: “{milestone.name}”.")
    return redirect(f"{project.get_absolute_url()}#milestones")


def requested_milestone(request, project):
    """Return the milestone ``?milestone=N`` names on a plan URL, None without it, or 404."""
    number = request.GET.get("milestone")
    if number is None:
        return None
    if not number.isdigit():
        raise Http404("No such milestone.")
    found = project.milestones.select_related("created_by").filter(number=int(number)).first()
    if found is None:
        raise Http404("No such milestone.")
    return found


def milestone_page(request, project, milestone):
    return render(request, "planner/milestone.html", {"project": project, "milestone": milestone})


def milestone_pdf(request, project, milestone):
    """Serve the milestone's PDF; while a worker renders it, a page that refreshes until ready."""
    row = tasks.milestone_pdf(milestone, retry_failed="retry" in request.GET)
    if row is not None:
        return _pdf_waiting(request, project, milestone, row)
    response = HttpResponse(bytes(milestone.pdf), content_type=pdf.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{milestone.pdf_filename}"'
    return response


def _pdf_waiting(request, project, milestone, row):
    url = f"{request.path}?milestone={milestone.number}"
    context = {
        "project": project,
        "milestone": milestone,
        "retry_url": f"{url}&retry=1",
        "wait_url": url,
    }
    return pdf_wait.waiting_page(request, row, context)


def milestone_json(milestone):
    response = HttpResponse(milestone.plan_json, content_type="application/json")
    stem = milestone.pdf_filename.removesuffix(".pdf")
    response["Content-Disposition"] = f'attachment; filename="{stem}-plan.json"'
    return response


def milestone_svg(milestone):
    response = HttpResponse(milestone.svg, content_type="image/svg+xml; charset=utf-8")
    stem = milestone.pdf_filename.removesuffix(".pdf")
    response["Content-Disposition"] = f'attachment; filename="{stem}-topology.svg"'
    return response


def _versions(request, project):
    """Return the two versions the diff compares: ?from=&to= (milestone number or current)."""
    latest = milestones.latest(project)
    default_from = str(latest.number) if latest else milestones.CURRENT
    keys = (
        request.GET.get("from") or default_from,
        request.GET.get("to") or milestones.CURRENT,
    )
    versions = [milestones.version(project, key) for key in keys]
    if None in versions:
        raise Http404("No such milestone to compare.")
    return versions


@login_required
@require_safe
def diff(request, code):
    """Show what changed between two versions (milestones or the current answers)."""
    project = get_project_for_user(request.user, code, VIEWER)
    before, after = _versions(request, project)
    context = {
        "project": project,
        "diff": milestones.compare(before, after),
        "choices": milestones.listing(project),
        "from_key": before.key,
        "to_key": after.key,
    }
    return render(request, "planner/diff.html", context)


@login_required
@require_safe
def diff_json(request, code):
    """The same comparison as data (schema planner.diff/1)."""
    project = get_project_for_user(request.user, code, VIEWER)
    before, after = _versions(request, project)
    return JsonResponse(milestones.compare(before, after), json_dumps_params={"indent": 2})


urlpatterns = [
    path("projects/<uuid:code>/milestones/", milestone_list, name="project_milestones"),
    path("projects/<uuid:code>/diff/", diff, name="project_diff"),
    path("projects/<uuid:code>/diff.json", diff_json, name="project_diff_json"),
]
