"""Test helpers shared by the test modules and the benchmarks: the data files and examples,
rule dicts and rule forms, the project URLs discovered from the URL configuration, and signing in.

Fixtures live in ``tests/conftest.py``; plain functions and constants live here so that the
benchmarks (which do not run under pytest) can import them too.
"""

import json
from pathlib import Path

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLES_FILE = DATA / "examples.json"
PASSWORD = "correct-horse-battery-staple"  # noqa: S105


def load_data(name: str):
    """Return the parsed JSON file ``tests/data/<name>``."""
    return json.loads((DATA / name).read_text("utf-8"))


def load_examples() -> dict:
    """Return the example projects: key -> description, answers and expected plan facts."""
    return load_data(EXAMPLES_FILE.name)


# Loaded once for every test module: copy an example's answers before changing them.
EXAMPLES = load_examples()


def rule_dict(key: str, **overrides) -> dict:
    """Return a valid rule as the rule file holds it, with ``overrides`` applied."""
    data = {
        "key": key,
        "section": "context",
        "priority": "should",
        "position": 10,
        "title": f"Title of {key}",
        "condition": "true",
        "recommendation": "Do it.",
        "rationale": "Because.",
        "references": [{"title": "Docs", "url": "https://auth0.com/docs/"}],
        "enabled": True,
    }
    data.update(overrides)
    return data


def rule_form(key: str = "zz-robust", **changes) -> dict:
    """Return the admin's rule form as a valid post (Save), with ``changes`` applied."""
    data = {
        "key": key,
        "section": "operations",
        "priority": "should",
        "position": "5",
        "enabled": "on",
        "title": "Our rule",
        "condition": "enterprise",
        "recommendation": "Ask about {subscription}.",
        "rationale": "Because.",
        "references_text": "Docs | https://auth0.com/docs/",
        "_save": "Save",
    }
    data.update(changes)
    return data


def signed_in_client(user, **client_options) -> Client:
    """Return a test client signed in as ``user`` (without going through the sign-in form)."""
    client = Client(**client_options)
    client.force_login(user)
    return client


def sign_in(page, username: str, password: str = PASSWORD, next_path: str = "/") -> None:
    """Sign in a Playwright page through the real login form; wait for the page it leads to."""
    from playwright.sync_api import expect

    page.goto(f"/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    expect(page.locator("body")).to_contain_text(username)


# --- project URLs, discovered from the URL configuration -------------------------------------

# Project URLs that accept POST.
POST_ENDPOINTS = {
    "project_edit",
    "project_duplicate",
    "project_delete",
    "wizard_section",
    "wizard_finish",
}


def _walk(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if getattr(entry, "namespace", None):
                continue  # the admin has its own permission model, tested on its own
            yield from _walk(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            yield entry


def project_routes() -> list[tuple[str, dict]]:
    """Return (url name, extra kwargs) for every named URL with a project ``code``."""
    from planner import catalog

    # Values for URL keyword arguments other than the project code.
    kwarg_values = {"section_key": [section.key for section in catalog.SECTIONS]}
    routes = []
    for entry in _walk(get_resolver().url_patterns):
        converters = getattr(entry.pattern, "converters", {})
        if not entry.name or "code" not in converters:
            continue
        others = [name for name in converters if name != "code"]
        missing = [name for name in others if name not in kwarg_values]
        assert not missing, f"{entry.name}: add test values for {missing} to project_routes"
        combos: list[dict] = [{}]
        for name in others:
            combos = [{**c, name: value} for c in combos for value in kwarg_values[name]]
        routes.extend((entry.name, combo) for combo in combos)
    return routes


def url_for(project, name: str, kwargs: dict) -> str:
    return reverse(name, kwargs={"code": project.code, **kwargs})


def owner_post_data(project, name: str, kwargs: dict) -> dict:
    """Return the form data of an ordinary post by the owner to a project URL."""
    if name == "project_edit":
        return {"name": "Renamed", "description": ""}
    if name == "wizard_section":
        return {"version": str(project.version), "action": "next"}
    if name == "wizard_finish":
        return {"version": str(project.version)}
    return {}
