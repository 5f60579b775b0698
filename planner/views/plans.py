"""The plan of a project: the page, and its PDF, SVG and JSON downloads."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from planner import checklist, milestones, pdf, tasks, teamwork
from planner.access import get_project_for_user
from planner.models import PlanPdf
from planner.plans import build_plan, plan_to_json
from planner.views import milestones as milestone_views
from planner.views import pdf_wait


@login_required
@require_safe
def plan(request, code):
    """Show the plan: summary, inventory, diagram, recommendations, warnings, checklist."""
    project = get_project_for_user(request.user, code)
    if milestone := milestone_views.requested_milestone(request, project):
        return milestone_views.milestone_page(request, project, milestone)
    the_plan = build_plan(project)
    return render(
        request,
        "planner/plan.html",
        {
            "project": project,
            "plan": the_plan,
            "wizard_links": getattr(project, "role", None) != "viewer",
            "plan_code": project.code,
            "since_milestone": milestones.since_latest(project, the_plan),
            "checklist_groups": checklist.tracked(project, the_plan),
        },
    )


WAIT_SALT = "planner.plan_pdf.wait"
WAIT_MAX_AGE = 3600  # seconds a waiting page's refresh link stays valid


def _wait_token(project, row, filename) -> str:
    return signing.dumps({"p": str(project.code), "k": row.key, "f": filename}, salt=WAIT_SALT)


def _waited_for(project, token: str) -> tuple[PlanPdf | None, str]:
    """Return the row and file name a waiting page's signed link names, for this project only."""
    try:
        data = signing.loads(token, salt=WAIT_SALT, max_age=WAIT_MAX_AGE)
    except signing.BadSignature:
        return None, ""
    if not isinstance(data, dict) or data.get("p") != str(project.code):
        return None, ""
    return PlanPdf.objects.filter(key=str(data.get("k"))).first(), str(data.get("f") or "")


@login_required
@require_safe
def plan_pdf(request, code):
    """Download the plan's PDF; while a worker renders it, a page that refreshes until ready.

    The waiting page refreshes with a signed link naming the PDF it waits for, so a refresh
    only looks the row up (no plan build, no HTML) until the PDF is ready or needs attention.
    """
    project = get_project_for_user(request.user, code)
    if milestone := milestone_views.requested_milestone(request, project):
        return milestone_views.milestone_pdf(request, project, milestone)
    row, filename = _waited_for(project, request.GET.get("wait", ""))
    if row is not None and row.status == PlanPdf.READY and row.file_name:
        storage = tasks.generated_storage()
        if storage.exists(row.file_name):
            return _pdf_response(storage, row, filename)
    waiting = row is not None and row.status in (PlanPdf.QUEUED, PlanPdf.RENDERING)
    if waiting and row and row.lease_until and row.lease_until > timezone.now():
        return _waiting(request, project, row, filename)
    the_plan = build_plan(project)
    filename = pdf.pdf_filename(the_plan)
    row = tasks.plan_pdf_for_download(
        the_plan, teamwork.for_print(project, the_plan), retry_failed="retry" in request.GET
    )
    if row.status == PlanPdf.READY:
        return _pdf_response(tasks.generated_storage(), row, filename)
    return _waiting(request, project, row, filename)


def _pdf_response(storage, row, filename):
    return FileResponse(
        storage.open(row.file_name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=pdf.CONTENT_TYPE,
    )


def _waiting(request, project, row, filename):
    wait = urlencode({"wait": _wait_token(project, row, filename)})
    context = {
        "project": project,
        "retry_url": f"{request.path}?retry=1",
        "wait_url": f"{request.path}?{wait}",
        "workers_idle_minutes": (
            tasks.workers_idle_minutes() if row.status == PlanPdf.QUEUED else None
        ),
    }
    return pdf_wait.waiting_page(request, row, context)


@login_required
@require_safe
def plan_svg(request, code):
    """Download the topology diagram as SVG."""
    project = get_project_for_user(request.user, code)
    if milestone := milestone_views.requested_milestone(request, project):
        return milestone_views.milestone_svg(milestone)
    the_plan = build_plan(project)
    response = HttpResponse(the_plan.svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{the_plan.filename_stem}-topology.svg"'
    )
    return response


@login_required
@require_safe
def plan_json(request, code):
    """Download the plan as data (schema planner.plan/2)."""
    project = get_project_for_user(request.user, code)
    if milestone := milestone_views.requested_milestone(request, project):
        return milestone_views.milestone_json(milestone)
    the_plan = build_plan(project)
    response = JsonResponse(plan_to_json(the_plan), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{the_plan.filename_stem}-plan.json"'
    return response


urlpatterns = [
    path("projects/<uuid:code>/plan/", plan, name="plan"),
    path("projects/<uuid:code>/plan.pdf", plan_pdf, name="plan_pdf"),
    path("projects/<uuid:code>/plan.svg", plan_svg, name="plan_svg"),
    path("projects/<uuid:code>/plan.json", plan_json, name="plan_json"),
]
