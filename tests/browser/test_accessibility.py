"""axe-core on every page, with and without errors: no serious or critical violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from planner import catalog
from planner.models import Project, Rule
from tests.helpers import EXAMPLES, sign_in

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}
P4_ANSWERS = EXAMPLES["p4-customer-with-idp-and-social"]["answers"]
SECTION_KEYS = [section.key for section in catalog.SECTIONS]

_axe = Axe()


def assert_accessible(page, what: str) -> None:
    """Run axe-core on the page as it is now; fail on serious or critical violations."""
    results = _axe.run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    details = "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']}; targets: "
        + "; ".join(
            " ".join(node["target"]) + " -- " + node.get("failureSummary", "").replace("\n", " ")
            for node in v["nodes"][:3]
        )
        for v in blocking
    )
    assert not blocking, f"axe found serious/critical violations on {what} ({page.url}):\n{details}"


@pytest.fixture
def owner_page(page, owner):
    sign_in(page, "olivia")
    return page


@pytest.fixture
def finished_project(owner):
    return Project.objects.create(
        owner=owner, name="Crewlink identity", answers=dict(P4_ANSWERS), touched_sections=[]
    )


def test_sign_in_page(page):
    page.goto("/accounts/login/")
    assert_accessible(page, "the sign-in page")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".alert, .invalid-feedback, .errorlist").first).to_be_visible()
    assert_accessible(page, "the sign-in page with errors")


def test_project_list_empty_then_with_projects(owner_page, owner):
    owner_page.goto("/")
    expect(owner_page.get_by_text("No projects yet")).to_be_visible()
    assert_accessible(owner_page, "the empty project list")
    for number in range(3):
        Project.objects.create(owner=owner, name=f"Project {number}", description="A test.")
    owner_page.reload()
    expect(owner_page.get_by_role("link", name="Project 2")).to_be_visible()
    assert_accessible(owner_page, "the project list")


def test_project_create_form_with_errors(owner_page):
    owner_page.goto("/projects/new/")
    assert_accessible(owner_page, "the new project form")
    owner_page.get_by_role("button", name="Create project").click()
    expect(owner_page.locator(".invalid-feedback, .errorlist").first).to_be_visible()
    assert_accessible(owner_page, "the new project form with errors")


def test_project_detail_rename_duplicate_delete_pages(owner_page, finished_project):
    owner_page.goto(finished_project.get_absolute_url())
    expect(owner_page.get_by_role("heading", name=finished_project.name)).to_be_visible()
    assert_accessible(owner_page, "the project page")
    for path in ("edit", "delete", "duplicate"):
        owner_page.goto(f"/projects/{finished_project.code}/{path}/")
        assert_accessible(owner_page, f"the project {path} page")


@pytest.mark.parametrize("section_key", SECTION_KEYS)
def test_wizard_section_without_and_with_errors(owner_page, owner, section_key):
    project = Project.objects.create(owner=owner, name="Empty")
    owner_page.goto(f"/projects/{project.code}/wizard/{section_key}/")
    expect(owner_page.get_by_role("heading", level=1)).to_have_text(
        catalog.section(section_key).title
    )
    assert_accessible(owner_page, f"wizard section {section_key}")
    if section_key == "customers":  # an empty roster is valid: enter a row that is not
        owner_page.get_by_label("Row 1: name").fill("Contoso")
    if section_key == "security":  # every question is optional: make two answers contradict
        values = catalog.QUESTIONS["compliance_regimes"].values
        owner_page.locator(f"#id_compliance_regimes_{values.index('none')}").check()
        other = next(i for i, value in enumerate(values) if value != "none")
        owner_page.locator(f"#id_compliance_regimes_{other}").check()
    owner_page.get_by_role("button", name="Save and continue").click()
    expect(owner_page.locator("#error-summary")).to_be_visible()
    expect(owner_page.locator("#error-summary")).to_be_focused()
    assert_accessible(owner_page, f"wizard section {section_key} with errors")


def test_wizard_section_with_every_question_shown(owner_page, finished_project):
    """Dependent questions revealed, choices checked (p4 answers) on every section."""
    for section_key in SECTION_KEYS:
        owner_page.goto(f"/projects/{finished_project.code}/wizard/{section_key}/")
        assert_accessible(owner_page, f"answered wizard section {section_key}")


def test_review_and_plan_pages(owner_page, finished_project):
    owner_page.goto(f"/projects/{finished_project.code}/review/")
    assert_accessible(owner_page, "the review page")
    owner_page.goto(f"/projects/{finished_project.code}/plan/")
    expect(owner_page.get_by_role("heading", name="Tenant inventory")).to_be_visible()
    assert_accessible(owner_page, "the plan page")


def test_incomplete_project_review_and_plan(owner_page, owner):
    project = Project.objects.create(owner=owner, name="Half done", answers={"company_name": "X"})
    owner_page.goto(f"/projects/{project.code}/review/")
    assert_accessible(owner_page, "the review page of an incomplete project")
    owner_page.goto(f"/projects/{project.code}/plan/")
    assert_accessible(owner_page, "the plan page of an incomplete project")


def test_admin_rule_pages(page, staff_user, finished_project):
    sign_in(page, "sam", next_path="/admin/")
    rule = Rule.objects.get(key="tp-branded-social-consent")
    page.goto("/admin/planner/rule/")
    assert_accessible(page, "the admin rule list")
    page.goto(f"/admin/planner/rule/{rule.pk}/change/")
    assert_accessible(page, "the admin rule change form")
    page.locator("#id_condition").fill('user_isolation == "isolatd"')
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert_accessible(page, "the admin rule change form with errors")
    page.goto(
        f"/admin/planner/rule/{rule.pk}/change/?preview_project={finished_project.code}#preview"
    )
    expect(page.locator(".preview-result")).to_be_visible()
    assert_accessible(page, "the admin rule preview")


def test_admin_question_reference(page, staff_user):
    sign_in(page, "sam", next_path="/admin/")
    page.goto("/admin/planner/rule/reference/")
    expect(page.get_by_role("heading", name="Question reference")).to_be_visible()
    assert_accessible(page, "the admin question reference")
