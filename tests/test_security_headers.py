"""Security headers: a strict Content-Security-Policy and the other headers on every kind of
page (app, plan, admin, sign-in), downloads neither sniffed nor framed, no inline script, and
HSTS with secure cookies in production."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from planner.models import Rule
from tests.helpers import url_for

pytestmark = pytest.mark.django_db


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


def test_pages_have_no_inline_script(client):
    html = client.get("/accounts/login/").content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, tag
    assert " style=" not in html


def test_production_settings_enable_hsts_and_secure_cookies():
    code = (
        "import django, json; from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_INCLUDE_SUBDOMAINS]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "planner.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 60,
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
        check=True,
    ).stdout
    assert out.strip() == "[31536000, true, true, true, true]"
