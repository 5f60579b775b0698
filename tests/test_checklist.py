"""The tracked checklist: members tick items with who and when; progress per section."""

import json
import re
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from planner import checklist
from planner.models import ChecklistTick, Membership
from planner.plans import build_plan

EXAMPLES = json.loads((Path(__file__).parent / "data" / "examples.json").read_text())
P2 = EXAMPLES["p2-small-business-saas"]["answers"]


@pytest.fixture
def p2_project(project, db):
    call_command("load_rules", verbosity=0)
    project.answers = dict(P2)
    project.save()
    return project


@pytest.fixture
def editor(django_user_model, p2_project):
    user = django_user_model.objects.create_user(username="eddie")
    Membership.objects.create(project=p2_project, user=user, role="editor")
    return user


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _items(project):
    return [item.rule for group in build_plan(project).checklist for item in group.items]


def _tick(client, project, item, done="1"):
    return client.post(f"/projects/{project.code}/checklist/", {"item": item, "done": done})


@pytest.mark.django_db
def test_members_tick_items_with_who_and_when(owner_client, p2_project, editor):
    first, second = _items(p2_project)[:2]
    assert _tick(owner_client, p2_project, first).status_code == 302
    assert _tick(_client(editor), p2_project, second).status_code == 302
    ticks = {t.item: t for t in ChecklistTick.objects.all()}
    assert ticks[first].done and ticks[first].changed_by.username == "olivia"
    assert ticks[second].done and ticks[second].changed_by.username == "eddie"
    page = owner_client.get(f"/projects/{p2_project.code}/checklist/").content.decode()
    total = len(_items(p2_project))
    assert f"2 of {total} done." in page
    assert "Done by eddie" in page and "Done by olivia" in page

    assert _tick(_client(editor), p2_project, first, done="0").status_code == 302
    tick = ChecklistTick.objects.get(item=first)
    assert not tick.done and tick.changed_by.username == "eddie"
    assert ChecklistTick.objects.count() == 2


@pytest.mark.django_db
def test_two_members_working_from_the_same_page_lose_nothing(owner_client, p2_project, editor):
    items = _items(p2_project)[:4]
    editor_client = _client(editor)
    # Both loaded the page before either ticked; each posts only the item they tick.
    owner_client.get(f"/projects/{p2_project.code}/checklist/")
    editor_client.get(f"/projects/{p2_project.code}/checklist/")
    for index, item in enumerate(items):
        _tick(owner_client if index % 2 else editor_client, p2_project, item)
    assert set(ChecklistTick.objects.filter(done=True).values_list("item", flat=True)) == set(items)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database raises table locks at once instead of waiting; "
    "run with DATABASE_URL=postgres://... to exercise real concurrency",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_ticks_from_two_threads_lose_nothing(project, owner, django_user_model):
    other = django_user_model.objects.create_user(username="eddie")
    items = [f"rule-{i}" for i in range(10)]
    barrier = threading.Barrier(2)
    errors = []

    def work(user, mine):
        try:
            barrier.wait(timeout=10)
            for item in mine:
                checklist.set_item(project, user, item, True)
                checklist.set_item(project, user, "shared-item", True)
        except Exception as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(owner, items[0::2])),
        threading.Thread(target=work, args=(other, items[1::2])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    done = set(ChecklistTick.objects.filter(done=True).values_list("item", flat=True))
    assert done == {*items, "shared-item"}
    assert ChecklistTick.objects.filter(item="shared-item").count() == 1


@pytest.mark.django_db
def test_viewer_sees_the_checklist_but_cannot_tick(django_user_model, p2_project):
    viewer = django_user_model.objects.create_user(username="vera")
    Membership.objects.create(project=p2_project, user=viewer, role="viewer")
    client = _client(viewer)
    page = client.get(f"/projects/{p2_project.code}/checklist/").content.decode()
    assert "checklist-save" not in page and 'name="was"' not in page  # no form to post
    assert _tick(client, p2_project, _items(p2_project)[0]).status_code == 403
    assert not ChecklistTick.objects.exists()


@pytest.mark.django_db
def test_unknown_item_is_refused_with_a_message(owner_client, p2_project):
    response = _tick(owner_client, p2_project, "not-a-rule")
    assert response.status_code == 302
    page = owner_client.get(response.url).content.decode()
    assert "no longer in the plan" in page
    assert not ChecklistTick.objects.exists()


@pytest.mark.django_db
def test_plan_shows_progress_per_section(owner_client, p2_project):
    plan = build_plan(p2_project)
    group = plan.checklist[0]
    _tick(owner_client, p2_project, group.items[0].rule)
    page = owner_client.get(f"/projects/{p2_project.code}/plan/").content.decode()
    assert f"{group.title} 1/{len(group.items)}" in page


@pytest.mark.django_db
def test_checklist_is_a_list_of_checkboxes_that_save_without_javascript(
    owner_client, p2_project, editor
):
    first = _items(p2_project)[0]
    url = f"/projects/{p2_project.code}/checklist/"
    page = owner_client.get(url).content.decode()
    box = re.search(rf'<input [^>]*id="done-{first}"[^>]*>', page).group(0)
    assert 'type="checkbox"' in box and 'name="done"' in box and "checked" not in box
    assert f'<label class="form-check-label" for="done-{first}">' in page
    assert "js/checklist.js" in page and "checklist-save" in page  # Save button for no-JS
    # The form as a browser sends it: the box ticked, then unticked (no "done" at all).
    response = owner_client.post(url, {"item": first, "was": "0", "done": "1"})
    assert response.status_code == 302 and response.url.endswith(f"#item-{first}")
    box = re.search(rf'<input [^>]*id="done-{first}"[^>]*>', owner_client.get(url).content.decode())
    assert "checked" in box.group(0)
    assert owner_client.post(url, {"item": first, "was": "1"}).status_code == 302
    assert not ChecklistTick.objects.get(item=first).done


@pytest.mark.django_db
def test_a_box_saved_unchanged_from_a_stale_page_keeps_a_colleagues_tick(
    owner_client, p2_project, editor
):
    first = _items(p2_project)[0]
    url = f"/projects/{p2_project.code}/checklist/"
    _tick(_client(editor), p2_project, first)  # eddie ticks it; olivia's page still shows it open
    response = owner_client.post(url, {"item": first, "was": "0"}, follow=True)
    assert "Nothing changed" in response.content.decode()
    tick = ChecklistTick.objects.get(item=first)
    assert tick.done and tick.changed_by == editor


@pytest.mark.django_db
def test_viewer_sees_disabled_boxes_and_no_script(django_user_model, p2_project):
    viewer = django_user_model.objects.create_user(username="vera")
    Membership.objects.create(project=p2_project, user=viewer, role="viewer")
    page = _client(viewer).get(f"/projects/{p2_project.code}/checklist/").content.decode()
    boxes = re.findall(r'<input [^>]*type="checkbox"[^>]*>', page)
    assert boxes and all("disabled" in box for box in boxes)
    assert "checklist-save" not in page and "js/checklist.js" not in page
