"""Notes per question: members (viewers too) add them; they show on the review page."""

import pytest
from django.test import Client

from planner.models import Membership, QuestionComment


@pytest.fixture
def viewer_client(django_user_model, project):
    user = django_user_model.objects.create_user(username="vera")
    Membership.objects.create(project=project, user=user, role="viewer")
    client = Client()
    client.force_login(user)
    return client


def _note(client, project, question, text):
    return client.post(f"/projects/{project.code}/notes/", {"question": question, "text": text})


@pytest.mark.django_db
def test_viewer_adds_a_note_and_every_member_sees_it(viewer_client, owner_client, project):
    project.answers = {"company_name": "Hoopla"}
    project.save()
    response = _note(viewer_client, project, "company_name", "Legal name is Hoopla GmbH <b>")
    assert response.status_code == 302
    note = QuestionComment.objects.get()
    assert note.user.username == "vera" and note.question == "company_name"
    page = owner_client.get(f"/projects/{project.code}/notes/").content.decode()
    assert "Legal name is Hoopla GmbH &lt;b&gt;" in page
    review = owner_client.get(f"/projects/{project.code}/review/").content.decode()
    assert "Note by vera: Legal name is Hoopla GmbH &lt;b&gt;" in review


@pytest.mark.django_db
def test_two_notes_on_one_question_both_stay(owner_client, viewer_client, project):
    _note(owner_client, project, "tenant_prefix", "First")
    _note(viewer_client, project, "tenant_prefix", "Second")
    assert list(QuestionComment.objects.values_list("text", flat=True)) == ["First", "Second"]


@pytest.mark.django_db
def test_bad_notes_are_refused_with_the_text_kept(owner_client, project):
    response = _note(owner_client, project, "no_such_question", "Keep me")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose one of the questionnaire" in page and "Keep me" in page
    response = _note(owner_client, project, "company_name", "   ")
    assert response.status_code == 400 and "Write the note." in response.content.decode()
    assert not QuestionComment.objects.exists()


@pytest.mark.django_db
def test_non_members_cannot_read_or_add_notes(other_client, project):
    assert other_client.get(f"/projects/{project.code}/notes/").status_code == 404
    assert _note(other_client, project, "company_name", "x").status_code == 404
    assert not QuestionComment.objects.exists()
