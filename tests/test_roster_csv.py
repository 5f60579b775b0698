"""Roster CSV import (all-or-nothing, problems by line and field) and export (no formulas)."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from planner import rostercsv
from planner.models import Project

DATA = Path(__file__).parent / "data"
P1 = json.loads((DATA / "examples.json").read_text("utf-8"))["p1-five-enterprise-customers"][
    "answers"
]
HEADER = ",".join(rostercsv.roster.FIELDS)
GOOD = (
    HEADER + "\r\n"
    "Contoso,,1,enterprise_idp,entra_id,contoso.com;contoso.de,shared,,,yes,required\r\n"
    "Small businesses,,260,our_database;social,,,shared,,,,\r\n"
)
KEPT = [{"name": "Fabrikam", "sign_in": ["our_database"]}]

pytestmark = pytest.mark.django_db


@pytest.fixture
def p1_project(project):
    project.answers = {**P1, "customers": KEPT}
    project.save()
    return project


def url(project):
    return f"/projects/{project.code}/wizard/customers/"


def upload(client, project, content, typed_name="Typed but not saved", name="roster.csv"):
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    post = {
        "version": str(project.version),
        "shown": ["customers"],
        "customers-total": "1",
        "customers-0-name": typed_name,
        "customers-0-sign_in": ["social"],
        "action": "import_csv",
        "roster_csv": SimpleUploadedFile(name, data, content_type="text/csv"),
    }
    return client.post(url(project), post)


def assert_refused(response, project, *fragments):
    """The import changed nothing, listed every fragment, and kept the typed row on the page."""
    assert response.status_code == 400
    html = response.text
    assert "The file was not imported: nothing changed." in html
    for fragment in fragments:
        assert fragment in html, fragment
    assert 'value="Typed but not saved"' in html
    stored = Project.objects.get(pk=project.pk)
    assert stored.answers["customers"] == KEPT
    assert stored.version == project.version


def test_valid_file_replaces_the_roster(owner_client, p1_project):
    response = upload(owner_client, p1_project, GOOD)
    assert response.status_code == 302
    stored = Project.objects.get(pk=p1_project.pk).answers["customers"]
    assert [row["name"] for row in stored] == ["Contoso", "Small businesses"]
    assert stored[0]["email_domains"] == ["contoso.com", "contoso.de"]
    assert stored[1]["sign_in"] == ["our_database", "social"]
    assert stored[1]["count"] == 260
    assert "Imported 2 roster rows." in owner_client.get(response.url).text


def test_wrong_columns_are_named(owner_client, p1_project):
    response = upload(owner_client, p1_project, "name,colour,sign_in\r\nContoso,red,social\r\n")
    assert_refused(response, p1_project, "unknown column “colour”")


def test_header_without_name_column(owner_client, p1_project):
    assert_refused(
        upload(owner_client, p1_project, "slug\r\ncontoso\r\n"), p1_project, "no “name” column"
    )


def test_extra_cells_on_a_line_are_reported_by_line(owner_client, p1_project):
    response = upload(owner_client, p1_project, "name,sign_in\r\nA,social\r\nB,social,surplus\r\n")
    assert_refused(response, p1_project, "Line 3: 3 cells, but the header names 2 columns")


def test_ten_thousand_rows_are_refused_with_the_limit(owner_client, p1_project):
    lines = "".join(f"Customer {i},social\r\n" for i in range(10_000))
    response = upload(owner_client, p1_project, "name,sign_in\r\n" + lines)
    assert_refused(response, p1_project, "Line 502: the file has more than 500 customers")


def test_duplicate_slugs_name_both_lines(owner_client, p1_project):
    content = "name,slug,sign_in\r\nContoso,acme,social\r\nFabrikam,acme,social\r\n"
    assert_refused(
        upload(owner_client, p1_project, content),
        p1_project,
        "Line 3: Row 2 (Fabrikam), slug: “acme” is already the slug of row 1",
    )


def test_every_row_problem_is_listed_with_its_line(owner_client, p1_project):
    content = "name,count,sign_in,hosting\r\nA,0,social,\r\nB,2,magic,dedicated\r\n"
    response = upload(owner_client, p1_project, content)
    assert_refused(
        response,
        p1_project,
        "Line 2: Row 1 (A), count:",
        "Line 3: Row 2 (B), sign-in methods: “magic” is not a sign-in method",
        "Line 3: Row 2 (B), hosting: a customer with its own tenant must be named",
    )


def test_formula_cells_are_refused(owner_client, p1_project):
    content = (
        'name,sign_in\r\n"=HYPERLINK(""http://evil.example"",""x"")",social\r\n@SUM(1),social\r\n'
    )
    response = upload(owner_client, p1_project, content)
    assert_refused(
        response,
        p1_project,
        "Line 2, name: the cell starts with “=”, which a spreadsheet runs as a formula",
        "Line 3, name: the cell starts with “@”",
    )


def test_apostrophe_keeps_a_formula_like_name_as_text(owner_client, p1_project):
    response = upload(
        owner_client, p1_project, "name,slug,sign_in\r\n'=Equals Inc,equals,social\r\n"
    )
    assert response.status_code == 302
    assert Project.objects.get(pk=p1_project.pk).answers["customers"][0]["name"] == "=Equals Inc"


def test_non_utf8_file_names_the_line(owner_client, p1_project):
    content = "name,sign_in\r\nA,social\r\nCaf\xe9,social\r\n".encode("latin-1")
    assert_refused(
        upload(owner_client, p1_project, content),
        p1_project,
        "Line 3: the file is not UTF-8 text (byte 0xE9 cannot be read)",
    )


def test_five_megabyte_file_is_refused_by_size(owner_client, p1_project):
    content = "name,sign_in\r\n" + ("A" * 99 + ",social\r\n") * 50_000
    assert_refused(upload(owner_client, p1_project, content), p1_project, "The file is 5.4 MB")


def test_broken_quotes_and_empty_files(owner_client, p1_project):
    assert_refused(
        upload(owner_client, p1_project, 'name,sign_in\r\n"Contoso,social\r\n'),
        p1_project,
        "the file is not valid CSV",
    )
    assert_refused(upload(owner_client, p1_project, ""), p1_project, "The file is empty")
    assert_refused(upload(owner_client, p1_project, HEADER + "\r\n"), p1_project, "no customers")


def test_cross_check_against_other_answers_blocks_the_import(owner_client, p1_project):
    content = "name,sign_in,region\r\nContoso,social,jp\r\n"
    assert_refused(upload(owner_client, p1_project, content), p1_project, "Line 2: Row 1 (Contoso)")


def test_no_file_chosen(owner_client, p1_project):
    post = {"version": str(p1_project.version), "shown": ["customers"], "action": "import_csv"}
    response = owner_client.post(url(p1_project), post)
    assert response.status_code == 400
    assert "Choose a CSV file to import" in response.text


def test_export_quotes_every_cell_and_defuses_formulas(owner_client, project):
    project.answers = {
        "customers": [
            {"name": '=HYPERLINK("http://evil")', "sign_in": ["social"]},
            {"name": "+Plus", "sign_in": ["our_database", "social"], "count": 3},
            {"name": "-Minus", "sign_in": ["social"]},
            {"name": "@At", "email_domains": ["at.example"], "sign_in": ["social"]},
            {"name": "\tTab", "sign_in": ["social"]},
        ]
    }
    project.save()
    response = owner_client.get(f"/projects/{project.code}/customers.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    cells = list(csv.reader(io.StringIO(text)))
    assert cells[0] == list(rostercsv.roster.FIELDS)
    for row in cells[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for cell in row)
    assert [row[0] for row in cells[1:]] == [
        "'=HYPERLINK(\"http://evil\")", "'+Plus", "'-Minus", "'@At", "'\tTab"
    ]  # fmt: skip
    assert cells[2][3] == "our_database;social"
    assert all(line.startswith('"') for line in text.splitlines())


def test_export_then_import_round_trips(owner_client, project):
    rows = [
        {"name": "Contoso", "slug": "contoso", "sign_in": ["enterprise_idp"], "idp": "okta",
         "email_domains": ["contoso.com"], "scim": "yes"},
        {"name": "-Dash Co", "slug": "dash-co", "count": 12, "sign_in": ["passwordless"]},
    ]  # fmt: skip
    project.answers = {**P1, "customers": rows}
    project.save()
    exported = owner_client.get(f"/projects/{project.code}/customers.csv").content
    rows_back, _, problems = rostercsv.parse_csv(exported)
    assert problems == []
    assert rows_back == rows


def test_save_and_export_button_saves_typed_rows_first(owner_client, p1_project):
    post = {
        "version": str(p1_project.version),
        "shown": ["customers"],
        "customers-total": "1",
        "customers-0-name": "Typed Co",
        "customers-0-sign_in": ["social"],
        "action": "export_csv",
    }
    response = owner_client.post(url(p1_project), post)
    assert response.status_code == 302
    assert response.url == url(p1_project)  # back to the table, saved
    page = owner_client.get(response.url).text
    csv_url = f"/projects/{p1_project.code}/customers.csv"
    # The page starts the download of what was saved, and carries the saved version, so an
    # import straight after is not refused as "changed elsewhere".
    assert f'http-equiv="refresh" content="0; url={csv_url}"' in page
    p1_project.refresh_from_db()
    assert f'name="version" value="{p1_project.version}"' in page
    assert "Typed Co" in owner_client.get(csv_url).content.decode()
    # Once only: coming back to the page does not download again.
    assert "http-equiv" not in owner_client.get(response.url).text


def test_other_users_get_404_on_export(other_client, project):
    assert other_client.get(f"/projects/{project.code}/customers.csv").status_code == 404


def test_customers_page_offers_import_without_javascript(owner_client, p1_project):
    html = owner_client.get(url(p1_project)).text
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="roster_csv"' in html
    assert 'value="import_csv"' in html and 'value="export_csv"' in html
