"""Security through the test client: who may open what, CSRF, headers, sign-in throttling,
escaping of hostile text everywhere it is shown (HTML, admin, PDF), and the deploy checks."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader

from planner import catalog, pdf
from planner.models import AnswerChange, Project, Rule
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SECTION_KEYS = [section.key for section in catalog.SECTIONS]
KNOWN_PROJECT_URL_NAMES = {
    "project_detail",
    "project_edit",
    "project_duplicate",
    "project_delete",
    "wizard_section",
    "wizard_review",
    "wizard_finish",
    "plan",
    "plan_pdf",
    "plan_svg",
    "plan_json",
}
# Values for URL keyword arguments other than the project code.
KWARG_VALUES = {"section_key": SECTION_KEYS}
# Project URLs whose GET answers a redirect for the owner (they act on POST only).
OWNER_GET_REDIRECTS = {"wizard_finish"}
# Project URLs that accept POST, with the owner's expected status for an ordinary post.
POST_ENDPOINTS = {
    "project_edit",
    "project_duplicate",
    "project_delete",
    "wizard_section",
    "wizard_finish",
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if getattr(entry, "namespace", None):
                continue  # the admin has its own permission model, tested below
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry


def project_routes() -> list[tuple[str, dict]]:
    """Return (url name, extra kwargs) for every named URL with a project ``code``."""
    routes = []
    for entry in _walk(get_resolver().url_patterns):
        converters = getattr(entry.pattern, "converters", {})
        if not entry.name or "code" not in converters:
            continue
        others = [name for name in converters if name != "code"]
        missing = [name for name in others if name not in KWARG_VALUES]
        assert not missing, f"{entry.name}: add test values for {missing} to KWARG_VALUES"
        combos = [{}]
        for name in others:
            combos = [{**c, name: value} for c in combos for value in KWARG_VALUES[name]]
        routes.extend((entry.name, combo) for combo in combos)
    return routes


ROUTES = project_routes()
ROUTE_IDS = [name + "".join(f"[{v}]" for v in kw.values()) for name, kw in ROUTES]


def url_for(project, name, kwargs):
    return reverse(name, kwargs={"code": project.code, **kwargs})


def owner_post_data(project, name, kwargs):
    if name == "project_edit":
        return {"name": "Renamed", "description": ""}
    if name == "wizard_section":
        return {"version": str(project.version), "action": "next"}
    return {}


@pytest.fixture
def answered_project(project, owner):
    project.answers = {"company_name": "Hoopla", "tenant_prefix": "hoopla"}
    project.touched_sections = ["context"]
    project.save()
    return project


# --- access matrix ---------------------------------------------------------------------------


def test_every_known_project_url_is_discovered():
    names = {name for name, _ in ROUTES}
    assert names >= KNOWN_PROJECT_URL_NAMES, KNOWN_PROJECT_URL_NAMES - names
    sections = {kw["section_key"] for name, kw in ROUTES if name == "wizard_section"}
    assert sections == set(SECTION_KEYS)


@pytest.mark.parametrize(("name", "kwargs"), ROUTES, ids=ROUTE_IDS)
def test_owner_can_open_every_project_url(
    owner_client, answered_project, name, kwargs, generated_dir
):
    url = url_for(answered_project, name, kwargs)
    response = owner_client.get(url)
    if name in OWNER_GET_REDIRECTS:
        assert response.status_code == 302, url
    else:
        assert response.status_code == 200, url


@pytest.mark.parametrize(("name", "kwargs"), ROUTES, ids=ROUTE_IDS)
def test_other_user_gets_404(other_client, answered_project, name, kwargs):
    url = url_for(answered_project, name, kwargs)
    before = Project.objects.values().get(pk=answered_project.pk)
    assert other_client.get(url).status_code == 404, url
    if name in POST_ENDPOINTS:
        data = {
            **owner_post_data(answered_project, name, kwargs),
            "shown": ["company_name"],
            "company_name": "Mallory Inc.",
        }
        assert other_client.post(url, data).status_code == 404, url
    assert Project.objects.values().get(pk=answered_project.pk) == before
    assert Project.objects.count() == 1
    assert AnswerChange.objects.count() == 0


@pytest.mark.parametrize(("name", "kwargs"), ROUTES, ids=ROUTE_IDS)
def test_anonymous_is_sent_to_sign_in(client, answered_project, name, kwargs):
    url = url_for(answered_project, name, kwargs)
    for method in ("get", "post") if name in POST_ENDPOINTS else ("get",):
        response = getattr(client, method)(url)
        assert response.status_code == 302, f"{method} {url}"
        assert response["Location"].startswith(reverse("login") + "?next="), response["Location"]
        assert url in response["Location"].replace("%2F", "/")
    assert Project.objects.filter(pk=answered_project.pk).exists()


def test_unknown_project_code_is_404_for_everyone(owner_client):
    assert owner_client.get("/projects/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert owner_client.get("/projects/not-a-uuid/").status_code == 404


@pytest.mark.parametrize("name", sorted(POST_ENDPOINTS))
def test_owner_posts_answer_a_page_or_a_redirect(owner_client, answered_project, name):
    kwargs = {"section_key": SECTION_KEYS[0]} if name == "wizard_section" else {}
    url = url_for(answered_project, name, kwargs)
    response = owner_client.post(url, owner_post_data(answered_project, name, kwargs))
    assert response.status_code in (200, 302), url
    if name == "project_delete":
        assert not Project.objects.filter(pk=answered_project.pk).exists()


def test_plan_downloads_refuse_writes(owner_client, answered_project):
    for name in ("plan", "plan_pdf", "plan_svg", "plan_json"):
        url = url_for(answered_project, name, {})
        assert owner_client.post(url).status_code == 405, url


def test_admin_is_for_staff_only(owner_client, client):
    for path in ("/admin/", "/admin/planner/rule/", "/admin/planner/rule/reference/"):
        assert owner_client.get(path).status_code == 302, path
        assert "/admin/login/" in owner_client.get(path)["Location"]
        assert client.get(path).status_code == 302


# --- CSRF ------------------------------------------------------------------------------------


def csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def test_csrf_is_enforced_on_every_project_url(owner, answered_project):
    client = csrf_client(owner)
    before = Project.objects.values().get(pk=answered_project.pk)
    for name, kwargs in ROUTES:
        url = url_for(answered_project, name, kwargs)
        data = owner_post_data(answered_project, name, kwargs)
        assert client.post(url, data).status_code == 403, url
    assert Project.objects.values().get(pk=answered_project.pk) == before
    assert Project.objects.count() == 1


def test_csrf_is_enforced_on_sign_in_sign_out_and_create(owner):
    anonymous = csrf_client()
    response = anonymous.post(reverse("login"), {"username": "olivia", "password": PASSWORD})
    assert response.status_code == 403
    signed_in = csrf_client(owner)
    assert signed_in.post(reverse("logout")).status_code == 403
    assert signed_in.get(reverse("home")).status_code == 200  # still signed in
    assert signed_in.post(reverse("project_create"), {"name": "Forged"}).status_code == 403
    assert not Project.objects.filter(name="Forged").exists()


def test_csrf_token_from_the_form_is_accepted(owner):
    """The control for the 403s above: with the form's token the same post succeeds."""
    client = csrf_client(owner)
    client.get(reverse("project_create"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("project_create"), {"name": "Real", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Project.objects.filter(name="Real").exists()


def test_csrf_is_enforced_on_admin_rule_pages(staff_user):
    client = csrf_client(staff_user)
    rule = Rule.objects.create(
        key="csrf-probe",
        section="context",
        title="Probe",
        recommendation="Do.",
        rationale="Why.",
        priority="should",
        condition="true",
    )
    change = reverse("admin:planner_rule_change", args=[rule.pk])
    assert client.get(change).status_code == 200
    data = {"key": "csrf-probe", "title": "Forged", "condition": "false"}
    assert client.post(change, data).status_code == 403
    assert client.post(reverse("admin:planner_rule_import")).status_code == 403
    assert client.post(reverse("admin:planner_rule_delete", args=[rule.pk])).status_code == 403
    rule.refresh_from_db()
    assert rule.title == "Probe" and rule.condition == "true"


# --- headers ---------------------------------------------------------------------------------


def assert_security_headers(response, where):
    csp = response.get("Content-Security-Policy", "")
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives.get("default-src") == "'self'", where
    assert directives.get("script-src") == "'self'", where
    assert directives.get("object-src") == "'none'", where
    assert directives.get("frame-ancestors") == "'none'", where
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where


def test_security_headers_on_app_plan_and_admin_pages(owner_client, staff_client, answered_project):
    code = answered_project.code
    app_pages = [
        reverse("home"),
        reverse("project_create"),
        f"/projects/{code}/",
        f"/projects/{code}/wizard/context/",
        f"/projects/{code}/review/",
        f"/projects/{code}/plan/",
    ]
    for url in app_pages:
        response = owner_client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, url)
        html = response.content.decode()
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, f"inline script on {url}: {tag}"
    assert_security_headers(Client().get(reverse("login")), "login")
    rule = Rule.objects.create(
        key="hdr",
        section="context",
        title="T",
        recommendation="R",
        rationale="W",
        priority="must",
        condition="true",
    )
    for url in (
        "/admin/",
        "/admin/planner/rule/",
        f"/admin/planner/rule/{rule.pk}/change/",
        "/admin/planner/rule/reference/",
    ):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, url)


def test_downloads_are_not_sniffed_or_framed(owner_client, answered_project, generated_dir):
    for name, content_type in (
        ("plan_svg", "image/svg+xml"),
        ("plan_json", "application/json"),
        ("plan_pdf", "application/pdf"),
    ):
        response = owner_client.get(url_for(answered_project, name, {}))
        assert response["Content-Type"].startswith(content_type), name
        assert response["Content-Disposition"].startswith("attachment"), name
        assert response["X-Content-Type-Options"] == "nosniff", name


# --- sign-in throttling ----------------------------------------------------------------------


def _attempt(client, username, password, ip):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_lockout_refuses_the_right_password_and_says_why(owner, settings):
    client = Client()
    for _ in range(settings.PLANNER_LOGIN_FAILURE_LIMIT):
        response = _attempt(client, "olivia", "wrong", "203.0.113.7")
    response = _attempt(client, "olivia", PASSWORD, "203.0.113.7")
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session
    # Still locked on the next try, and the home page stays out of reach.
    assert _attempt(client, "olivia", PASSWORD, "203.0.113.7").status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_lockout_is_per_username_and_address(owner, other_user, settings):
    attacker = Client()
    for _ in range(settings.PLANNER_LOGIN_FAILURE_LIMIT):
        _attempt(attacker, "olivia", "wrong", "203.0.113.7")
    assert _attempt(attacker, "olivia", PASSWORD, "203.0.113.7").status_code == 429
    # Same address, other account: not locked.
    other = Client()
    response = _attempt(other, "mallory", PASSWORD, "203.0.113.7")
    assert response.status_code == 302 and "_auth_user_id" in other.session
    # Same account, other address: not locked (the owner is not locked out by an attacker).
    elsewhere = Client()
    response = _attempt(elsewhere, "olivia", PASSWORD, "198.51.100.20")
    assert response.status_code == 302 and "_auth_user_id" in elsewhere.session


def test_failures_below_the_limit_do_not_lock(owner, settings):
    client = Client()
    for _ in range(settings.PLANNER_LOGIN_FAILURE_LIMIT - 1):
        response = _attempt(client, "olivia", "wrong", "203.0.113.7")
        assert response.status_code == 200
        assert b"Please enter a correct username and password" in response.content
    response = _attempt(client, "olivia", PASSWORD, "203.0.113.7")
    assert response.status_code == 302 and "_auth_user_id" in client.session


# --- hostile text ----------------------------------------------------------------------------

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


# --- production configuration ----------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "planner.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": "planner.example.com",
    }
    # Set by the browser tests' conftest for the live server; never part of a deployment.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output
