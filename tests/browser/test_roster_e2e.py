"""The roster end to end: three customers typed by keyboard alone (a bank with its own tenant,
a customer with its own login domain, an archetype), exported and imported back as CSV with
one more line, a design conflict on the review page, Finish, and the bank's tenant and its
connection read back from the downloaded PDF (pdftotext)."""

import copy
import csv
import io
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from planner.models import Project, Rule
from tests.helpers import load_data, sign_in

pytestmark = pytest.mark.browser

P8 = load_data("examples_v2.json")["p8-hr-suite-mixed-roster"]["answers"]
PREFIX = P8["tenant_prefix"]  # peoplegrid
BANK_TENANT = f"{PREFIX}-harbor-bank"
BANK_CONNECTION = "harbor-bank-okta"
# p8 keeps one login domain per tenant: a shared customer with its own login domain conflicts.
CONFLICT = "cf-one-domain-customer-domains"
PDF_TIMEOUT_MS = 180_000  # a real WeasyPrint render on a busy machine
MAX_TABS = 8


def tab_to(page, target) -> None:
    """Press Tab until ``target`` has the focus (a few fields at most), as a person would."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def choose(page, select, label: str, value: str) -> None:
    """Tab to a closed <select> and type the start of an option's label (type-ahead)."""
    tab_to(page, select)
    page.keyboard.type(label)
    expect(select).to_have_value(value)


def type_row(page, number: int, row: dict) -> None:
    """Type one roster row with the keyboard alone, field by field in tab order."""
    name = page.get_by_label(f"Row {number}: name")
    if number == 1:
        name.focus()  # the first field of the table (a person clicks or tabs into it)
    else:
        tab_to(page, name)
    page.keyboard.type(row["name"])
    if "count" in row:
        tab_to(page, page.get_by_label(f"Row {number}: count"))
        page.keyboard.type(str(row["count"]))
    methods = page.get_by_role("group", name=f"Row {number}: sign-in methods")
    for method in row["sign_in"]:
        box = methods.get_by_label(method, exact=True)
        tab_to(page, box)
        page.keyboard.press("Space")
        expect(box).to_be_checked()
    if "idp" in row:
        choose(page, page.get_by_label(f"Row {number}: identity provider"), *row["idp"])
    if "email_domains" in row:
        tab_to(page, page.get_by_label(f"Row {number}: email domains"))
        page.keyboard.type(row["email_domains"])
    if "hosting" in row:
        choose(page, page.get_by_label(f"Row {number}: hosting"), *row["hosting"])
    if "login_domain" in row:
        tab_to(page, page.get_by_label(f"Row {number}: login domain"))
        page.keyboard.type(row["login_domain"])
    tab_to(page, page.get_by_label(f"Row {number}: MFA"))  # the row's last field


ROWS = [
    {
        "name": "Harbor Bank",
        "sign_in": ["Their own identity provider"],
        "idp": ("Okta", "okta"),
        "email_domains": "harborbank.com",
        "hosting": ("Its own", "dedicated"),
    },
    {
        "name": "Contoso",
        "sign_in": ["Their own identity provider"],
        "idp": ("Microsoft", "entra_id"),
        "email_domains": "contoso.com",
        "login_domain": "login.contoso.com",
    },
    {"name": "Small businesses", "count": 200, "sign_in": ["Social", "Passwordless"]},
]
EXTRA_CSV_LINE = "Fabrikam GmbH,fabrikam,1,enterprise_idp,okta,fabrikam.de,shared,eu,,no,required"


def pdf_text(path: str) -> str:
    out = subprocess.run(["pdftotext", path, "-"], capture_output=True, check=True, text=True)
    return re.sub(r"\s+", " ", out.stdout)


def test_roster_by_keyboard_csv_round_trip_conflict_and_the_bank_in_the_pdf(page, owner, tmp_path):
    answers = copy.deepcopy(P8)
    del answers["customers"]
    project = Project.objects.create(owner=owner, name="Peoplegrid", answers=answers)
    sign_in(page, "olivia")
    page.goto(f"/projects/{project.code}/wizard/customers/")
    expect(page.get_by_role("heading", name="Customers", exact=True)).to_be_visible()
    for number, row in enumerate(ROWS, start=1):
        type_row(page, number, row)
    expect(page.get_by_label("Row 1: slug")).to_have_attribute("placeholder", "harbor-bank")

    # Save and export the typed roster as CSV (keyboard: focus the button, press Enter).
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Save and export CSV").focus()
        page.keyboard.press("Enter")
    exported = Path(download_info.value.path()).read_text("utf-8")
    project.refresh_from_db()
    assert [r["name"] for r in project.answers["customers"]] == [r["name"] for r in ROWS]
    bank = next(csv.DictReader(io.StringIO(exported)))
    assert (bank["name"], bank["idp"], bank["hosting"]) == ("Harbor Bank", "okta", "dedicated")
    assert (bank["sign_in"], bank["email_domains"]) == ("enterprise_idp", "harborbank.com")

    # Import it back with one more line, on the page the export left (no reload: the export
    # came back to the saved table): the roster now holds four customers.
    csv_file = tmp_path / "roster.csv"
    csv_file.write_text(exported.rstrip("\r\n") + "\r\n" + EXTRA_CSV_LINE + "\r\n", "utf-8")
    page.locator("#id_roster_csv").set_input_files(str(csv_file))
    page.get_by_role("button", name="Import CSV").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Row 4: name")).to_have_value("Fabrikam GmbH")
    expect(page.get_by_label("Row 1: hosting")).to_have_value("dedicated")
    project.refresh_from_db()
    assert [r["name"] for r in project.answers["customers"]] == [
        "Harbor Bank", "Contoso", "Small businesses", "Fabrikam GmbH"
    ]  # fmt: skip

    # The review page shows the conflict before Finish, with a link to the roster.
    page.goto(f"/projects/{project.code}/review/")
    conflict = page.locator(f"#conflict-{CONFLICT}")
    expect(
        conflict.get_by_role("heading", name=Rule.objects.get(key=CONFLICT).title)
    ).to_be_visible()
    expect(conflict.get_by_role("link", name="Customers")).to_have_attribute(
        "href", re.compile(r"/wizard/customers/#q-customers$")
    )
    page.get_by_role("button", name="Finish").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/plan/$"))
    project.refresh_from_db()
    assert project.is_finished

    with page.expect_download(timeout=PDF_TIMEOUT_MS) as download_info:
        page.get_by_role("link", name="Download PDF").click(timeout=PDF_TIMEOUT_MS)
    text = pdf_text(download_info.value.path())
    # Its line in Customers and connections: its own tenant and its Okta connection.
    assert "Customers with their own tenant" in text
    assert re.search(rf"Harbor Bank\s+{BANK_TENANT}\s+{BANK_CONNECTION} \(okta\)\*", text)
    assert f"{BANK_TENANT}-prod" in text  # and its production tenant in the inventory
