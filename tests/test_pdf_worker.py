"""PDFs by background workers (issue 10): keyed by exactly what is printed (break 2), never
rendered or waited for inside a request (break 3), queued at Finish, rendered once per key,
leases that outlive a dead worker, failures shown, the clean-up command, and two real workers
of which one is killed mid-render."""

import io
import json
import os
import re
import signal
import sys
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
import weasyprint
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from planner import tasks
from planner.models import Milestone, PlanPdf, Project
from planner.plans import build_plan
from tests import processes
from tests.conftest import PASSWORD

EXAMPLES = json.loads((Path(__file__).parent / "data" / "examples.json").read_text())
P6 = EXAMPLES["p6-customers-partners-employees"]["answers"]
DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def default_rules(db):
    call_command("load_rules", verbosity=0)


@pytest.fixture
def queued(settings, generated_dir):
    """Production mode: downloads and Finish queue renders for `db_worker`."""
    settings.PLANNER_PDF_INLINE = False
    settings.TASKS = DB_BACKEND
    return generated_dir


@pytest.fixture
def p6_project(project, default_rules):
    project.answers = P6
    project.save()
    return project


def run_worker():
    """Run every queued task as `db_worker` does (in-process: its connection handling would
    close the test's transaction on PostgreSQL; the real command runs in the process test)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_plans_printed_differently_never_share_a_pdf(default_rules, django_user_model, queued):
    """Break 2: same full name, project name and valid answers; different invalid text."""
    projects = {}
    for username, secret in (("first", "FIRSTSECRET"), ("second", "SECONDSECRET")):
        user = django_user_model.objects.create_user(
            username=username, password=PASSWORD, first_name="Pat", last_name="Lee"
        )
        projects[username] = Project.objects.create(
            owner=user, name="Identity", answers=dict(P6, tenant_prefix=f"{secret} !!")
        )
    first, second = (build_plan(projects[name]) for name in ("first", "second"))
    assert first.fingerprint == second.fingerprint  # what the old cache was keyed by
    texts = {}
    for name, project in projects.items():
        client = Client()
        client.force_login(project.owner)
        url = reverse("plan_pdf", args=[project.code])
        assert client.get(url).status_code == 202
        run_worker()
        response = client.get(url)
        assert response.status_code == 200
        texts[name] = pdf_text(b"".join(response.streaming_content))
    assert "FIRSTSECRET" in texts["first"]
    assert "SECONDSECRET" in texts["second"]
    assert "FIRSTSECRET" not in texts["second"]
    assert PlanPdf.objects.count() == 2


def test_waiting_page_checks_again_sooner_once_a_worker_renders(
    owner_client, p6_project, queued, settings
):
    """Queued: the configured interval. Rendering: half of it (at least 1 s), since the PDF is
    seconds away; a PDF ready just after a check then reaches the browser sooner."""
    settings.PLANNER_PDF_REFRESH_SECONDS = 4
    url = reverse("plan_pdf", args=[p6_project.code])
    queued_page = owner_client.get(url)
    assert queued_page.status_code == 202 and queued_page["Retry-After"] == "4"
    wait_url = re.search(r'content="4; url=([^"]+)"', queued_page.content.decode()).group(1)
    PlanPdf.objects.update(
        status=PlanPdf.RENDERING, lease_until=timezone.now() + timedelta(seconds=120)
    )
    rendering = owner_client.get(wait_url.replace("&amp;", "&"))
    assert rendering.status_code == 202 and rendering["Retry-After"] == "2"
    assert 'content="2; url=' in rendering.content.decode()
    settings.PLANNER_PDF_REFRESH_SECONDS = 1
    assert owner_client.get(wait_url.replace("&amp;", "&"))["Retry-After"] == "1"


def test_download_never_renders_or_waits_in_the_request(owner_client, p6_project, queued):
    """Break 3: the first download answers at once with a page that refreshes until ready."""
    url = reverse("plan_pdf", args=[p6_project.code])
    with mock.patch.object(weasyprint.HTML, "render", autospec=True) as render:
        waiting = owner_client.get(url)
        again = owner_client.get(url)
    assert render.call_count == 0
    assert waiting.status_code == 202 and again.status_code == 202
    assert waiting["Retry-After"] == "2"
    html = waiting.content.decode()
    refresh = re.search(r'<meta http-equiv="refresh" content="2; url=([^"]+)">', html)
    assert refresh and refresh.group(1).startswith(url + "?wait=")
    assert "The PDF is being prepared" in html
    row = PlanPdf.objects.get()
    assert row.status == PlanPdf.QUEUED
    assert DBTaskResult.objects.count() == 1  # asking again does not queue it twice

    run_worker()
    response = owner_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    row.refresh_from_db()
    assert (row.status, row.renders, row.attempts, row.html) == (PlanPdf.READY, 1, 1, "")
    assert (queued / row.file_name).is_file()


def wait_link(response) -> str:
    match = re.search(r'content="\d+; url=([^"]+)"', response.content.decode())
    return match.group(1).replace("&amp;", "&")


def test_the_refresh_link_serves_the_pdf_it_waits_for_and_nothing_else(
    owner_client, other_client, other_user, p6_project, queued
):
    url = reverse("plan_pdf", args=[p6_project.code])
    link = wait_link(owner_client.get(url))
    assert owner_client.get(link).status_code == 202  # still queued: just the waiting page
    run_worker()
    response = owner_client.get(link)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="acme-architecture-plan.pdf"'
    # Another project's owner cannot use the link (404 on the project, as for any other URL)…
    assert other_client.get(link).status_code == 404
    # …nor carry it over to a project of their own: it names one project only.
    theirs = Project.objects.create(owner=other_user, name="Theirs")
    token = link.split("?", 1)[1]
    response = other_client.get(reverse("plan_pdf", args=[theirs.code]) + "?" + token)
    assert response.status_code == 202
    assert PlanPdf.objects.count() == 2  # their own plan was queued instead
    # A tampered link is ignored: the download goes the full way.
    assert owner_client.get(url + "?wait=forged").status_code == 200


def test_finish_queues_the_pdf_so_the_first_download_is_ready(owner_client, p6_project, queued):
    response = owner_client.post(
        reverse("wizard_finish", args=[p6_project.code]), {"version": p6_project.version}
    )
    assert response.status_code == 302
    assert PlanPdf.objects.get().status == PlanPdf.QUEUED
    run_worker()
    download = owner_client.get(reverse("plan_pdf", args=[p6_project.code]))
    assert download.status_code == 200


def test_the_review_of_complete_answers_queues_the_pdf_finish_then_reuses(
    owner_client, p6_project, queued
):
    owner_client.get(reverse("wizard_review", args=[p6_project.code]))
    row = PlanPdf.objects.get()
    assert row.status == PlanPdf.QUEUED
    # Finish prints the very same document: no second row, no second render.
    owner_client.post(
        reverse("wizard_finish", args=[p6_project.code]), {"version": p6_project.version}
    )
    assert PlanPdf.objects.get().pk == row.pk
    run_worker()
    assert owner_client.get(reverse("plan_pdf", args=[p6_project.code])).status_code == 200
    assert PlanPdf.objects.get().renders == 1


def test_the_review_of_incomplete_answers_queues_nothing(owner_client, project, queued):
    owner_client.get(reverse("wizard_review", args=[project.code]))
    assert not PlanPdf.objects.exists()


def test_a_viewer_reading_the_review_queues_nothing(p6_project, queued, other_user):
    from planner.models import Membership

    Membership.objects.create(project=p6_project, user=other_user, role="viewer")
    viewer = Client()
    viewer.force_login(other_user)
    assert viewer.get(reverse("wizard_review", args=[p6_project.code])).status_code == 200
    assert not PlanPdf.objects.exists()


def test_queue_plan_pdf_renders_once_per_print_document(p6_project, queued):
    plan = build_plan(p6_project)
    first = tasks.queue_plan_pdf(plan)
    assert tasks.queue_plan_pdf(plan).pk == first.pk
    run_worker()
    tasks.queue_plan_pdf(plan)
    run_worker()
    first.refresh_from_db()
    assert (first.status, first.renders) == (PlanPdf.READY, 1)
    assert DBTaskResult.objects.count() == 1


def test_inline_mode_queues_nothing_at_finish(p6_project, settings):
    settings.PLANNER_PDF_INLINE = True
    assert tasks.queue_plan_pdf(build_plan(p6_project)) is None
    assert not PlanPdf.objects.exists()


def test_an_expired_lease_is_queued_again(owner_client, p6_project, queued):
    """A worker that died mid-render leaves a lease that runs out; the next look re-queues."""
    url = reverse("plan_pdf", args=[p6_project.code])
    owner_client.get(url)
    PlanPdf.objects.update(
        status=PlanPdf.RENDERING,
        worker="gone:1",
        attempts=1,
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    assert owner_client.get(url).status_code == 202
    row = PlanPdf.objects.get()
    assert row.status == PlanPdf.QUEUED
    run_worker()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.renders) == (PlanPdf.READY, 2, 1)


def test_a_live_lease_is_left_alone(owner_client, p6_project, queued):
    url = reverse("plan_pdf", args=[p6_project.code])
    owner_client.get(url)
    PlanPdf.objects.update(
        status=PlanPdf.RENDERING, worker="busy:1", lease_until=timezone.now() + timedelta(60)
    )
    run_worker()  # the queued task finds another worker holding the render
    assert PlanPdf.objects.get().status == PlanPdf.RENDERING
    assert owner_client.get(url).status_code == 202


def test_failures_are_retried_then_shown(owner_client, p6_project, queued, settings):
    settings.PLANNER_PDF_MAX_ATTEMPTS = 2
    url = reverse("plan_pdf", args=[p6_project.code])
    boom = RuntimeError("the renderer fell over")
    with mock.patch.object(weasyprint.HTML, "render", autospec=True, side_effect=boom):
        owner_client.get(url)
        run_worker()
        assert owner_client.get(url).status_code == 202  # failed once: queued again
        run_worker()
        shown = owner_client.get(url)
    assert shown.status_code == 500
    html = shown.content.decode()
    assert "The PDF could not be made" in html
    assert "RuntimeError: the renderer fell over" in html
    assert "refresh" not in html
    row = PlanPdf.objects.get()
    assert (row.status, row.attempts) == (PlanPdf.FAILED, 2)

    assert owner_client.get(url + "?retry=1").status_code == 202  # "Try again"
    run_worker()
    assert owner_client.get(url).status_code == 200


def test_a_deleted_file_is_rendered_again(owner_client, p6_project, queued):
    url = reverse("plan_pdf", args=[p6_project.code])
    owner_client.get(url)
    run_worker()
    row = PlanPdf.objects.get()
    (queued / row.file_name).unlink()
    assert owner_client.get(url).status_code == 202
    run_worker()
    assert owner_client.get(url).status_code == 200


def test_clean_generated_bounds_age_and_size(owner, default_rules, queued, capsys):
    for index in range(3):
        project = Project.objects.create(owner=owner, name=f"Plan {index}", answers=P6)
        tasks.queue_plan_pdf(build_plan(project))
    run_worker()
    rows = list(PlanPdf.objects.order_by("id"))
    assert all(row.status == PlanPdf.READY for row in rows)
    now = timezone.now()
    for days, row in zip((40, 2, 1), rows, strict=True):
        row.last_used_at = now - timedelta(days=days)
        row.save()
    (queued / "pdf" / "orphan.pdf").write_bytes(b"%PDF-")

    call_command("clean_generated", "--max-age-days", "30", "--max-mb", "1000")
    assert re.match(r"Removed 1 PDF \(\d+ KiB\) and 1 stray file; kept 2 ", capsys.readouterr().out)
    assert [r.pk for r in PlanPdf.objects.order_by("id")] == [rows[1].pk, rows[2].pk]
    assert not (queued / rows[0].file_name).exists()
    assert not (queued / "pdf" / "orphan.pdf").exists()

    # Size bound: keep the most recently used that fit.
    size = rows[2].size
    call_command("clean_generated", "--max-bytes", str(size))
    assert capsys.readouterr().out.startswith("Removed 1 PDF (")
    assert [r.pk for r in PlanPdf.objects.all()] == [rows[2].pk]
    assert (queued / rows[2].file_name).is_file()


# --- two real workers, one killed mid-render ------------------------------------------------


def test_a_worker_killed_mid_render_is_replaced_by_the_other(tmp_path):
    with processes.scratch_database(tmp_path) as url:
        env = processes.app_env(url, tmp_path, PLANNER_PDF_LEASE_SECONDS="3")
        processes.manage(env, "migrate", "--noinput")
        processes.manage(env, "load_rules")
        processes.manage(
            env,
            "shell",
            "-c",
            "import json; from django.contrib.auth.models import User; "
            "from planner.models import Project; from planner.plans import build_plan; "
            "from planner.tasks import queue_plan_pdf; "
            f"answers = json.loads({json.dumps(json.dumps(P6))}); "
            "user = User.objects.create_user('olivia'); "
            "queue_plan_pdf(build_plan(Project.objects.create("
            "owner=user, name='Killed mid-render', answers=answers)))",
        )
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"]
        workers = {
            name: processes.start(env, *command, "--worker-id", name, log=tmp_path / f"{name}.log")
            for name in ("worker-a", "worker-b")
        }
        sql = "SELECT status, worker, attempts, renders FROM planner_planpdf"
        try:
            deadline = time.monotonic() + 60
            status = worker = None
            while time.monotonic() < deadline:
                status, worker, *_ = processes.query_one(url, sql)
                if status == "rendering":
                    break
                time.sleep(0.02)
            assert status == "rendering", f"no worker claimed the render ({status})"
            pid = int(worker.rsplit(":", 1)[1])
            pids = {p.pid: n for n, p in workers.items()}
            assert pid in pids, (worker, pids)
            victim = pids[pid]
            os.kill(pid, signal.SIGKILL)
            workers[victim].wait(timeout=10)

            # The person's refreshing download page looks again after the lease ran out.
            look = "from planner.tasks import *; from planner.plans import build_plan; "
            look += "from planner.models import Project; "
            look += "print(plan_pdf_for_download(build_plan(Project.objects.get())).status)"
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                output = processes.manage(env, "shell", "-c", look)
                if output.strip().endswith("ready"):
                    break
                time.sleep(1)
            status, worker, attempts, renders = processes.query_one(url, sql)
        finally:
            for process in workers.values():
                processes.stop(process)
        assert status == "ready", (tmp_path / "worker-a.log").read_text()[-2000:]
        survivor = next(p for n, p in workers.items() if n != victim)
        assert worker.endswith(f":{survivor.pid}")
        assert (attempts, renders) == (2, 1)


# --- S3-compatible storage (django-storages, against moto's S3) -----------------------------


def test_pdfs_live_in_s3_when_a_bucket_is_configured(
    owner_client, p6_project, queued, settings, monkeypatch, capsys
):
    import boto3
    from moto import mock_aws

    from planner.env import generated_storage

    for name, value in (
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
        ("PLANNER_S3_BUCKET", "plans"),
        ("PLANNER_S3_REGION", "us-east-1"),
    ):
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="plans")
        settings.STORAGES = {**settings.STORAGES, "generated": generated_storage("unused")}
        url = reverse("plan_pdf", args=[p6_project.code])
        assert owner_client.get(url).status_code == 202
        run_worker()
        response = owner_client.get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        keys = [item["Key"] for item in s3.list_objects_v2(Bucket="plans")["Contents"]]
        assert keys == [f"generated/{PlanPdf.objects.get().file_name}"]
        stored = s3.get_object(Bucket="plans", Key=keys[0])["Body"].read()
        assert stored == body and body.startswith(b"%PDF-")
        assert not list(queued.glob("**/*.pdf"))  # nothing on the local disk

        call_command("clean_generated", "--max-bytes", "0")
        assert capsys.readouterr().out.startswith("Removed 1 PDF (")
        assert s3.list_objects_v2(Bucket="plans").get("KeyCount") == 0


@pytest.mark.django_db
def test_a_milestone_pdf_is_rendered_by_a_worker_and_then_kept_for_good(
    owner_client, p6_project, queued
):
    code = p6_project.code
    assert owner_client.post(f"/projects/{code}/milestones/", {"name": "Sent"}).status_code == 302
    milestone = Milestone.objects.get()
    assert milestone.pdf_pending and bytes(milestone.pdf) == b""  # nothing rendered in the request
    listing = owner_client.get(f"/projects/{code}/milestones/").content.decode()
    assert "of milestone 1</span> (being prepared)</a>" in listing
    url = f"/projects/{code}/plan.pdf?milestone=1"
    waiting = owner_client.get(url)
    assert waiting.status_code == 202
    assert "The PDF of milestone 1" in waiting.content.decode()

    run_worker()
    milestone.refresh_from_db()
    assert not milestone.pdf_pending and milestone.pdf_html == ""
    first = owner_client.get(url)
    assert first.status_code == 200 and first.content == bytes(milestone.pdf)
    assert "Milestone 1: Sent" in pdf_text(first.content)
    # Cleaning up every generated file leaves the milestone's own copy as it was.
    call_command("clean_generated", "--max-bytes", "0", stdout=io.StringIO())
    assert not PlanPdf.objects.exists()
    assert owner_client.get(url).content == first.content
    assert (
        "being prepared" not in owner_client.get(f"/projects/{code}/milestones/").content.decode()
    )


@pytest.mark.django_db
def test_a_milestone_render_lost_before_it_finished_is_made_again(owner_client, p6_project, queued):
    code = p6_project.code
    owner_client.post(f"/projects/{code}/milestones/", {"name": "Sent"})
    PlanPdf.objects.all().delete()  # e.g. removed by an administrator while still queued
    url = f"/projects/{code}/plan.pdf?milestone=1"
    assert owner_client.get(url).status_code == 202  # the milestone kept its print document
    assert PlanPdf.objects.count() == 1
    run_worker()
    response = owner_client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert bytes(Milestone.objects.get().pdf) == response.content
