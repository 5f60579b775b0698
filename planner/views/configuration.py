"""Configuration as code: the plan's Deploy CLI and Terraform files, previewed and zipped.

Both pages work for the current plan and, with ``?milestone=N``, for a milestone's frozen plan.
A refused export (the plan has errors, or names Auth0 would reject) answers with the errors and
where to fix them, never a half-written zip.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from planner import configfiles, export, milestones
from planner.access import EDITOR, VIEWER, get_project_for_user, has_role
from planner.plans import build_plan
from planner.views import milestones as milestone_views

ZIP_CONTENT_TYPE = "application/zip"
# Up to this many files the tree shows unfolded; beyond, only the shown file's folders are.
UNFOLDED_FILES = 30


def _plan_and_milestone(request, project):
    """Return the plan the request names (a milestone's frozen one or the current) and the
    milestone (None for the current plan)."""
    milestone = milestone_views.requested_milestone(request, project)
    if milestone is not None:
        return milestones.frozen_plan(milestone), milestone
    return build_plan(project), None


def _archive_name(plan, milestone) -> str:
    name = export.archive_name(plan)
    if milestone is None:
        return name
    return f"{name.removesuffix('.zip')}-milestone-{milestone.number}.zip"


def _query(milestone, **params) -> str:
    """Return a query string keeping the milestone the page shows."""
    if milestone is not None:
        params = {"milestone": milestone.number, **params}
    return f"?{urlencode(params)}" if params else ""


def _common(project, plan, milestone) -> dict:
    return {
        "project": project,
        "plan": plan,
        "milestone": milestone,
        "may_edit": has_role(getattr(project, "role", None), EDITOR),
        "zip_url": reverse("plan_config_zip", args=[project.code]) + _query(milestone),
        "plan_url": reverse("plan", args=[project.code]) + _query(milestone),
    }


def _fix_link(project, error) -> dict | None:
    fix = configfiles.fix_for(error)
    if fix is None:
        return None
    url = reverse("wizard_section", args=[project.code, fix.section.key])
    return {"url": f"{url}#q-{fix.question}" if fix.question else url, "title": fix.section.title}


def _refused(request, project, plan, milestone, errors, status):
    """Render the errors that stop the export, each with a link to where it is fixed (for
    members who may edit the current answers)."""
    context = _common(project, plan, milestone)
    fixes = context["may_edit"] and milestone is None
    context["errors"] = [(error, _fix_link(project, error) if fixes else None) for error in errors]
    return render(request, "planner/config_refused.html", context, status=status)


@login_required
@require_safe
def config_zip(request, code):
    """Download the plan's configuration as code, one zip; refused with the errors to fix."""
    project = get_project_for_user(request.user, code, VIEWER)
    plan, milestone = _plan_and_milestone(request, project)
    try:
        files = export.config_files(plan)
    except export.ExportRefused as refused:
        return _refused(request, project, plan, milestone, refused.errors, status=409)
    response = HttpResponse(export.zip_bytes(files), content_type=ZIP_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, _archive_name(plan, milestone)
    )
    return response


@login_required
@require_safe
def config_preview(request, code):
    """Show the export's files as a tree and one file's content (``?file=PATH``)."""
    project = get_project_for_user(request.user, code, VIEWER)
    plan, milestone = _plan_and_milestone(request, project)
    try:
        files = export.config_files(plan)
    except export.ExportRefused as refused:
        return _refused(request, project, plan, milestone, refused.errors, status=200)
    first = next(iter(files), "")
    chosen = request.GET.get("file", first)
    found = chosen in files
    text = configfiles.file_text(files[chosen]) if found else ""
    tree = configfiles.file_tree(files, lambda path: _query(milestone, file=path))
    if len(files) > UNFOLDED_FILES:
        configfiles.fold(tree, chosen)
    context = _common(project, plan, milestone) | {
        "tree": tree,
        "file_count": len(files),
        "first_path": first,
        "first_link": _query(milestone, file=first) if first else "",
        "chosen": chosen,
        "found": found,
        "content": text,
        "lines": len(text.splitlines()),
        "size": len(files[chosen]) if found else 0,
        "kind": configfiles.file_kind(chosen) if found else "",
    }
    return render(request, "planner/config_preview.html", context, status=200 if found else 404)


urlpatterns = [
    path("projects/<uuid:code>/plan/config.zip", config_zip, name="plan_config_zip"),
    path("projects/<uuid:code>/plan/config/", config_preview, name="plan_config"),
]
