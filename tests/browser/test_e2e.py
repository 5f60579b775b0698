"""End to end through the real pages: sign in, create a project, answer the wizard (Back, a
section jump, a question revealed by JavaScript), finish, read the plan and its PDF; then edit a
rule in the admin and see the plan change."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from planner import catalog, roster
from planner.models import Project, Rule
from tests.helpers import EXAMPLES, sign_in

pytestmark = pytest.mark.browser

P4 = EXAMPLES["p4-customer-with-idp-and-social"]
ANSWERS = P4["answers"]
TENANTS = [tenant["name"] for tenant in P4["expected"]["tenants"]]
# A rule that does not fire for p4 (it answers branded_social_consent "no"); the admin part
# makes it fire.
DORMANT_RULE = "tp-branded-social-consent"


def set_answer(page, key: str, value) -> None:
    """Answer one question the way a person does: type, click a radio, tick checkboxes."""
    question = catalog.QUESTIONS[key]
    if question.type in ("text", "int"):
        page.locator(f"#id_{key}").fill(str(value))
        return
    chosen = set(value) if isinstance(value, list) else {value}
    for index, choice in enumerate(question.choices):
        box = page.locator(f"#id_{key}_{index}")
        if choice.value in chosen:
            box.check()
        elif question.type == "multi":
            box.uncheck()


def answer_section(page, section_key: str, answers: dict, skip=()) -> None:
    """Answer every visible question of the section that the answers mention."""
    for question in catalog.section(section_key).questions:
        if question.key in answers and question.key not in skip:
            expect(page.locator(f"#q-{question.key}")).to_be_visible()
            set_answer(page, question.key, answers[question.key])


def section_nav(page):
    return page.get_by_role("navigation", name="Questionnaire sections")


def save_and_continue(page):
    page.get_by_role("button", name="Save and continue").click()


def canonical(answers: dict) -> dict:
    """Return the answers with every list sorted (multi answers are stored in catalog order)."""
    return {k: sorted(v) if isinstance(v, list) else v for k, v in answers.items()}


def pdf_text(path: str) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


def test_questionnaire_to_plan_to_pdf_and_a_rule_edit_changes_the_plan(
    page, new_context, owner, staff_user
):
    sign_in(page, "olivia")
    project = create_project(page, owner)
    answer_context_and_provisioning(page)
    back_keeps_the_answers(page)
    fill_the_roster(page)
    for key in ("association", "custom_domains", "sdlc", "security"):
        expect(page.get_by_role("heading", name=catalog.section(key).title)).to_be_visible()
        answer_section(page, key, ANSWERS)
        save_and_continue(page)
    dormant, fired_title = finish_and_read_the_plan(page, project)
    the_pdf_holds_the_plan(page, fired_title)
    an_administrator_edits_the_rule(new_context, dormant)

    # The owner reloads the plan: the rule now fires.
    page.reload()
    expect(page.get_by_role("heading", name=dormant.title)).to_be_visible()


def create_project(page, owner) -> Project:
    page.get_by_role("link", name="Create your first project").click()
    page.get_by_label("Project name").fill("Crewlink identity")
    page.get_by_label("Description (optional)").fill("Customers with their own IdPs.")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="Context", exact=True)).to_be_visible()
    return Project.objects.get(name="Crewlink identity", owner=owner)


def answer_context_and_provisioning(page) -> None:
    # Context: answer everything, then jump to the next section through the section nav.
    answer_section(page, "context", ANSWERS)
    section_nav(page).get_by_role("button", name="Tenant provisioning").click()
    expect(page.get_by_role("heading", name="Tenant provisioning")).to_be_visible()

    # Provisioning: the branded-consent question appears when "social" is ticked, without a
    # page load (wizard.js evaluates the show_if condition).
    consent = page.locator("#q-branded_social_consent")
    dependent = {"customer_auth_methods", "branded_social_consent", "idp_switch_later"}
    answer_section(page, "provisioning", ANSWERS, skip=dependent)
    expect(consent).to_be_hidden()
    social = catalog.QUESTIONS["customer_auth_methods"].values.index("social")
    url_before = page.url
    page.locator(f"#id_customer_auth_methods_{social}").check()
    expect(consent).to_be_visible()
    assert page.url == url_before
    page.locator(f"#id_customer_auth_methods_{social}").uncheck()
    expect(consent).to_be_hidden()
    answer_section(page, "provisioning", ANSWERS)
    expect(consent).to_be_visible()


def back_keeps_the_answers(page) -> None:
    # "Back" saves this page and returns to Context, whose typed answers survived the jump.
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_role("heading", name="Context", exact=True)).to_be_visible()
    expect(page.locator("#id_company_name")).to_have_value(ANSWERS["company_name"])
    expect(page.locator("#id_tenant_prefix")).to_have_value(ANSWERS["tenant_prefix"])
    expect(page.locator("#id_primary_domain")).to_have_value(ANSWERS["primary_domain"])

    # Back to provisioning by the section nav: what was typed there before "Back" is kept.
    section_nav(page).get_by_role("button", name="Tenant provisioning").click()
    social = catalog.QUESTIONS["customer_auth_methods"].values.index("social")
    expect(page.locator(f"#id_customer_auth_methods_{social}")).to_be_checked()
    expect(page.locator("#q-branded_social_consent")).to_be_visible()
    isolated = catalog.QUESTIONS["user_isolation"].values.index(ANSWERS["user_isolation"])
    expect(page.locator(f"#id_user_isolation_{isolated}")).to_be_checked()
    save_and_continue(page)


def fill_the_roster(page) -> None:
    # Customers: one roster row typed into the table (no script needed); its slug is proposed.
    expect(page.get_by_role("heading", name="Customers", exact=True)).to_be_visible()
    page.get_by_label("Row 1: name").fill("Globex Corp")
    expect(page.get_by_label("Row 1: slug")).to_have_attribute("placeholder", "globex-corp")
    # roster.js proposes the slug the server would (planner.roster.propose_slug).
    accented = "  Société Générale & Ørsted—Co  "
    page.get_by_label("Row 2: name").fill(accented)
    expect(page.get_by_label("Row 2: slug")).to_have_attribute(
        "placeholder", roster.propose_slug(accented)
    )
    page.get_by_label("Row 2: name").fill("")
    page.get_by_role("group", name="Row 1: sign-in methods").get_by_label("Social").check()
    save_and_continue(page)


def finish_and_read_the_plan(page, project: Project) -> tuple[Rule, str]:
    """Review, then Finish: the plan page names every tenant; return the dormant rule and the
    title of a rule that fired."""
    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible()
    expect(page.get_by_text(ANSWERS["company_name"], exact=True)).to_be_visible()
    page.get_by_role("button", name="Finish").click()
    page.wait_for_url(re.compile(r"/plan/$"))
    customers = page.locator("#customers").locator("xpath=..")
    expect(customers.get_by_role("rowheader", name="Globex Corp (globex-corp)")).to_be_visible()
    inventory = page.locator("#inventory").locator("xpath=..")
    for tenant in TENANTS:
        expect(inventory.get_by_text(tenant, exact=True).first).to_be_visible()
    project.refresh_from_db()
    assert project.finished_at is not None
    assert canonical({k: project.answers.get(k) for k in ANSWERS}) == canonical(ANSWERS)

    dormant = Rule.objects.get(key=DORMANT_RULE)
    fired_title = Rule.objects.get(key=P4["expected"]["fired_rules"][1]).title
    expect(page.get_by_role("heading", name=fired_title)).to_be_visible()
    expect(page.get_by_role("heading", name=dormant.title)).to_have_count(0)
    return dormant, fired_title


def the_pdf_holds_the_plan(page, fired_title: str) -> None:
    # The PDF download holds the tenant names and a rule title.
    # A real WeasyPrint render (inline in DEBUG): seconds when idle, far more on a busy machine,
    # which the page's default timeout is not meant to cover.
    with page.expect_download(timeout=180_000) as download_info:
        page.get_by_role("link", name="Download PDF").click(timeout=180_000)
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    text = pdf_text(download.path())
    for tenant in TENANTS:
        assert tenant in text
    assert fired_title in text


def an_administrator_edits_the_rule(new_context, dormant: Rule) -> None:
    # An administrator edits the dormant rule: a typo is refused with a suggestion, then a
    # condition that holds for this project is saved.
    admin = new_context().new_page()
    sign_in(admin, "sam", next_path="/admin/")
    admin.goto(f"/admin/planner/rule/{dormant.pk}/change/")
    condition = admin.locator("#id_condition")
    condition.fill('user_isolation == "isolatd"')
    admin.get_by_role("button", name="Save", exact=True).first.click()
    error = admin.locator(".errorlist").filter(has_text="isolatd")
    expect(error).to_be_visible()
    expect(error).to_contain_text('did you mean "isolated"')
    assert Rule.objects.get(pk=dormant.pk).condition == dormant.condition
    expect(condition).to_have_value('user_isolation == "isolatd"')
    condition.fill('user_isolation == "isolated"')
    admin.get_by_role("button", name="Save", exact=True).first.click()
    expect(admin.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Rule.objects.get(pk=dormant.pk).condition == 'user_isolation == "isolated"'


def test_wizard_works_without_javascript(new_context, owner):
    """The server decides visibility: without wizard.js a revealed question arrives on save."""
    project = Project.objects.create(owner=owner, name="No script")
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "olivia")
    page.goto(f"/projects/{project.code}/wizard/provisioning/")
    consent = page.locator("#q-branded_social_consent")
    expect(consent).to_be_hidden()
    social = catalog.QUESTIONS["customer_auth_methods"].values.index("social")
    page.locator(f"#id_customer_auth_methods_{social}").check()
    expect(consent).to_be_hidden()  # no script: nothing changes until the page is saved
    save_and_continue(page)
    expect(page.get_by_text("Your answers brought up more questions")).to_be_visible()
    expect(consent).to_be_visible()
    project.refresh_from_db()
    assert project.answers["customer_auth_methods"] == ["social"]
    assert "branded_social_consent" not in project.answers


def test_harness_blocks_other_origins(new_context):
    """The guard itself: a request to another origin is aborted and recorded (then forgiven)."""
    from playwright.sync_api import Error as PlaywrightError

    page = new_context().new_page()
    with pytest.raises(PlaywrightError):
        page.goto("https://example.com/")
    assert new_context.blocked == ["https://example.com/"]
    new_context.blocked.clear()
