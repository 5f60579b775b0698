"""The plan page and its downloads."""

import re

import pytest
from django.urls import reverse

from tests.helpers import EXAMPLES, load_data

P6 = EXAMPLES["p6-customers-partners-employees"]["answers"]
PLAN_URLS = ("plan", "plan_pdf", "plan_svg", "plan_json")


@pytest.fixture
def p6_project(project, default_rules):
    project.answers = P6
    project.save()
    return project


def test_plan_page(owner_client, p6_project):
    response = owner_client.get(reverse("plan", args=[p6_project.code]))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "Executive summary",
        "Tenant inventory",
        "Topology diagram",
        "Recommendations",
        "Warnings",
        "Implementation checklist",
        "Appendix: answers",
    ):
        assert f">{heading}</h2>" in html
    plan = response.context["plan"]
    assert html.count('<tr>\n      <th scope="row"><code>') == len(plan.topology.tenants) == 8
    for tenant in plan.topology.tenants:
        assert f"<code>{tenant.name}</code>" in html
    assert "<svg" in html and "</svg>" in html
    for rec in plan.recommendations:
        assert f'id="rule-{rec.key}"' in html
    assert "Why this applies:</strong> Because " in html
    assert "User communities" in html or "user communities" in html
    for name in PLAN_URLS[1:]:
        assert reverse(name, args=[p6_project.code]) in html
    # Only the security section's open items (the example predates it) are warnings.
    assert [w.code for w in plan.warnings] == ["open"]
    assert "Answer these to get the security recommendations" in html
    assert "css/plan.css" in html
    assert "<style" not in html  # the CSP forbids inline styles


def test_no_template_comment_shows_on_the_plan_page(owner_client, p6_project):
    """Django's {# #} comments end on their line: a longer one printed its text on the page."""
    html = owner_client.get(reverse("plan", args=[p6_project.code])).content.decode()
    assert "{#" not in html and "#}" not in html


def test_every_template_comment_closes_on_its_own_line():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "templates"
    unclosed = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert unclosed == [], "use {% comment %} for comments over several lines"


def test_incomplete_plan_warns_and_links_to_the_wizard(owner_client, project, default_rules):
    project.answers = {"company_name": "Acme", "tenant_prefix": "acme"}
    project.save()
    response = owner_client.get(reverse("plan", args=[project.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "incomplete" in html
    assert reverse("wizard_review", args=[project.code]) in html
    assert reverse("wizard_section", args=[project.code, "context"]) in html


def test_hostile_answer_is_escaped_on_the_page(owner_client, p6_project):
    p6_project.answers = dict(P6, company_name="<script>alert(1)</script>")
    p6_project.save()
    html = owner_client.get(reverse("plan", args=[p6_project.code])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_pdf_download(owner_client, p6_project):
    response = owner_client.get(reverse("plan_pdf", args=[p6_project.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == ('attachment; filename="acme-architecture-plan.pdf"')
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_pdf_filename_falls_back_to_the_project_name(owner_client, project, default_rules):
    from planner import pdf
    from planner.plans import build_plan

    assert pdf.pdf_filename(build_plan(project)) == "hoopla-identity-platform-architecture-plan.pdf"


def test_svg_download(owner_client, p6_project):
    response = owner_client.get(reverse("plan_svg", args=[p6_project.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert "acme-topology.svg" in response["Content-Disposition"]
    assert response.content.startswith(b"<svg")
    assert b"acme-workforce-prod" in response.content


def test_json_download(owner_client, p6_project):
    response = owner_client.get(reverse("plan_json", args=[p6_project.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["schema"] == "planner.plan/2"
    assert [t["name"] for t in data["tenants"]][-1] == "acme-workforce-prod"


@pytest.mark.parametrize("name", PLAN_URLS)
def test_unknown_project_is_404(owner_client, db, name):
    url = reverse(name, args=["00000000-0000-0000-0000-000000000000"])
    assert owner_client.get(url).status_code == 404


def test_plan_is_read_only(owner_client, p6_project):
    assert owner_client.post(reverse("plan", args=[p6_project.code])).status_code == 405


def section_text(html: str, key: str) -> str:
    """Return the words of the plan page's chapter ``key``, as a reader sees them."""
    start = html.index(f'<section class="plan-section" aria-labelledby="{key}">')
    chunk = html[start : html.index("</section>", start)]
    chunk = re.sub(r"<wbr>|</?(span|code|a|strong)\b[^>]*>", "", chunk)  # inline: no space
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", chunk)).strip()


def test_plan_page_has_the_dns_and_usage_chapters(owner_client, project, default_rules):
    project.answers = load_data("examples_v2.json")["p8-hr-suite-mixed-roster"]["answers"]
    project.save()
    response = owner_client.get(reverse("plan", args=[project.code]))
    html = response.content.decode()
    plan = response.context["plan"]
    assert (
        '<a class="nav-link" href="#dns">' in html and '<a class="nav-link" href="#usage">' in html
    )
    dns = section_text(html, "dns")
    assert dns.startswith("Custom domains and DNS Every custom domain of every tenant")
    assert len(plan.dns_records) == 4
    for record in plan.dns_records:
        owner = "The customer" if record.zone_owner == "customer" else "You"
        assert f"{record.domain} in tenant {record.tenant} Auth0-managed: CNAME {owner}" in dns
    assert "login.contoso.com in tenant peoplegrid-prod Auth0-managed: CNAME The customer" in dns
    assert (
        'href="https://auth0.com/docs/customize/custom-domains/self-managed-certificates"' in html
    )
    usage = section_text(html, "usage")
    assert "Tenants 2 production, 2 staging, 2 development" in usage
    assert "Organizations 203" in usage
    assert "Features that need an Enterprise subscription Multiple Custom Domains" in usage


def test_plan_page_without_custom_domains_says_so(owner_client, project, default_rules):
    project.answers = dict(EXAMPLES["p2-small-business-saas"]["answers"], use_custom_domain="no")
    project.save()
    html = owner_client.get(reverse("plan", args=[project.code])).content.decode()
    assert section_text(html, "dns") == (
        "Custom domains and DNS No custom domains in this design: the tenants answer on their "
        "Auth0 domains, so there is no DNS record to create."
    )
    usage = section_text(html, "usage")
    assert "Organizations 0" in usage
    assert "Features that need an Enterprise subscription none" in usage
