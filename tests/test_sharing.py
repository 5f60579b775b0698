"""Sharing with roles: the access matrix per role, the members page, the last-owner rule."""

import pytest
from django.test import Client

from planner import catalog
from planner.models import AnswerChange, Membership, Project, SharingChange

PASSWORD = "correct-horse-battery-staple"  # noqa: S105


def _member_client(django_user_model, project, username, role):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(project=project, user=user, role=role)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def viewer_client(django_user_model, project):
    return _member_client(django_user_model, project, "vera", "viewer")


@pytest.fixture
def editor_client(django_user_model, project):
    return _member_client(django_user_model, project, "eddie", "editor")


@pytest.fixture
def answered(project, owner):
    project.answers = {"company_name": "Hoopla", "tenant_prefix": "hoopla"}
    project.touched_sections = ["context"]
    project.save()
    return project


def _read_urls(project):
    base = f"/projects/{project.code}"
    return [
        f"{base}/",
        f"{base}/review/",
        f"{base}/plan/",
        f"{base}/plan.json",
        f"{base}/plan.svg",
        f"{base}/plan/config/",
        f"{base}/members/",
    ]


def _edit_urls(project):
    base = f"/projects/{project.code}"
    return [
        f"{base}/edit/",
        f"{base}/duplicate/",
        *(f"{base}/wizard/{sec.key}/" for sec in catalog.SECTIONS),
        f"{base}/finish/",
    ]


def _owner_posts(project, some_user_id):
    """Return (url, data) of every owner-only write."""
    members = f"/projects/{project.code}/members/"
    return [
        (f"/projects/{project.code}/delete/", {}),
        (members, {"action": "add", "who": "olivia", "role": "viewer"}),
        (members, {"action": "role", "member": str(some_user_id), "role": "viewer"}),
        (members, {"action": "remove", "member": str(some_user_id)}),
    ]


def _members(client, project, **data):
    return client.post(f"/projects/{project.code}/members/", data)


WRITE_POST = {
    "version": "1",
    "name": "Renamed",
    "shown": ["company_name"],
    "company_name": "Changed Inc.",
    "action": "next",
    "who": "olivia",
    "role": "viewer",
}


# --- the access matrix: one row per role -----------------------------------------------------


@pytest.mark.django_db
def test_viewer_reads_and_downloads_but_every_write_is_403(viewer_client, answered, owner):
    before = Project.objects.values().get(pk=answered.pk)
    for url in _read_urls(answered):
        assert viewer_client.get(url).status_code == 200, f"GET {url}"
    for url in _edit_urls(answered):
        assert viewer_client.post(url, WRITE_POST).status_code == 403, f"POST {url}"
    for url, data in _owner_posts(answered, owner.pk):
        assert viewer_client.post(url, data).status_code == 403, f"POST {url} {data}"
    for url in [u for u in _edit_urls(answered) if "/finish/" not in u and "/duplicate/" not in u]:
        assert viewer_client.get(url).status_code == 403, f"GET {url}"
    assert Project.objects.values().get(pk=answered.pk) == before
    assert Project.objects.count() == 1
    assert AnswerChange.objects.count() == 0
    assert Membership.objects.get(user=owner).role == "owner"


@pytest.mark.django_db
def test_viewer_page_offers_no_write_actions(viewer_client, answered):
    page = viewer_client.get(f"/projects/{answered.code}/").content.decode()
    assert "you are viewer" in page
    assert f"/projects/{answered.code}/wizard/" not in page
    assert f"/projects/{answered.code}/delete/" not in page
    review = viewer_client.get(f"/projects/{answered.code}/review/").content.decode()
    assert "/finish/" not in review and "Hoopla" in review


@pytest.mark.django_db
def test_editor_can_answer_but_not_share_or_delete(editor_client, answered, owner):
    url = f"/projects/{answered.code}/wizard/context/"
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(
        url, {"version": "1", "shown": ["company_name"], "company_name": "Edited", "action": "back"}
    )
    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.answers["company_name"] == "Edited"
    change = AnswerChange.objects.get()
    assert change.user == editor_client.user
    for url, data in _owner_posts(answered, owner.pk):
        assert editor_client.post(url, data).status_code == 403, f"POST {url} {data}"
    assert Project.objects.filter(pk=answered.pk).exists()
    assert Membership.objects.get(user=owner).role == "owner"
    assert not SharingChange.objects.exists()


@pytest.mark.django_db
def test_owner_reaches_every_url(owner_client, answered):
    for url in _read_urls(answered) + _edit_urls(answered):
        assert owner_client.get(url).status_code in (200, 302), f"GET {url}"


