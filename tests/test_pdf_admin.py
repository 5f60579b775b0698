"""PDF renders and sign-in throttles in the admin, and the warning when no PDF worker runs."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from planner import tasks
from planner.models import LoginThrottle, PlanPdf
from tests.helpers import signed_in_client

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PDF_LIST = "/admin/planner/planpdf/"
THROTTLE_LIST = "/admin/planner/loginthrottle/"


@pytest.fixture
def queued(settings, generated_dir):
    """Production mode: renders are queued for `db_worker` (none runs in these tests)."""
    settings.PLANNER_PDF_INLINE = False
    settings.TASKS = DB_BACKEND
    return generated_dir


def make_pdf(key: str, status: str, **fields) -> PlanPdf:
    return PlanPdf.objects.create(key=key * 64, html="<p>plan</p>", status=status, **fields)


# --- Plan PDFs ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pdf_list_is_read_only_with_status_filter(staff_client):
    make_pdf("a", PlanPdf.READY, size=2048, renders=1)
    make_pdf("b", PlanPdf.FAILED, error="OSError: disk full", attempts=3)
    listing = staff_client.get(PDF_LIST + "?status__exact=failed")
    assert listing.status_code == 200
    assert "OSError: disk full" in listing.text
    assert "a" * 12 not in listing.text and "b" * 12 in listing.text
    assert "/admin/planner/planpdf/add/" not in listing.text
    failed = PlanPdf.objects.get(status=PlanPdf.FAILED)
    detail = staff_client.get(f"{PDF_LIST}{failed.pk}/change/")
    assert detail.status_code == 200
    assert "<p>plan</p>" not in detail.text and "&lt;p&gt;plan" not in detail.text  # no HTML
    assert 'name="_save"' not in detail.text
    assert staff_client.post(f"{PDF_LIST}{failed.pk}/delete/").status_code == 403
    assert staff_client.get(PDF_LIST + "add/").status_code == 403


@pytest.mark.django_db
def test_retry_queues_failed_pdfs_again_and_leaves_the_others(staff_client, queued):
    failed = make_pdf("f", PlanPdf.FAILED, error="boom", attempts=3)
    ready = make_pdf("r", PlanPdf.READY, renders=1)
    response = staff_client.post(
        PDF_LIST,
        {"action": "retry", "_selected_action": [failed.pk, ready.pk]},
        follow=True,
    )
    assert "Queued 1 failed PDF again; 1 left as they were" in response.text
    failed.refresh_from_db()
    ready.refresh_from_db()
    assert (failed.status, failed.attempts, failed.error) == (PlanPdf.QUEUED, 0, "")
    assert ready.status == PlanPdf.READY
    queued_task = DBTaskResult.objects.ready().get()
    assert queued_task.args_kwargs["args"] == [failed.key]


@pytest.mark.django_db
def test_retry_needs_the_change_permission(django_user_model, queued):
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_planpdf"))
    client = signed_in_client(viewer)
    failed = make_pdf("f", PlanPdf.FAILED, attempts=3)
    assert client.get(PDF_LIST).status_code == 200
    assert 'value="retry"' not in client.get(PDF_LIST).text
    client.post(PDF_LIST, {"action": "retry", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.status == PlanPdf.FAILED


# --- no worker running ------------------------------------------------------------------------


def age_queue(minutes: int) -> None:
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=minutes))


@pytest.mark.django_db
def test_waiting_page_says_when_no_worker_has_picked_anything_up(
    owner_client, answered_project, default_rules, queued
):
    url = f"/projects/{answered_project.code}/plan.pdf"
    first = owner_client.get(url)
    assert first.status_code == 202
    assert "No worker has picked up" not in first.text  # just queued: nothing to say yet
    age_queue(7)
    later = owner_client.get(url)
    assert later.status_code == 202
    assert "No worker has picked up a PDF for 7 minutes" in later.text
    assert "manage.py db_worker" in later.text


@pytest.mark.django_db
def test_no_worker_warning_needs_the_threshold_and_a_queued_render(settings, queued):
    settings.PLANNER_PDF_WORKER_ALERT_MINUTES = 10
    tasks.render_pdf.enqueue("x" * 64)
    age_queue(9)
    assert tasks.workers_idle_minutes() is None
    age_queue(12)
    assert tasks.workers_idle_minutes() == 12
    DBTaskResult.objects.update(status="RUNNING")  # a worker claimed it
    assert tasks.workers_idle_minutes() is None


@pytest.mark.django_db
def test_no_worker_warning_is_silent_when_rendering_inline(settings):
    settings.PLANNER_PDF_INLINE = True
    assert tasks.workers_idle_minutes() is None


@pytest.mark.django_db
def test_pdf_admin_warns_when_no_worker_runs(staff_client, queued):
    assert "No worker has picked up" not in staff_client.get(PDF_LIST).text
    tasks.render_pdf.enqueue("x" * 64)
    age_queue(30)
    assert "No worker has picked up a PDF for 30 minutes" in staff_client.get(PDF_LIST).text


# --- sign-in throttles ------------------------------------------------------------------------


def throttle(key: str, attempts: int, minutes_ago: int = 0, username: str = "") -> LoginThrottle:
    start = timezone.now() - timedelta(minutes=minutes_ago)
    return LoginThrottle.objects.create(
        key=key,
        username=username,
        ip_address="10.0.0.1",
        attempts=attempts,
        window_start=start,
        last_attempt_at=start,
    )


@pytest.mark.django_db
def test_throttle_list_shows_who_is_blocked_and_filters(staff_client, settings):
    settings.PLANNER_LOGIN_FAILURE_LIMIT = 5
    settings.PLANNER_LOGIN_COOLOFF_MINUTES = 15
    throttle("user:abc:10.0.0.1", 5, username="alice")
    throttle("user:def:10.0.0.1", 5, minutes_ago=60, username="bob")
    throttle("ip:10.0.0.1", 2)
    listing = staff_client.get(THROTTLE_LIST)
    assert listing.status_code == 200
    assert listing.text.count('alt="True"') == 1  # alice only: bob's window has expired
    current = staff_client.get(THROTTLE_LIST + "?window=current&kind=user").text
    assert "alice" in current and "bob" not in current
    addresses = staff_client.get(THROTTLE_LIST + "?kind=ip").text
    assert "alice" not in addresses and "address" in addresses
    assert "/admin/planner/loginthrottle/add/" not in listing.text


@pytest.mark.django_db
def test_deleting_a_throttle_row_unlocks_and_nothing_is_edited(staff_client):
    row = throttle("user:abc:10.0.0.1", 5, username="alice")
    detail = staff_client.get(f"{THROTTLE_LIST}{row.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.text
    staff_client.post(f"{THROTTLE_LIST}{row.pk}/change/", {"attempts": 0})
    row.refresh_from_db()
    assert row.attempts == 5
    staff_client.post(f"{THROTTLE_LIST}{row.pk}/delete/", {"post": "yes"})
    assert not LoginThrottle.objects.exists()
