"""The project admin: members inline (recorded with the administrator; the owner field's user
stays an owner member)."""

import pytest

from planner.models import Membership, SharingChange


def _form(project, rows):
    """Return the change form's POST data: the project as it is, and the member rows given."""
    data = {
        "owner": str(project.owner_id),
        "name": project.name,
        "description": project.description,
        "answers": "{}",
        "touched_sections": "[]",
        "finished_at_0": "",
        "finished_at_1": "",
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, row in enumerate(rows):
        prefix = f"memberships-{index}-"
        data[prefix + "id"] = str(row.get("id", ""))
        data[prefix + "project"] = str(project.pk)
        data[prefix + "user"] = str(row["user"])
        data[prefix + "role"] = row["role"]
        if row.get("delete"):
            data[prefix + "DELETE"] = "on"
    return data


@pytest.mark.django_db
def test_admin_adds_changes_and_removes_members_and_each_change_is_recorded(
    staff_client, staff_user, project, owner, other_user, django_user_model
):
    url = f"/admin/planner/project/{project.pk}/change/"
    page = staff_client.get(url).content.decode()
    assert "memberships-0-role" in page and owner.username in page  # the inline lists members
    own = Membership.objects.get(project=project, user=owner)
    rows = [{"id": own.pk, "user": owner.pk, "role": "owner"}]
    response = staff_client.post(
        url, _form(project, [*rows, {"user": other_user.pk, "role": "viewer"}])
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    added = Membership.objects.get(project=project, user=other_user)
    assert added.role == "viewer" and added.added_by == staff_user

    rows.append({"id": added.pk, "user": other_user.pk, "role": "editor"})
    assert staff_client.post(url, _form(project, rows)).status_code == 302
    assert Membership.objects.get(pk=added.pk).role == "editor"
    rows[1]["delete"] = True
    assert staff_client.post(url, _form(project, rows)).status_code == 302
    assert not Membership.objects.filter(pk=added.pk).exists()
    changes = [
        (c.user, c.member, c.old_role, c.new_role)
        for c in SharingChange.objects.filter(project=project).order_by("changed_at", "id")
    ]
    assert changes == [
        (staff_user, "mallory", "", "viewer"),
        (staff_user, "mallory", "viewer", "editor"),
        (staff_user, "mallory", "editor", ""),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("change", [{"role": "viewer"}, {"delete": True}])
def test_admin_cannot_take_ownership_from_the_owner_field_user(
    staff_client, project, owner, other_user, change
):
    url = f"/admin/planner/project/{project.pk}/change/"
    own = Membership.objects.get(project=project, user=owner)
    row = {"id": own.pk, "user": owner.pk, "role": "owner", **change}
    response = staff_client.post(url, _form(project, [row]))
    assert response.status_code == 200  # the form again, with the reason
    assert "stays an owner member" in response.content.decode()
    assert Membership.objects.get(pk=own.pk).role == "owner"
    assert not SharingChange.objects.exists()