@pytest.mark.django_db
def test_non_members_get_404_even_on_sharing_urls(other_client, staff_client, answered, owner):
    for client in (other_client, staff_client):
        assert client.get(f"/projects/{answered.code}/members/").status_code == 404
        assert _members(client, answered, action="leave").status_code == 404
        for url, data in _owner_posts(answered, owner.pk):
            assert client.post(url, data).status_code == 404, f"POST {url} {data}"
    assert Membership.objects.count() == 1


# --- sharing --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_owner_shares_by_username_and_colleague_sees_it_shared_with_them(
    owner_client, other_client, other_user, project
):
    assert project.name not in other_client.get("/").content.decode()
    response = owner_client.post(
        f"/projects/{project.code}/members/", {"who": "MALLORY", "role": "editor"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=other_user).role == "editor"
    home = other_client.get("/").content.decode()
    shared = home.split("Shared with me", 1)[1]
    assert project.name in shared and "you are editor" in shared
    change = SharingChange.objects.get()
    assert (change.member, change.old_role, change.new_role) == ("mallory", "", "editor")
    assert change.user.username == "olivia"


@pytest.mark.django_db
def test_sharing_with_an_unknown_name_says_so_and_keeps_the_input(owner_client, project):
    response = owner_client.post(
        f"/projects/{project.code}/members/", {"who": "nobody-here", "role": "viewer"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "No one with the username or email “nobody-here” has an account" in page
    assert 'value="nobody-here"' in page
    assert Membership.objects.count() == 1


@pytest.mark.django_db
def test_bad_role_is_refused_with_a_message(owner_client, project, other_user):
    response = owner_client.post(
        f"/projects/{project.code}/members/", {"who": "mallory", "role": "god"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Membership.objects.count() == 1


@pytest.mark.django_db
def test_last_owner_cannot_leave_nor_step_down(owner_client, owner, project):
    url = f"/projects/{project.code}/members/"
    for data in (
        {"action": "leave"},
        {"action": "role", "member": owner.pk, "role": "viewer"},
        {"action": "remove", "member": owner.pk},
    ):
        response = owner_client.post(url, data, follow=True)
        assert "A project needs at least one owner" in response.content.decode(), data
    assert Membership.objects.get(project=project, user=owner).role == "owner"
    assert not SharingChange.objects.exists()


@pytest.mark.django_db
def test_owner_transfers_then_leaves(owner_client, owner, other_client, other_user, project):
    _members(owner_client, project, action="add", who="mallory", role="owner")
    response = _members(owner_client, project, action="leave")
    assert response.status_code == 302 and response.url == "/"
    assert not Membership.objects.filter(user=owner).exists()
    project.refresh_from_db()
    assert project.owner == other_user  # the plan's author follows ownership
    assert owner_client.get(f"/projects/{project.code}/").status_code == 404
    assert other_client.get(f"/projects/{project.code}/delete/").status_code == 200


@pytest.mark.django_db
def test_viewer_and_editor_can_leave(viewer_client, editor_client, project):
    for client in (viewer_client, editor_client):
        assert _members(client, project, action="leave").status_code == 302
        assert client.get(f"/projects/{project.code}/").status_code == 404
    assert list(Membership.objects.values_list("role", flat=True)) == ["owner"]


@pytest.mark.django_db
def test_owner_changes_a_role_and_it_is_recorded(owner_client, viewer_client, project):
    user = viewer_client.user
    response = _members(owner_client, project, action="role", member=user.pk, role="editor")
    assert response.status_code == 302
    assert Membership.objects.get(user=user).role == "editor"
    assert viewer_client.get(f"/projects/{project.code}/wizard/context/").status_code == 200
    change = SharingChange.objects.get()
    assert (change.old_role, change.new_role) == ("viewer", "editor")


@pytest.mark.django_db
def test_members_page_lists_members_and_history(owner_client, viewer_client, project):
    _members(owner_client, project, action="remove", member=viewer_client.user.pk)
    page = owner_client.get(f"/projects/{project.code}/members/").content.decode()
    assert "olivia" in page and "removed (was viewer)" in page


@pytest.mark.django_db
def test_creating_a_project_makes_the_creator_its_owner(owner_client, owner):
    owner_client.post("/projects/new/", {"name": "Fresh"})
    project = Project.objects.get(name="Fresh")
    assert Membership.objects.get(project=project).user == owner
    assert Membership.objects.get(project=project).role == "owner"


@pytest.mark.django_db
def test_changing_the_owner_field_makes_that_user_an_owner_member(project, other_user, owner):
    """What an administrator does in the admin's project form."""
    Membership.objects.create(project=project, user=other_user, role="viewer")
    project.owner = other_user
    project.save()
    assert Membership.objects.get(project=project, user=other_user).role == "owner"
    assert Membership.objects.get(project=project, user=owner).role == "owner"
    assert Membership.objects.filter(project=project).count() == 2
