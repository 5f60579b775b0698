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
    # Customers and connections: a table per tenant stem, a block per customer.
    chapter = body[body.index("Customers and connections One table") :]
    assert "Tenant peoplegrid " in chapter and "Tenant peoplegrid-eu" in chapter
    assert "Contoso Bank contoso · 1 customer" in chapter
    assert "contoso-entra-id enterprise, strategy waad, membership on login" in chapter
    assert "Login domain: login.contoso.com" in chapter
    assert "Mid-market customers" in chapter and "archetype for" in chapter
    assert "{customer}-users" in chapter
    # Custom domains and DNS, and what the design uses.
    dns = body[body.index("Custom domains and DNS Every custom domain") :]
    assert "login.contoso.com in tenant peoplegrid-prod Auth0-managed: CNAME The customer" in dns
    usage = body[body.index("What the design uses Counts") :]
    assert "Features that need an Enterprise subscription Multiple Custom Domains" in usage
    assert "Organizations 203" in usage


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
