"""PDFs rendered by background workers (``manage.py db_worker``), once per exact print document.

A PDF is keyed by a hash of exactly what is printed: the HTML handed to WeasyPrint and its
stylesheet. One ``PlanPdf`` row per key (a unique column) holds that HTML, so whichever worker on
whichever machine claims it renders exactly the keyed document, and only one render runs at a
time per key. A claim is a lease: a render not finished when its lease runs out is taken for a
dead worker's and queued again (at most PLANNER_PDF_MAX_ATTEMPTS times); failures are recorded
and shown. Files go to the "generated" storage, so every machine can serve them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.tasks import task
from django.utils import timezone

from planner import pdf
from planner.models import Milestone, PlanPdf
from planner.plans import Plan
from planner.teamwork import Teamwork

__all__ = [
    "milestone_pdf",
    "plan_pdf_for_download",
    "print_key",
    "queue_plan_pdf",
    "render_pdf",
    "retry_failed",
    "workers_idle_minutes",
]

logger = logging.getLogger(__name__)
# Downloads refresh "last used" at most this often, not on every request.
LAST_USED_RESOLUTION = timedelta(hours=1)


def generated_storage():
    return storages["generated"]


@cache
def _stylesheet_bytes() -> bytes:
    return Path(str(finders.find(pdf.STYLESHEET))).read_bytes()


def print_key(html: str) -> str:
    """Return the key of a print document: sha256 of its HTML and its stylesheet."""
    digest = hashlib.sha256(html.encode("utf-8", "surrogatepass"))
    digest.update(b"\0")
    digest.update(_stylesheet_bytes())
    return digest.hexdigest()


def _lease() -> timedelta:
    return timedelta(seconds=settings.PLANNER_PDF_LEASE_SECONDS)


def _enqueue(row: PlanPdf) -> None:
    render_pdf.enqueue(row.key)


def _ensure(html: str) -> PlanPdf:
    """Return the row of this print document, created and queued, or queued again, as needed."""
    key = print_key(html)
    now = timezone.now()
    row = PlanPdf.objects.filter(key=key).first()
    if row is None:
        try:
            with transaction.atomic():
                row = PlanPdf.objects.create(key=key, html=html, lease_until=now + _lease())
        except IntegrityError:  # another request created it just now: theirs is queued
            return PlanPdf.objects.get(key=key)
        _enqueue(row)
        row.refresh_from_db()
        return row
    if row.status == PlanPdf.READY and not generated_storage().exists(row.file_name):
        logger.warning("PDF %s was ready but its file is gone: rendering it again", key[:12])
        _requeue(row, html, Q(status=PlanPdf.READY, file_name=row.file_name), reset=True)
    elif row.status in (PlanPdf.QUEUED, PlanPdf.RENDERING) and (
        row.lease_until is None or row.lease_until <= now
    ):
        # Nobody finished it within the lease: the worker died (or none is running).
        if row.attempts < settings.PLANNER_PDF_MAX_ATTEMPTS:
            _requeue(row, html, Q(status=row.status, lease_until=row.lease_until))
        else:
            PlanPdf.objects.filter(pk=row.pk, status=row.status).update(
                status=PlanPdf.FAILED,
                error=row.error or "No worker finished the render within its time limit.",
            )
    elif row.status == PlanPdf.FAILED and row.attempts < settings.PLANNER_PDF_MAX_ATTEMPTS:
        _requeue(row, html, Q(status=PlanPdf.FAILED, attempts=row.attempts))
    elif row.status == PlanPdf.READY and row.last_used_at < now - LAST_USED_RESOLUTION:
        PlanPdf.objects.filter(pk=row.pk).update(last_used_at=now)
    row.refresh_from_db()
    return row


def _requeue(row: PlanPdf, html: str, still: Q, *, reset: bool = False) -> None:
    """Queue the row again unless someone else changed it first (``still`` holds)."""
    changes = {"status": PlanPdf.QUEUED, "html": html, "lease_until": timezone.now() + _lease()}
    if reset:
        changes["attempts"] = 0
    if PlanPdf.objects.filter(Q(pk=row.pk) & still).update(**changes):
        _enqueue(row)


def queue_plan_pdf(plan: Plan, teamwork: Teamwork | None = None) -> PlanPdf | None:
    """Queue the plan's PDF ahead of its download (Finish, milestones); return its row.

    Rendering inline (PLANNER_PDF_INLINE, development) there is nothing to queue: the download
    renders it, so this returns None.
    """
    if settings.PLANNER_PDF_INLINE:
        return None
    return _ensure(pdf.plan_html(plan, teamwork=teamwork))


def plan_pdf_for_download(
    plan: Plan, teamwork: Teamwork | None = None, *, retry_failed: bool = False
) -> PlanPdf:
    """Return the row of the plan's PDF: ready to serve, on its way, or failed for good."""
    html = pdf.plan_html(plan, teamwork=teamwork)
    if retry_failed:
        PlanPdf.objects.filter(key=print_key(html), status=PlanPdf.FAILED).update(attempts=0)
    return _ensure(html)


