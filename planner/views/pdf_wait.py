"""The page a PDF download answers while a worker renders it, or once rendering failed."""

from django.http import HttpResponse
from django.shortcuts import render

from planner import tasks
from planner.models import PlanPdf


def waiting_page(request, row: PlanPdf, context: dict) -> HttpResponse:
    """Return the waiting page for this render: 202 with a refresh (and Retry-After) while it
    is queued or rendering, 500 with the error once it failed. ``context`` names the project
    and the page's links (the plan's and a milestone's downloads differ only there)."""
    failed = row.status == PlanPdf.FAILED
    refresh = tasks.refresh_seconds(row)
    context = {**context, "failed": failed, "error": row.error, "refresh": refresh}
    response = render(request, "planner/pdf_wait.html", context, status=500 if failed else 202)
    if not failed:
        response["Retry-After"] = str(refresh)
        response["Cache-Control"] = "no-store"
    return response
