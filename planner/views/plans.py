"""The plan of a project: the page, and its PDF, SVG and JSON downloads."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from planner import pdf
from planner.access import get_project_for_user
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
    """Download the plan as a PDF, rendered once per fingerprint and then served from disk."""
    project = get_project_for_user(request.user, code)
    the_plan = build_plan(project)
    try:
        path = pdf.cached_plan_pdf(the_plan)
    except pdf.RenderBusy:
        retry = settings.PLANNER_PDF_RETRY_SECONDS
        response = render(
            request,
            "planner/pdf_busy.html",
            {"project": project, "retry": retry, "pdf_url": request.path},
            status=503,
        )
        response["Retry-After"] = str(retry)
        return response
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=pdf.pdf_filename(the_plan),
        content_type=pdf.CONTENT_TYPE,
    )


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
    """Download the plan as data (schema planner.plan/2)."""
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
