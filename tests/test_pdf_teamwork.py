"""The PDF prints the team's notes per question (appendix) and the checklist state at print
time (who ticked what, when); both key the PDF cache, the plan JSON stays as it was."""

import io
import json
import re
from pathlib import Path

import pytest
from django.test import Client
from pypdf import PdfReader

from planner.models import Membership, PlanPdf
from planner.plans import build_plan

EXAMPLES = json.loads((Path(__file__).parent / "data" / "examples.json").read_text())
P2 = EXAMPLES["p2-small-business-saas"]["answers"]


@pytest.fixture
def p2_project(project, default_rules, generated_dir):
    project.answers = dict(P2)
    project.save()
    return project


@pytest.fixture
def editor_client(django_user_model, p2_project):
    user = django_user_model.objects.create_user(username="eddie")
    Membership.objects.create(project=p2_project, user=user, role="editor")
    client = Client()
    client.force_login(user)
    return client


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _download(client, project) -> bytes:
    response = client.get(f"/projects/{project.code}/plan.pdf")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _items(project):
    return [item.rule for group in build_plan(project).checklist for item in group.items]


@pytest.mark.django_db
def test_pdf_prints_notes_and_checklist_state(owner_client, editor_client, p2_project):
    plain = _text(_download(owner_client, p2_project))
    total = len(_items(p2_project))
    assert f"0 of {total} done at print time" in plain
    assert "Notes on the answers" not in plain
    json_before = owner_client.get(f"/projects/{p2_project.code}/plan.json").content

    note = "Tally's legal name is <b>Tally Ltd</b>; confirm with finance"
    response = owner_client.post(
        f"/projects/{p2_project.code}/notes/", {"question": "company_name", "text": note}
    )
    assert response.status_code == 302
    first, second = _items(p2_project)[:2]
    for item, done in ((first, "1"), (second, "1"), (second, "0")):
        response = editor_client.post(
            f"/projects/{p2_project.code}/checklist/", {"item": item, "done": done}
        )
        assert response.status_code == 302

    text = _text(_download(owner_client, p2_project))
    assert "Notes on the answers" in text and note in text
    assert "olivia," in text  # the note's author
    assert f"1 of {total} done at print time" in text
    assert "Done by eddie" in text and "Reopened by eddie" in text
    # A different print document: a PDF of its own, the first one left as it was.
    assert PlanPdf.objects.count() == 2
    assert owner_client.get(f"/projects/{p2_project.code}/plan.json").content == json_before


@pytest.mark.django_db
def test_a_milestone_pdf_prints_the_state_when_saved(owner_client, p2_project):
    owner_client.post(
        f"/projects/{p2_project.code}/notes/", {"question": "company_name", "text": "Frozen note"}
    )
    first = _items(p2_project)[0]
    owner_client.post(f"/projects/{p2_project.code}/checklist/", {"item": first, "done": "1"})
    response = owner_client.post(f"/projects/{p2_project.code}/milestones/", {"name": "One"})
    assert response.status_code == 302
    owner_client.post(f"/projects/{p2_project.code}/checklist/", {"item": first, "done": "0"})
    owner_client.post(
        f"/projects/{p2_project.code}/notes/", {"question": "company_name", "text": "Later note"}
    )
    content = owner_client.get(f"/projects/{p2_project.code}/plan.pdf?milestone=1").content
    text = _text(content)
    assert "Frozen note" in text and "Done by olivia" in text
    assert "Later note" not in text and "Reopened" not in text
