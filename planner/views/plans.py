"""The plan of a project: the page, and its PDF, SVG and JSON downloads."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from planner import pdf, tasks
from planner.access import get_project_for_user
from planner.models import PlanPdf
from planner.plans import build_plan, plan_to_json


@login_required
@require_safe
def plan(request, code):
    """Show the plan: summary, inventory, diagram, recommendations, warnings, checklist."""
    project = get_project_for_user(request.user, code)
    return render(
        request,
        "planner/plan.html",
        {
            "project": project,
            "plan": build_plan(project),
            "wizard_links": True,
            "plan_code": project.code,
        },
    )


@login_required
@require_safe
def plan_pdf(request, code):
    """Download the plan's PDF; while a worker renders it, a page that refreshes until ready."""
    project = get_project_for_user(request.user, code)
    the_plan = build_plan(project)
    row = tasks.plan_pdf_for_download(the_plan, retry_failed="retry" in request.GET)
    if row.status == PlanPdf.READY:
        return FileResponse(
            tasks.generated_storage().open(row.file_name, "rb"),
            as_attachment=True,
            filename=pdf.pdf_filename(the_plan),
            content_type=pdf.CONTENT_TYPE,
        )
    failed = row.status == PlanPdf.FAILED
    refresh = settings.PLANNER_PDF_REFRESH_SECONDS
    response = render(
        request,
        "planner/pdf_wait.html",
        {
            "project": project,
            "failed": failed,
            "error": row.error,
            "refresh": refresh,
            "pdf_url": request.path,
        },
        status=500 if failed else 202,
    )
    if not failed:
        response["Retry-After"] = str(refresh)
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def plan_svg(request, code):
    """Download the topology diagram as SVG."""
    the_plan = build_plan(get_project_for_user(request.user, code))
    response = HttpResponse(the_plan.svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{the_plan.filename_stem}-topology.svg"'
    )
    return response


@login_required
@require_safe
def plan_json(request, code):
    """Download the plan as data (schema planner.plan/1)."""
    the_plan = build_plan(get_project_for_user(request.user, code))
    response = JsonResponse(plan_to_json(the_plan), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{the_plan.filename_stem}-plan.json"'
    return response


urlpatterns = [
    path("projects/<uuid:code>/plan/", plan, name="plan"),
    path("projects/<uuid:code>/plan.pdf", plan_pdf, name="plan_pdf"),
    path("projects/<uuid:code>/plan.svg", plan_svg, name="plan_svg"),
    path("projects/<uuid:code>/plan.json", plan_json, name="plan_json"),
]
