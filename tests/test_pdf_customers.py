"""The PDF's roster chapters: conflicts first and counted on the cover, the customers'
blueprint per tenant, custom domains and DNS, and what the design uses."""

import io
import json
import re
from pathlib import Path

from pypdf import PdfReader

from planner import pdf
from planner.plans import build_plan_from_answers

DATA = Path(__file__).parent / "data"
P1 = json.loads((DATA / "examples.json").read_text("utf-8"))["p1-five-enterprise-customers"][
    "answers"
]
P8 = json.loads((DATA / "examples_v2.json").read_text("utf-8"))["p8-hr-suite-mixed-roster"][
    "answers"
]


def pages_of(answers: dict, name: str) -> list[str]:
    plan = build_plan_from_answers(answers, name=name, author="Olivia Architect")
    _, _, content = pdf.render_plan_pdf(plan)
    return [
        re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages
    ]


def test_p8_pdf_conflicts_customers_dns_and_usage(default_rules):
    pages = pages_of(P8, "PeopleGrid HR suite")
    # The cover counts the open conflicts; the chapter comes before the executive summary.
    assert "1 open design conflict: see Design conflicts." in pages[0]
    contents = pages[1]
    assert contents.index("Design conflicts") < contents.index("Executive summary")
    assert contents.index("Customers and connections") < contents.index("Recommendations")
    body = " ".join(pages[2:])
    assert body.index("Design conflicts") < body.index("Executive summary")
    assert "Rule cf-one-domain-customer-domains" in body
    # Customers and connections: a table per tenant stem, one line per customer; the last
    # column names only what applies (a dash when nothing does).
    start = body.index("Customers and connections Where each customer")
    chapter = body[start : body.index("Custom domains and DNS Every", start)]
    assert "Tenant peoplegrid Customer Organization Connections (strategy)" in chapter
    assert "Tenant peoplegrid-eu Customer Organization" in chapter
    assert (
        "Contoso Bank contoso contoso-entra-id (waad)* HRD contoso.com · login domain "
        "login.contoso.com · inbound SCIM · MFA required"
    ) in chapter
    assert (
        "Northwind Traders northwind northwind-google-workspace (google-apps)*, "
        "northwind-users (auth0) HRD northwindtraders.com"
    ) in chapter
    assert (
        "Mid-market customers ×140 {customer} {customer}-users (auth0), "
        "google-oauth2 (google-oauth2) —"
    ) in chapter
    assert "Customers with their own tenant" not in chapter  # p8 has none
    # Custom domains and DNS, and what the design uses.
    dns = body[body.index("Custom domains and DNS Every custom domain") :]
    assert "login.contoso.com in tenant peoplegrid-prod Auth0-managed: CNAME The customer" in dns
    usage = body[body.index("What the design uses Counts") :]
    assert "Features that need an Enterprise subscription Multiple Custom Domains" in usage
    assert "Organizations 203" in usage


def test_p7_dedicated_customers_print_in_one_table_with_their_tenant(default_rules):
    answers = json.loads((DATA / "examples_v2.json").read_text("utf-8"))[
        "p7-twelve-banks-dedicated"
    ]["answers"]
    plan = build_plan_from_answers(answers, name="Twelve banks")
    dedicated = plan.dedicated_customers
    assert len(dedicated) == 12
    body = " ".join(pages_of(answers, "Twelve banks")[2:])
    start = body.index("Customers and connections Where each customer")
    chapter = body[start : body.index("Custom domains and DNS Every", start)]
    assert chapter.count("Customers with their own tenant") == 1
    assert "Customer Production tenant Connections (strategy)" in chapter
    for c in dedicated:
        first = c.connections[0]
        assert f"{c.name} {c.tenant} {first.name} ({first.strategy})" in chapter, c.name
    # No Organization for them: the shared tables list only shared customers.
    for _stem, entries in plan.shared_customers_by_tenant:
        assert all(e.hosting != "dedicated" for e in entries)


def test_blueprint_prints_one_row_of_four_cells_per_roster_row(default_rules):
    """The print layout that keeps a 500-row roster's PDF under 3 x p6's render time
    (bench/bench_roster.py): one table row per customer, four cells, no per-customer block."""
    customers = [
        {"name": f"Customer {i}", "sign_in": ["enterprise_idp", "our_database"], "idp": "okta"}
        for i in range(60)
    ] + [{"name": "Own Bank", "sign_in": ["enterprise_idp"], "idp": "saml", "hosting": "dedicated"}]
    plan = build_plan_from_answers(dict(P8, customers=customers), name="Rows")
    html = pdf.plan_html(plan)
    chapter = html[
        html.index('id="customers"') : html.index("</section>", html.index('id="customers"'))
    ]
    rows = re.findall(r"<tr>(.*?)</tr>", chapter, re.S)
    body_rows = [r for r in rows if 'scope="row"' in r]
    assert len(body_rows) == len(plan.customers) == 61
    assert all(r.count("<td") == 3 and r.count("<th") == 1 for r in body_rows)
    assert "blueprint-customer" not in chapter


def test_plan_without_roster_says_no_conflicts_and_has_no_roster_chapters(default_rules):
    pages = pages_of(P1, "Five enterprise customers")
    assert "open design conflict" not in pages[0]
    body = " ".join(pages[1:])
    assert "No conflicts between the answers." in body
    assert "Customers and connections" not in body
    # Custom domains are not a roster matter: version 1's domain gets its DNS row, owned by you.
    plan = build_plan_from_answers(P1, name="Five enterprise customers")
    assert plan.dns_records and {r.zone_owner for r in plan.dns_records} == {"you"}
    for record in plan.dns_records:
        assert f"{record.domain} in tenant {record.tenant}" in body


def test_roster_text_is_escaped_in_the_print_document(default_rules):
    hostile = '<script>alert(1)</script><img src="http://example.invalid/x.png">'
    answers = dict(P8, customers=[{"name": hostile, "slug": "evil", "sign_in": ["social"]}])
    html = pdf.plan_html(build_plan_from_answers(answers, name="Hostile"))
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html
