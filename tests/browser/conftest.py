"""Browser harness: headless Debian Chromium (sync Playwright) against pytest-django's live server.

Every request the page makes to another origin is aborted and fails the test, and so does any
Content-Security-Policy violation reported on the console: the app must work offline under its
strict policy.
"""

import io
import os
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command, get_commands

# pytest-django's live server and sync Playwright share the main thread's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PLANNER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session; Playwright gives it a fresh temporary user-data dir."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM} (set PLANNER_CHROMIUM).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _database(transactional_db, live_server):
    """Browser tests share the database with the live server thread: load the default rules."""
    if "load_rules" in get_commands():
        call_command("load_rules", stdout=io.StringIO())


@pytest.fixture
def new_context(browser, live_server):
    """Return a factory of fresh browser contexts (separate sessions) guarded as above."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(live_server.url))
    blocked: list[str] = []
    csp_violations: list[str] = []
    contexts = []

    def only_live_server(route):
        url = route.request.url
        if url == origin or url.startswith(origin + "/"):
            route.continue_()
        else:
            blocked.append(url)
            route.abort("blockedbyclient")

    def watch_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            csp_violations.append(f"{message.text} ({message.location.get('url', '')})")

    def make(**options):
        context = browser.new_context(base_url=live_server.url, accept_downloads=True, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", only_live_server)
        context.on("console", watch_console)
        contexts.append(context)
        return context

    make.blocked = blocked  # for the harness's own test
    yield make
    for context in contexts:
        context.close()
    assert not blocked, f"The page tried to reach other origins: {blocked}"
    assert not csp_violations, f"Content-Security-Policy violations: {csp_violations}"


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()
