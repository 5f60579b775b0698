"""The PDF, rendered for real and read back with pypdf; the URL fetcher; the cache."""

import io
import re
from unittest import mock

import pytest
import weasyprint
from django.urls import reverse
from pypdf import PdfReader

from planner import pdf, tasks
from planner.models import Rule
from planner.plans import build_plan_from_answers
from tests.helpers import EXAMPLES

P6 = EXAMPLES["p6-customers-partners-employees"]["answers"]
HOSTILE = '<script>alert(1)</script><img src="http://example.invalid/x.png">'


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def read(content: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(content))
    return reader, [flat(page.extract_text()) for page in reader.pages]


def test_p6_pdf(default_rules):
    plan = build_plan_from_answers(P6, name="Acme identity platform", author="Olivia Architect")
    fetcher = pdf.make_url_fetcher()
    filename, content_type, content = pdf.render_plan_pdf(plan, url_fetcher=fetcher)
    assert filename == "acme-architecture-plan.pdf"
    assert content_type == "application/pdf"
    assert content.startswith(b"%PDF-")
    reader, pages = read(content)
    text = " ".join(pages)
    total = len(pages)

    cover = pages[0]
    for expected in (
        "Acme identity platform",
        "Prepared for Acme Logistics",
        "Prepared by Olivia Architect",
        "Version 0.1",
        "Status Draft",
        "Confidential: prepared for the named customer only.",
    ):
        assert expected in cover
    # Internal versions and the fingerprint are in the colophon (the last pages), not the cover.
    for internal in (plan.questionnaire_version, plan.ruleset_version, plan.fingerprint[:16]):
        assert internal not in cover
    colophon = " ".join(pages[-2:])
    assert "Colophon" in colophon
    for internal in (plan.questionnaire_version, plan.ruleset_version):
        assert internal in colophon
    assert plan.fingerprint in colophon.replace(" ", "")
    for rec in plan.recommendations:  # the rule index; rule keys appear nowhere else
        assert rec.key in colophon
        assert all(rec.key not in page for page in pages[:-2]), rec.key

    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {total}" in page
    assert "Acme identity platform" in pages[2]  # running header

    toc = pages[1]
    # p6 has no roster: conflicts first, then its DNS records and usage (no customers chapter).
    assert not plan.customers and plan.dns_records and plan.usage
    headings = [
        "Design conflicts",
        "Executive summary",
        "Decisions",
        "Tenant inventory",
        "Topology diagram",
        "Custom domains and DNS",
        "What the design uses",
        "Recommendations",
        "Warnings",
        "Implementation checklist",
        "Appendix: answers",
        "Colophon",
    ]
    for heading in headings:
        match = re.search(re.escape(heading) + r"[ .]*?(\d+)", toc)
        assert match, heading
        page_number = int(match.group(1))
        assert heading in pages[page_number - 1]
    for group in plan.recommendation_groups:
        assert group.title in toc

    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[: len(headings)] == headings

    for tenant in plan.topology.tenants:
        assert tenant.name in text
    for rec in plan.recommendations:
        assert flat(rec.title) in text, rec.title
    assert "Not answered" in text  # login_host is optional and left empty in p6
    # Only our stylesheet was fetched.
    assert fetcher.requests == [pdf.PDF_STATIC_PREFIX + "css/pdf.css"]


def test_hostile_text_is_shown_and_fetches_nothing(default_rules):
    rule = Rule.objects.get(key="ops-log-streaming")
    rule.title = f"Logs {HOSTILE}"
    rule.recommendation = f"Stream logs. {HOSTILE}"
    rule.save()
    plan = build_plan_from_answers(dict(P6, company_name=HOSTILE), name="Acme")
    fetcher = pdf.make_url_fetcher()
    _, _, content = pdf.render_plan_pdf(plan, url_fetcher=fetcher)
    text = " ".join(read(content)[1])
    assert "<script>alert(1)</script>" in text
    assert "http://example.invalid/x.png" in text
    assert not [url for url in fetcher.requests if not url.startswith(pdf.PDF_STATIC_PREFIX)]
    assert "<script>" not in pdf.plan_html(plan)


def test_stored_pdf_is_served_without_rendering(
    default_rules, owner_client, project, generated_dir
):
    project.answers = P6
    project.save()
    url = reverse("plan_pdf", args=[project.code])
    real = weasyprint.HTML.render
    with mock.patch.object(weasyprint.HTML, "render", autospec=True, side_effect=real) as render:
        first = owner_client.get(url)
        assert first.status_code == 200
        body = b"".join(first.streaming_content)
        assert render.call_count == 1
        second = owner_client.get(url)
        assert b"".join(second.streaming_content) == body
        assert render.call_count == 1
        project.answers = dict(P6, primary_region="eu")
        project.save()
        third = owner_client.get(url)
        assert b"".join(third.streaming_content) != body
        assert render.call_count == 2
    assert len(list((generated_dir / "pdf").glob("*.pdf"))) == 2


@pytest.mark.parametrize(
    "url",
    [
        "http://example.invalid/x.png",
        "https://example.com/style.css",
        "file:///etc/passwd",
        "file:///planner-pdf/other/css/pdf.css",
        pdf.PDF_STATIC_PREFIX + "../settings.py",
        pdf.PDF_STATIC_PREFIX + "%2e%2e/%2e%2e/etc/passwd",
        pdf.PDF_STATIC_PREFIX + "css/../../manage.py",
        pdf.PDF_STATIC_PREFIX + "/etc/passwd",
        pdf.PDF_STATIC_PREFIX + "css/missing.css",
        pdf.PDF_STATIC_PREFIX,
        "data:text/css,body{}",
    ],
)
def test_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.resolve_static_url(url)
    with pytest.raises(pdf.RefusedURL):
        pdf.make_url_fetcher().fetch(url)


def test_fetcher_serves_static_files():
    response = pdf.make_url_fetcher().fetch(pdf.PDF_STATIC_PREFIX + "css/pdf.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_cover_names_the_practice_and_confidentiality_from_settings(default_rules, settings):
    plan = build_plan_from_answers(P6, name="Acme identity platform", author="Olivia Architect")
    before = tasks.print_key(pdf.plan_html(plan))
    settings.PLANNER_PRACTICE_NAME = "Northwind Identity Consulting"
    settings.PLANNER_CONFIDENTIALITY_NOTICE = "Strictly confidential: Acme Logistics only."
    html = pdf.plan_html(plan)
    cover = html[html.index('<section class="cover">') : html.index('<nav class="toc"')]
    assert "<dd>Olivia Architect, Northwind Identity Consulting</dd>" in cover
    assert '<p class="confidentiality">Strictly confidential: Acme Logistics only.</p>' in cover
    assert plan.fingerprint not in cover and plan.ruleset_version not in cover
    assert tasks.print_key(html) != before  # a stored PDF with the old cover is not served


def test_page_references_are_memoized_and_follow_added_pages():
    """pydyf rebuilt every page's reference on each read (quadratic PDF/UA tagging): the
    memoized property returns the same references and sees pages added later."""
    import pydyf

    pdf._memoize_page_references()
    document = pydyf.PDF()
    for _ in range(3):
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    kids = document.pages["Kids"][::3]
    assert document.page_references == tuple(f"{n} 0 R".encode() for n in kids)
    assert document.page_references is document.page_references  # not rebuilt per read
    document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(document.page_references) == 4
    assert document.page_references[-1] == f"{document.pages['Kids'][-3]} 0 R".encode()
