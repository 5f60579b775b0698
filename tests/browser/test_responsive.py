"""The plan and wizard pages at 375 px (a phone) and 1280 px (a laptop), axe still clean."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import assert_accessible, finished_project  # noqa: F401
from tests.helpers import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1280, "height": 900}
# Set PLANNER_SCREENSHOTS to a directory to keep full-page screenshots for a look.
SCREENSHOTS = os.environ.get("PLANNER_SCREENSHOTS", "")


def open_as_owner(new_context, viewport, path):
    page = new_context(viewport=viewport).new_page()
    sign_in(page, "olivia")
    page.goto(path)
    return page


def snapshot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_plan_page_on_a_phone(new_context, owner, finished_project):  # noqa: F811
    page = open_as_owner(new_context, PHONE, f"/projects/{finished_project.code}/plan/")
    snapshot(page, "plan-375")
    assert page_width(page) <= PHONE["width"], "the page itself scrolls sideways"
    # The navigation collapses behind a toggler.
    toggler = page.get_by_role("button", name="Show the menu")
    expect(toggler).to_be_visible()
    expect(page.get_by_role("link", name="Projects", exact=True)).to_be_hidden()
    toggler.click()
    expect(page.get_by_role("link", name="Projects", exact=True)).to_be_visible()
    # The inventory scrolls inside its own box, with a visible cue.
    inventory = page.locator(".inventory-scroll")
    assert inventory.evaluate("el => el.scrollWidth > el.clientWidth")
    expect(page.locator(".scroll-cue")).to_be_visible()
    # The diagram keeps a readable size (it scrolls) and links to the full-size SVG.
    svg_width = page.locator(".diagram svg").evaluate("el => el.getBoundingClientRect().width")
    assert svg_width >= 500
    expect(page.get_by_role("link", name="Open the diagram full-size (SVG)")).to_be_visible()
    assert_accessible(page, "the plan page at 375 px")


def test_plan_page_on_a_laptop(new_context, owner, finished_project):  # noqa: F811
    page = open_as_owner(new_context, LAPTOP, f"/projects/{finished_project.code}/plan/")
    snapshot(page, "plan-1280")
    assert page_width(page) <= LAPTOP["width"]
    expect(page.get_by_role("button", name="Show the menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Projects", exact=True)).to_be_visible()
    expect(page.locator(".scroll-cue")).to_be_hidden()
    assert_accessible(page, "the plan page at 1280 px")


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["375", "1280"])
def test_wizard_page(new_context, owner, finished_project, viewport):  # noqa: F811
    path = f"/projects/{finished_project.code}/wizard/custom_domains/"
    page = open_as_owner(new_context, viewport, path)
    snapshot(page, f"wizard-{viewport['width']}")
    assert page_width(page) <= viewport["width"]
    doc_link = page.locator(".question-help a").first
    assert doc_link.get_attribute("target") == "_blank"
    assert "noopener" in doc_link.get_attribute("rel")
    assert_accessible(page, f"a wizard section at {viewport['width']} px")
