"""Project members: add, change a role, remove, leave; every change recorded with its user.

A project keeps at least one owner: the change that would remove the last one is refused.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from planner.models import ROLE_RANK, Membership, Project, SharingChange

LAST_OWNER_MESSAGE = (
    "A project needs at least one owner. Make another member an owner first, then change this."
)


class SharingError(ValueError):
    """A sharing change that is not allowed; the message says why and what to do."""


def find_user(identifier: str):
    """Return the active user with this username or email (case-insensitive), or None."""
    identifier = identifier.strip()
    if not identifier:
        return None
    users = get_user_model().objects.filter(is_active=True)
    by_name = users.filter(username__iexact=identifier).first()
    if by_name is not None:
        return by_name
    matches = list(users.filter(email__iexact=identifier)[:2])
    return matches[0] if len(matches) == 1 else None


def record_change(project, by, member: str, old: str, new: str) -> None:
    """Record one sharing change with the user who made it."""
    SharingChange.objects.create(
        project=project, user=by, member=member, old_role=old, new_role=new
    )


def _lock_members(project: Project) -> dict[int, Membership]:
    # Locks the project's memberships so two owners demoting each other at once cannot leave
    # the project with none (PostgreSQL; SQLite serialises writers anyway).
    return {m.user_id: m for m in Membership.objects.select_for_update().filter(project=project)}


def _check_owners_left(members: dict[int, Membership], user_id: int, new_role: str | None):
    owners = {uid for uid, m in members.items() if m.role == "owner"}
    if new_role != "owner":
        owners.discard(user_id)
    if not owners:
        raise SharingError(LAST_OWNER_MESSAGE)
    return owners


def _keep_primary_owner(project: Project, owners: set[int]) -> None:
    # Project.owner names the plan's author: it follows ownership when its holder steps down.
    if project.owner_id not in owners:
        project.owner_id = min(owners)
        Project.objects.filter(pk=project.pk).update(owner_id=project.owner_id)


def add_member(project: Project, by, user, role: str) -> Membership:
    """Give ``user`` ``role`` on the project (or change their role if already a member)."""
    if role not in ROLE_RANK:
        raise SharingError("Choose a role: viewer, editor or owner.")
    with transaction.atomic():
        members = _lock_members(project)
        if user.pk in members:
            return _set_role(project, by, members, user.pk, role)
        membership = Membership.objects.create(project=project, user=user, role=role, added_by=by)
        record_change(project, by, user.get_username(), "", role)
    return membership


def set_role(project: Project, by, user_id: int, role: str) -> Membership:
    """Change a member's role; refuses to leave the project without an owner."""
    if role not in ROLE_RANK:
        raise SharingError("Choose a role: viewer, editor or owner.")
    with transaction.atomic():
        return _set_role(project, by, _lock_members(project), user_id, role)


def _set_role(project, by, members, user_id: int, role: str) -> Membership:
    membership = members.get(user_id)
    if membership is None:
        raise SharingError("That person is no longer a member of this project.")
    if membership.role == role:
        return membership
    owners = _check_owners_left(members, user_id, role)
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record_change(project, by, membership.user.get_username(), old, role)
    _keep_primary_owner(project, owners)
    return membership


def remove_member(project: Project, by, user_id: int) -> None:
    """Take a member off the project (also used to leave); refuses to remove the last owner."""
    with transaction.atomic():
        members = _lock_members(project)
        membership = members.get(user_id)
        if membership is None:
            return
        owners = _check_owners_left(members, user_id, None)
        membership.delete()
        record_change(project, by, membership.user.get_username(), membership.role, "")
        _keep_primary_owner(project, owners)
