"""The plan as a PDF (WeasyPrint); planner/tasks.py renders it in background workers.

WeasyPrint is imported lazily: ``import weasyprint`` alone takes most of a second. Its URL
fetcher is replaced by one that serves our own static files and refuses everything else, so
nothing in a plan (answers, rule texts) can make the renderer reach the network or the disk.
"""

from __future__ import annotations

import dataclasses
import mimetypes
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from planner import diagram
from planner.plans import Plan
from planner.topology import ProductionTenant, Tenant

if TYPE_CHECKING:
    from weasyprint import Document
    from weasyprint.urls import URLFetcher, URLFetcherResponse

if TYPE_CHECKING:
    from planner.teamwork import Teamwork

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
# Until milestones exist every exported plan is a draft (the teamwork issue adds milestones).
DOCUMENT_VERSION = "0.1"
DOCUMENT_STATUS = "Draft"
# WeasyPrint's PDF/UA-1 variant: a tagged PDF (structure tree, language, title shown).
PDF_VARIANT = "pdf/ua-1"

# Print geometry, in points (1 mm = 72 / 25.4 pt), matching @page in css/pdf.css.
MM = 72 / 25.4
PORTRAIT = (210 * MM - 36 * MM, 297 * MM - 42 * MM)
LANDSCAPE = (297 * MM - 36 * MM, 210 * MM - 42 * MM)
DIAGRAM_HEADING = 80  # points kept free for the page's headings and note
MIN_TYPE_PT = 7.0  # the smallest type the diagram may print at
# An inventory needs a landscape page when its longest name or domain label (in characters)
# would not fit its portrait column.
PORTRAIT_NAME_CHARS = 34
PORTRAIT_LABEL_CHARS = 30
# Both columns at once: the name column and the domain column share the page (p7's 33 + 19 did
# not fit by one character).
PORTRAIT_NAME_AND_LABEL_CHARS = 50


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
def _fetcher_class() -> type[URLFetcher]:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFileFetcher(URLFetcher):
        """Serve our static files; refuse every other URL (WeasyPrint logs and skips it)."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file",))
            self.requests: list[str] = []

        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
            self.requests.append(url)
            path = resolve_static_url(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFileFetcher


def make_url_fetcher() -> URLFetcher:
    """Return a fresh fetcher; its ``requests`` lists every URL WeasyPrint asked for."""
    return _fetcher_class()()


@dataclasses.dataclass(frozen=True)
class DiagramPage:
    """One diagram page: the SVG, the page orientation and the printed width in points."""

    svg: str
    landscape: bool
    width_pt: float
    caption: str  # the production tenant's stem when the diagram is split
    note: str = ""
    heading: str = ""  # instead of the caption: the page of customers with their own tenant


_SVG_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


def _svg_size(svg: str) -> tuple[float, float]:
    match = _SVG_SIZE.search(svg)
    return (float(match.group(1)), float(match.group(2))) if match else (1.0, 1.0)


def _fit(svg: str) -> tuple[float, bool, float]:
    """Return (scale in pt per SVG unit, landscape, printed width) that best fits one page."""
    width, height = _svg_size(svg)
    best = (0.0, False, 0.0)
    for landscape, (page_w, page_h) in ((False, PORTRAIT), (True, LANDSCAPE)):
        # Never enlarge past 1.25 pt per unit: a tiny diagram need not fill the page.
        scale = min(page_w / width, (page_h - DIAGRAM_HEADING) / height, 1.25)
        if scale > best[0] + 0.01:
            best = (scale, landscape, width * scale)
    return best


def diagram_pages(plan: Plan) -> list[DiagramPage]:
    """Return the diagram's pages: whole when its type stays at 7 pt or more, else one page per
    production tenant (each scaled to its own page)."""
    min_scale = MIN_TYPE_PT / diagram.MIN_FONT_SIZE
    scale, landscape, width = _fit(plan.svg)
    pts = plan.topology.production_tenants
    if scale >= min_scale or len(pts) < 2:
        return [DiagramPage(plan.svg, landscape, width, "")]
    pages = []
    listed = tuple(pt for pt in pts if diagram.is_listed_customer(pt))
    for pt in pts:
        if pt in listed:
            continue  # drawn together as one block, on a page of its own (below)
        tenants = plan.topology.tenants_of(pt)
        svg = _part_svg(plan, (pt,), tenants)
        scale, landscape, width = _fit(svg)
        note = ""
        sandboxes = [t for t in tenants if t.environment == "sandbox"]
        if scale < min_scale and sandboxes:
            # Dozens of sandboxes would shrink the type: draw them in the inventory only.
            svg = _part_svg(plan, (pt,), [t for t in tenants if t.environment != "sandbox"])
            scale, landscape, width = _fit(svg)
            note = f"{len(sandboxes)} sandbox tenants are not drawn: see the tenant inventory."
        pages.append(DiagramPage(svg, landscape, width, pt.stem, note))
    if listed:
        listed_tenants = [t for pt in listed for t in plan.topology.tenants_of(pt)]
        svg = _part_svg(plan, listed, listed_tenants)
        scale, landscape, width = _fit(svg)
        pages.append(
            DiagramPage(svg, landscape, width, "", heading="Customers with their own tenant")
        )
    return pages


def _part_svg(plan: Plan, pts: tuple[ProductionTenant, ...], tenants: Iterable[Tenant]) -> str:
    part = dataclasses.replace(plan.topology, production_tenants=pts, tenants=tuple(tenants))
    if len(pts) == 1 and not diagram.is_listed_customer(pts[0]):
        title = f"{plan.name}: production tenant {pts[0].stem}"
    else:
        title = f"{plan.name}: customers with their own tenant"
    return diagram.render_svg(
        part,
        organizations=plan.organizations and pts[0].purpose == "primary",
        title=title,
    )


def inventory_needs_landscape(plan: Plan) -> bool:
    """Return whether the tenant inventory table needs a landscape page to fit."""
    names = [t.name for t in plan.topology.tenants]
    labels = [label for t in plan.topology.tenants for label in (t.custom_domain or "").split(".")]
    longest_name, longest_label = max(map(len, names), default=0), max(map(len, labels), default=0)
    return (
        longest_name > PORTRAIT_NAME_CHARS
        or longest_label > PORTRAIT_LABEL_CHARS
        or longest_name + longest_label > PORTRAIT_NAME_AND_LABEL_CHARS
    )


def rule_index(plan: Plan) -> list[tuple[str, str]]:
    """Return (rule key, recommendation title) of every recommendation, in document order."""
    return [(r.key, r.title) for g in plan.recommendation_groups for r in g.recommendations]


def print_settings() -> dict[str, str]:
    """Return the practice name and confidentiality line printed on the cover (settings)."""
    return {
        "practice_name": settings.PLANNER_PRACTICE_NAME,
        "confidentiality": settings.PLANNER_CONFIDENTIALITY_NOTICE,
    }


def plan_html(
    plan: Plan,
    *,
    standalone: bool = False,
    version: str = DOCUMENT_VERSION,
    status: str = DOCUMENT_STATUS,
    teamwork: Teamwork | None = None,
) -> str:
    """Return the print document of the plan (``standalone``: CSS inlined, for a browser).

    ``teamwork`` (a saved project's notes and checklist state) prints the notes in the appendix
    and who ticked which checklist item when; without it the checklist prints empty boxes.
    """
    context = {
        "plan": plan,
        "teamwork": teamwork,
        "stylesheet": "static/" + STYLESHEET,
        "document_version": version,
        "document_status": status,
        "diagram_pages": diagram_pages(plan),
        "inventory_landscape": inventory_needs_landscape(plan),
        "rule_index": rule_index(plan),
        **print_settings(),
    }
    if standalone:
        context["inline_css"] = Path(str(finders.find(STYLESHEET))).read_text(encoding="utf-8")
    return render_to_string("pdf/plan.html", context)


def pdf_filename(plan: Plan) -> str:
    return f"{plan.filename_stem}-architecture-plan.pdf"


@cache
def _memoize_page_references() -> None:
    """Make pydyf's ``PDF.page_references`` cost O(1) per call instead of O(pages).

    WeasyPrint's PDF/UA tagging reads ``pdf.page_references[n]`` once per structure element,
    and pydyf 0.13 rebuilds the tuple of every page's reference on each read: quadratic in the
    document's size (1.7 s of a 57-page roster PDF's 24 s under the profiler). The tuple only
    changes when a page is added, which appends to ``Kids``, so it is cached per length of
    ``Kids``; the references are the same (tests/test_pdf.py).
    """
    import pydyf

    original = pydyf.PDF.page_references
    if not isinstance(original, property) or original.fget is None:
        return  # a pydyf that changed its API: leave it alone
    compute = original.fget

    def page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
        kids_length = len(pdf.pages["Kids"])
        cached: tuple[int, tuple[bytes, ...]] | None = pdf.__dict__.get("_planner_page_references")
        if cached is None or cached[0] != kids_length:
            cached = (kids_length, tuple(compute(pdf)))
            pdf.__dict__["_planner_page_references"] = cached
        return cached[1]

    pydyf.PDF.page_references = property(page_references)


def layout_document(html: str, url_fetcher: URLFetcher | None = None) -> Document:
    """Return WeasyPrint's laid-out document for this HTML (its pages and boxes)."""
    import weasyprint

    _memoize_page_references()
    document = weasyprint.HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=url_fetcher or make_url_fetcher()
    )
    return document.render(pdf_variant=PDF_VARIANT)


def html_to_pdf(html: str, url_fetcher: URLFetcher | None = None) -> bytes:
    """Return the tagged PDF (PDF/UA-1) WeasyPrint writes for this HTML."""
    return layout_document(html, url_fetcher).write_pdf(pdf_variant=PDF_VARIANT)


def render_plan_pdf(plan: Plan, *, url_fetcher: URLFetcher | None = None) -> tuple[str, str, bytes]:
    """Return (filename, content type, bytes) of the plan's PDF, rendered now."""
    return pdf_filename(plan), CONTENT_TYPE, html_to_pdf(plan_html(plan), url_fetcher)
