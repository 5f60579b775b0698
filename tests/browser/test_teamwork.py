"""Teamwork through the real pages: the owner saves a milestone and invites a colleague by
email; the colleague accepts, sets a password, edits an answer and saves a milestone; the owner
sees the difference."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from planner import catalog
from planner.models import ChecklistTick, Membership, Milestone, Project
from tests.helpers import sign_in

pytestmark = pytest.mark.browser

EXAMPLES = json.loads((Path(__file__).parent.parent / "data" / "examples.json").read_text())
P2 = EXAMPLES["p2-small-business-saas"]["answers"]
NEW_PASSWORD = "teamwork-passphrase-for-ann-42"  # noqa: S105


def save_milestone(page):
    # Inline mode (the tests' settings) renders the milestone's PDF at once: allow for a busy
    # machine.
    with page.expect_navigation(timeout=120_000):
        page.get_by_role("button", name="Save a milestone").click(no_wait_after=True)


def test_invite_accept_edit_milestone_and_diff(page, new_context, owner, mailoutbox):
    project = Project.objects.create(owner=owner, name="Tally identity", answers=dict(P2))
    sign_in(page, "olivia")

    # The owner freezes the current plan as milestone 1.
    page.goto(f"/projects/{project.code}/")
    page.get_by_role("link", name="Save a milestone").click()
    page.get_by_label("Milestone name").fill("Sent to Tally")
    save_milestone(page)
    expect(page.get_by_role("link", name="Milestone 1: Sent to Tally")).to_be_visible()

    # ... and invites a colleague who has no account yet.
    page.get_by_role("link", name="Sharing").click()
    page.get_by_label("Username or email").fill("ann@example.com")
    page.locator("#id_role").select_option("editor")
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_text("Invitation sent to ann@example.com as editor.")).to_be_visible()
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", mailoutbox[0].body).group(0)

    # The colleague accepts in their own browser session and chooses a password.
    colleague = new_context().new_page()
    colleague.goto(link)
    expect(colleague.get_by_role("heading", name="Join “Tally identity”")).to_be_visible()
    colleague.locator("#id_username").fill("ann")
    colleague.locator("#id_password1").fill(NEW_PASSWORD)
    colleague.locator("#id_password2").fill(NEW_PASSWORD)
    colleague.get_by_role("button", name="Create my account and join").click()
    expect(colleague.get_by_text("Welcome! You are editor on “Tally identity”.")).to_be_visible()
    assert Membership.objects.get(project=project, user__username="ann").role == "editor"

    # The colleague changes the environments (a staging tenant appears) and saves milestone 2.
    colleague.goto(f"/projects/{project.code}/wizard/sdlc/")
    staging = catalog.QUESTIONS["environments"].values.index("staging")
    colleague.locator(f"#id_environments_{staging}").check()
    colleague.get_by_role("button", name="Save and continue").click()
    colleague.goto(f"/projects/{project.code}/milestones/")
    colleague.get_by_label("Milestone name").fill("With staging")
    save_milestone(colleague)
    expect(colleague.get_by_role("link", name="Milestone 2: With staging")).to_be_visible()
    assert Milestone.objects.get(number=2).created_by.username == "ann"

    # The owner compares milestone 1 with milestone 2.
    page.goto(f"/projects/{project.code}/")
    expect(page.get_by_role("link", name="Milestone 2: With staging")).to_be_visible()
    page.get_by_role("link", name="Compare versions").click()
    page.get_by_label("From").select_option("1")
    page.get_by_label("To").select_option("2")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".diff-tenants")).to_contain_text("Added: tally-staging")
    expect(page.locator(".diff-answers")).to_contain_text("Staging")
    expect(page.get_by_role("heading", name="Answers (1 changed)")).to_be_visible()


def test_ticking_a_checklist_box_saves_it_by_itself(page, owner):
    project = Project.objects.create(owner=owner, name="Tally identity", answers=dict(P2))
    sign_in(page, "olivia")
    page.goto(f"/projects/{project.code}/checklist/")
    first = page.locator("form.checklist-item").first
    expect(first.locator(".checklist-save")).to_be_hidden()  # the script saves on change
    box = first.get_by_role("checkbox")
    item = first.locator('input[name="item"]').get_attribute("value")
    with page.expect_navigation():
        box.check()
    expect(page.locator(f"#done-{item}")).to_be_checked()
    expect(page.locator(f"#item-{item}")).to_contain_text("Done by olivia")
    assert ChecklistTick.objects.get(project=project, item=item).done
