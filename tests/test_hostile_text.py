"""Hostile text typed by users and administrators is shown as text everywhere: the app's
pages, the admin, the plan (HTML, JSON, SVG) and the PDF, which fetches nothing from outside."""

import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from planner import pdf
from planner.models import Project, Rule

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{ 7*7 }}"
JS_URL = "javascript:alert(1)"
HOSTILE = f"{SCRIPT}{IMG}{TEMPLATE}"  # 64 characters: fits every text field
# A real tag (escaped text has no "<") with a javascript: href or src.
JS_HREF = re.compile(r"""<[^>]*\b(href|src)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def assert_escaped(html: str, where: str, *, expect_text: bool = True) -> None:
    assert SCRIPT not in html, f"raw <script> on {where}"
    assert "<img src=x" not in html, f"raw <img> on {where}"
    assert not JS_HREF.search(html), f"javascript: link on {where}"
    if expect_text:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, f"payload missing on {where}"
        assert TEMPLATE in html, f"template payload not shown literally on {where}"


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "plan.pdf"
    path.write_bytes(content)
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


@pytest.fixture
def recorded_fetches(monkeypatch, generated_dir):
    """Record every URL WeasyPrint asks for, through the PDF module's fetcher seam."""
    fetchers = []
    original = pdf.make_url_fetcher

    def recording_fetcher():
        fetcher = original()
        fetchers.append(fetcher)
        return fetcher

    monkeypatch.setattr(pdf, "make_url_fetcher", recording_fetcher)

    def urls():
        assert fetchers, "the PDF was not rendered"
        return [url for fetcher in fetchers for url in fetcher.requests]

    return urls


def assert_fetched_only_own_static(urls):
    outside = [u for u in urls if not u.startswith(pdf.PDF_STATIC_PREFIX)]
    assert not outside, f"WeasyPrint tried to fetch {outside}"
    assert all(u.endswith(".css") for u in urls), urls


def test_hostile_project_name_description_and_company_are_shown_as_text(
    owner_client, staff_client, owner, recorded_fetches, tmp_path
):
    response = owner_client.post(
        reverse("project_create"),
        {"name": HOSTILE, "description": f"{JS_URL} {SCRIPT} {IMG} [x]({JS_URL})"},
    )
    assert response.status_code == 302
    project = Project.objects.get(owner=owner)
    assert project.name == HOSTILE
    response = owner_client.post(
        reverse("wizard_section", args=[project.code, "context"]),
        {"version": str(project.version), "shown": ["company_name"], "company_name": HOSTILE},
    )
    assert response.status_code in (200, 302)
    project.refresh_from_db()
    assert project.answers["company_name"] == HOSTILE
    assert_escaped(response.content.decode(), "the context section")

    code = project.code
    for url in (
        reverse("home"),
        f"/projects/{code}/",
        f"/projects/{code}/wizard/context/",
        f"/projects/{code}/review/",
        f"/projects/{code}/plan/",
        f"/projects/{code}/edit/",
        f"/projects/{code}/delete/",
    ):
        response = owner_client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), url)

    for url in (
        "/admin/planner/project/",
        f"/admin/planner/project/{project.pk}/change/",
        "/admin/planner/answerchange/",
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), url, expect_text=False)
    assert "&lt;script&gt;" in staff_client.get("/admin/planner/project/").content.decode()

    response = owner_client.get(f"/projects/{code}/plan.json")
    assert response.json()  # JSON: escaping is the reader's job, but it must be valid JSON
    svg = owner_client.get(f"/projects/{code}/plan.svg").content.decode()
    assert SCRIPT not in svg and "<img" not in svg

    response = owner_client.get(f"/projects/{code}/plan.pdf")
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content), tmp_path)
    assert SCRIPT in text
    assert TEMPLATE in text
    assert_fetched_only_own_static(recorded_fetches())


HOSTILE_RULE = {
    "title": f"Plan {HOSTILE}",
    "recommendation": f"Do it {SCRIPT} then {IMG} and [click me]({JS_URL}) {{{{ 7*7 }}}}",
    "rationale": f'Because {SCRIPT} <a href="{JS_URL}">raw link</a> [md link]({JS_URL}) ![i](x)',
    "references_text": f"Ref {SCRIPT}{IMG} | https://example.com/?q=<script>alert(1)</script>",
}


def admin_rule_post(rule, **changes):
    data = {
        "key": rule.key,
        "section": rule.section,
        "priority": rule.priority,
        "position": rule.position,
        "enabled": "on" if rule.enabled else "",
        "title": rule.title,
        "condition": rule.condition,
        "recommendation": rule.recommendation,
        "rationale": rule.rationale,
        "references_text": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def always_rule():
    return Rule.objects.create(
        key="always",
        section="context",
        title="Always",
        recommendation="Do.",
        rationale="Why.",
        priority="must",
        condition="true",
    )


def test_hostile_rule_texts_are_shown_as_text(
    owner_client, staff_client, answered_project, always_rule, recorded_fetches, tmp_path
):
    change = reverse("admin:planner_rule_change", args=[always_rule.pk])
    response = staff_client.post(change, admin_rule_post(always_rule, **HOSTILE_RULE))
    assert response.status_code == 302, response.content.decode()[:3000]
    always_rule.refresh_from_db()
    assert always_rule.title == HOSTILE_RULE["title"]

    for url in (
        "/admin/planner/rule/",
        change,
        f"{change}?preview_project={answered_project.code}",
        "/admin/planner/rulechange/",
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert_escaped(
            response.content.decode(), url, expect_text=url != "/admin/planner/rulechange/"
        )

    plan_page = owner_client.get(f"/projects/{answered_project.code}/plan/").content.decode()
    assert "Plan &lt;script&gt;" in plan_page, "the rule did not fire"
    assert_escaped(plan_page, "the plan page")
    assert '<a rel="noopener noreferrer">click me</a>' in plan_page  # the link lost its href

    response = owner_client.get(f"/projects/{answered_project.code}/plan.pdf")
    text = pdf_text(b"".join(response.streaming_content), tmp_path)
    assert f"Plan {SCRIPT}" in text
    assert "then " + IMG in text
    assert_fetched_only_own_static(recorded_fetches())


@pytest.mark.parametrize(
    "references_text",
    [
        f"Click | {JS_URL}",
        "Data | data:text/html,<script>alert(1)</script>",
        "Plain | http://example.com/",
        "Spaces | https://example.com/a b",
    ],
)
def test_admin_refuses_unsafe_reference_urls(staff_client, always_rule, references_text):
    change = reverse("admin:planner_rule_change", args=[always_rule.pk])
    response = staff_client.post(
        change, admin_rule_post(always_rule, references_text=references_text)
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    always_rule.refresh_from_db()
    assert always_rule.references == []
