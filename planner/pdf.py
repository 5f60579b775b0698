"""The plan as a PDF (WeasyPrint); planner/tasks.py renders it in background workers.

WeasyPrint is imported lazily: ``import weasyprint`` alone takes most of a second. Its URL
fetcher is replaced by one that serves our own static files and refuses everything else, so
nothing in a plan (answers, rule texts) can make the renderer reach the network or the disk.
"""

from __future__ import annotations

import mimetypes
from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from planner.plans import Plan

__all__ = [
    "CONTENT_TYPE",
    "PDF_BASE_URL",
    "html_to_pdf",
    "make_url_fetcher",
    "pdf_filename",
    "plan_html",
    "render_plan_pdf",
    "resolve_static_url",
]

CONTENT_TYPE = "application/pdf"
# A base URL naming no real place: relative references resolve under it, and the fetcher
# answers only for PDF_STATIC_PREFIX, from our static files.
PDF_BASE_URL = "file:///planner-pdf/"
PDF_STATIC_PREFIX = PDF_BASE_URL + "static/"
STYLESHEET = "css/pdf.css"


class RefusedURL(ValueError):
    """A resource the PDF renderer may not fetch."""


def resolve_static_url(url: str) -> Path:
    """Return the static file a PDF resource URL names, or raise ``RefusedURL``."""
    if not url.startswith(PDF_STATIC_PREFIX):
        raise RefusedURL(f"Refused to fetch {url!r}: only our own static files are served.")
    relative = unquote(url[len(PDF_STATIC_PREFIX) :].split("?")[0].split("#")[0])
    parts = PurePosixPath(relative).parts
    if (
        not relative
        or relative.startswith("/")
        or "\\" in relative
        or "\0" in relative
        or any(part in ("..", ".") for part in parts)
    ):
        raise RefusedURL(f"Refused to fetch {url!r}: not a plain static path.")
    found = finders.find(relative)
    if found:
        return Path(found)
    root = Path(settings.STATIC_ROOT).resolve() if settings.STATIC_ROOT else None
    if root is not None:
        path = (root / relative).resolve()
        if path.is_relative_to(root) and path.is_file():
            return path
    raise RefusedURL(f"Refused to fetch {url!r}: no such static file.")


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFileFetcher(URLFetcher):
        """Serve our static files; refuse every other URL (WeasyPrint logs and skips it)."""

        def __init__(self):
            super().__init__(allowed_protocols=("file",))
            self.requests: list[str] = []

        def fetch(self, url, headers=None):
            self.requests.append(url)
            path = resolve_static_url(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFileFetcher


def make_url_fetcher():
    """Return a fresh fetcher; its ``requests`` lists every URL WeasyPrint asked for."""
    return _fetcher_class()()


def plan_html(plan: Plan, *, standalone: bool = False) -> str:
    """Return the print document of the plan (``standalone``: CSS inlined, for a browser)."""
    context = {"plan": plan, "stylesheet": "static/" + STYLESHEET}
    if standalone:
        context["inline_css"] = Path(finders.find(STYLESHEET)).read_text(encoding="utf-8")
    return render_to_string("pdf/plan.html", context)


def pdf_filename(plan: Plan) -> str:
    return f"{plan.filename_stem}-architecture-plan.pdf"


def html_to_pdf(html: str, url_fetcher=None) -> bytes:
    """Return the PDF WeasyPrint writes for this HTML (the one call to WeasyPrint)."""
    import weasyprint

    document = weasyprint.HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=url_fetcher or make_url_fetcher()
    )
    return document.write_pdf()


def render_plan_pdf(plan: Plan, *, url_fetcher=None) -> tuple[str, str, bytes]:
    """Return (filename, content type, bytes) of the plan's PDF, rendered now."""
    return pdf_filename(plan), CONTENT_TYPE, html_to_pdf(plan_html(plan), url_fetcher)