def milestone_pdf(milestone: Milestone, *, retry_failed: bool = False) -> PlanPdf | None:
    """Return the render of a milestone's pending PDF (queued again as needed), or None once
    its bytes are in the milestone row (copied here if the worker's copy did not happen)."""
    if not milestone.pdf_pending:
        return None
    if retry_failed:
        PlanPdf.objects.filter(key=milestone.pdf_key, status=PlanPdf.FAILED).update(attempts=0)
    row = _ensure(milestone.pdf_html)
    if row.key != milestone.pdf_key:
        # A deploy changed the stylesheet since the milestone was saved: the same document now
        # has another key, and the worker's copy looks for that one.
        Milestone.objects.filter(pk=milestone.pk, pdf_key=milestone.pdf_key).update(pdf_key=row.key)
        milestone.pdf_key = row.key
    storage = generated_storage()
    if row.status == PlanPdf.READY and row.file_name and storage.exists(row.file_name):
        with storage.open(row.file_name, "rb") as file:
            _settle_milestones(row.key, file.read())
        milestone.refresh_from_db(fields=["pdf", "pdf_key", "pdf_html"])
    return row if milestone.pdf_pending else None


def _settle_milestones(key: str, content: bytes) -> None:
    """Copy a rendered PDF into the milestones waiting for it: theirs from now on, for good."""
    Milestone.objects.filter(pdf_key=key).update(pdf=content, pdf_key="", pdf_html="")


def retry_failed(rows: QuerySet[PlanPdf]) -> int:
    """Queue these failed PDFs again with a fresh set of attempts; return how many."""
    queued = 0
    for row in rows.filter(status=PlanPdf.FAILED).exclude(html=""):
        again = PlanPdf.objects.filter(pk=row.pk, status=PlanPdf.FAILED).update(
            status=PlanPdf.QUEUED, attempts=0, error="", lease_until=timezone.now() + _lease()
        )
        if again:
            _enqueue(row)
            queued += again
    return queued


def refresh_seconds(row: PlanPdf) -> int:
    """Return how long the waiting page waits before it checks again.

    PLANNER_PDF_REFRESH_SECONDS while the PDF is queued; half that (at least 1 s) once a
    worker renders it, since it is then seconds away: with the default 2 s, a PDF that becomes
    ready just after a check is no longer up to 2 s late in the browser.
    """
    every: int = settings.PLANNER_PDF_REFRESH_SECONDS
    return max(1, every // 2) if row.status == PlanPdf.RENDERING else every


def workers_idle_minutes() -> int | None:
    """Return how many minutes the oldest queued render has waited for a worker, when that is
    PLANNER_PDF_WORKER_ALERT_MINUTES or more (no worker is running); otherwise None.

    One query on django-tasks-db's queue (its partial index on ready tasks); nothing to say
    when renders are inline or go through another task backend.
    """
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if settings.PLANNER_PDF_INLINE or backend != "django_tasks_db.DatabaseBackend":
        return None
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.ready()
        .filter(task_path=render_pdf.module_path)
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    if oldest is None:
        return None
    minutes = int((timezone.now() - oldest).total_seconds() // 60)
    return minutes if minutes >= settings.PLANNER_PDF_WORKER_ALERT_MINUTES else None


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


@task()
def render_pdf(key: str) -> str:
    """Render the PDF of this key unless it is done or another worker holds a live lease."""
    me = worker_name()
    now = timezone.now()
    with transaction.atomic():
        row = PlanPdf.objects.select_for_update().filter(key=key).first()
        if row is None or row.status == PlanPdf.READY:
            return "already done"
        if row.status == PlanPdf.RENDERING and row.lease_until and row.lease_until > now:
            return f"being rendered by {row.worker}"
        row.status, row.worker, row.error = PlanPdf.RENDERING, me, ""
        row.attempts += 1
        row.lease_until = now + _lease()
        row.save(update_fields=["status", "worker", "error", "attempts", "lease_until"])
        html = row.html
    try:
        content = pdf.html_to_pdf(html)
        storage = generated_storage()
        name = f"pdf/{key}.pdf"
        if storage.exists(name):  # a render whose lease had run out finished after all
            storage.delete(name)
        name = storage.save(name, ContentFile(content))
    except Exception as exc:
        logger.exception("PDF %s failed to render (attempt %s)", key[:12], row.attempts)
        PlanPdf.objects.filter(key=key, worker=me, status=PlanPdf.RENDERING).update(
            status=PlanPdf.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            lease_until=timezone.now(),
        )
        raise
    PlanPdf.objects.filter(key=key).update(
        status=PlanPdf.READY,
        file_name=name,
        size=len(content),
        renders=F("renders") + 1,
        html="",
        worker=me,
        error="",
        rendered_at=timezone.now(),
        lease_until=None,
    )
    _settle_milestones(key, content)
    return f"rendered {len(content)} bytes"
