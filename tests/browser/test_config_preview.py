"""Configuration as code in a real browser: from the plan page to the preview, a file picked
from the tree by mouse and by keyboard, its text copied, the zip downloaded; axe on both the
preview and the refused page."""

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from planner import export
from planner.models import Project
from planner.plans import build_plan
from tests.browser.test_accessibility import assert_accessible
from tests.helpers import EXAMPLES, sign_in

pytestmark = pytest.mark.browser

P6 = EXAMPLES["p6-customers-partners-employees"]["answers"]


@pytest.fixture
def p6_project(owner):
    return Project.objects.create(owner=owner, name="Acme identity", answers=dict(P6))


def test_preview_pick_a_file_copy_it_and_download_the_zip(context, owner, p6_project):
    files = export.config_files(build_plan(p6_project))
    yaml_path = next(path for path in files if path.endswith("tenant.yaml"))
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    sign_in(page, "olivia")

    page.goto(f"/projects/{p6_project.code}/plan/")
    page.get_by_role("link", name="Preview the files").click()
    expect(page.get_by_role("heading", name="Configuration as code")).to_be_visible()
    first = next(iter(files))
    expect(page.locator("#config-content")).to_have_text(files[first].decode())
    assert_accessible(page, "the configuration preview")

    # A file picked by mouse: its content, and the link marked as the current file.
    files_nav = page.get_by_role("navigation", name="Files")
    files_nav.get_by_role("link", name="tenant.yaml").first.click()
    expect(page.locator("#config-file-title")).to_have_text(yaml_path)
    content = page.get_by_role("region", name=f"Content of {yaml_path}")
    expect(content).to_have_text(files[yaml_path].decode())
    expect(files_nav.locator('[aria-current="page"]')).to_have_text("tenant.yaml")

    # The copy button (shown by the script) puts exactly the file's text on the clipboard.
    page.get_by_role("button", name="Copy to clipboard").click()
    expect(page.get_by_role("status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == files[yaml_path].decode()

    # By keyboard: focus the README link and press Enter.
    files_nav.get_by_role("link", name="README.md").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#config-file-title")).to_have_text("README.md")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download ZIP").click()
    download = download_info.value
    assert download.suggested_filename == export.archive_name(build_plan(p6_project))
    with zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())) as archive:
        assert {name: archive.read(name) for name in archive.namelist()} == files


def test_refused_export_page(page, owner):
    project = Project.objects.create(
        owner=owner, name="Unfinished", answers={"company_name": "Acme", "tenant_prefix": "acme"}
    )
    sign_in(page, "olivia")
    page.goto(f"/projects/{project.code}/plan/config/")
    expect(
        page.get_by_role("heading", name="The configuration cannot be exported yet")
    ).to_be_visible()
    assert_accessible(page, "the refused export")
    page.get_by_role("link", name="Fix it in “Context”").first.click()
    # The link leads to the first unanswered question the error names.
    expect(page).to_have_url(re.compile(rf"/projects/{project.code}/wizard/context/#q-\w+$"))
    expect(page.get_by_role("heading", name="Context")).to_be_visible()


def test_preview_works_without_javascript(new_context, owner, p6_project):
    files = export.config_files(build_plan(p6_project))
    main_tf = next(path for path in files if path.endswith("main.tf"))
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "olivia")
    page.goto(f"/projects/{p6_project.code}/plan/config/")
    expect(page.get_by_role("button", name="Copy to clipboard")).to_be_hidden()
    page.get_by_role("navigation", name="Files").get_by_role("link", name="main.tf").first.click()
    expect(page.locator("#config-file-title")).to_have_text(main_tf)
    expect(page.locator("#config-content")).to_have_text(files[main_tf].decode())
