"""The PDF's print layout, checked on WeasyPrint's laid-out boxes for every example and a stress
plan: nothing outside the page's content box, no text outside its badge or cell, names broken
only after a dot and never hyphenated, no nearly empty page, diagram type at 7 pt or more."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from planner import catalog, diagram, pdf
from planner.plans import build_plan_from_answers

DATA = Path(__file__).parent / "data"
EXAMPLES = json.loads((DATA / "examples.json").read_text())
EXAMPLES_V2 = json.loads((DATA / "examples_v2.json").read_text())
P6 = EXAMPLES["p6-customers-partners-employees"]["answers"]

WORDS = "Longest Possible Customer Name Incorporated Worldwide Holdings Subsidiaries"[:85]
SLUG = ("very-long-customer-slug-" * 3)[:46]  # with a 3-digit prefix: 50, the maximum


def stress_roster(rows: int = 200) -> list[dict]:
    """Return a roster of the longest names: dedicated banks, archetypes, enterprise customers."""
    roster = []
    for i in range(rows):
        if i % 40 == 0:  # a dedicated slug stays short: its tenant names are at most 63 long
            roster.append(
                {"name": f"Bank {i} {WORDS}", "slug": f"bank{i:03d}-abcdef",
                 "hosting": "dedicated", "sign_in": ["enterprise_idp", "our_database"],
                 "idp": "google_workspace", "scim": "yes", "mfa": "required"}
            )  # fmt: skip
        elif i % 3 == 0:
            roster.append(
                {"name": f"Archetype {i} {WORDS}", "slug": f"{i:03d}-{SLUG}", "count": 250,
                 "sign_in": ["our_database", "social", "passwordless"]}
            )  # fmt: skip
        else:
            roster.append(
                {"name": f"Customer {i} {WORDS}", "slug": f"{i:03d}-{SLUG}",
                 "sign_in": ["enterprise_idp", "our_database", "social", "passwordless"],
                 "idp": "google_workspace", "scim": "yes", "mfa": "required",
                 "email_domains": [f"c{i:03d}-{'d' * 58}.example", f"{LABEL}.c{i:03d}.example"]}
            )  # fmt: skip
    return roster


LABEL = ("very-long-dns-label-" * 4)[:62] + "x"  # 63 characters, the maximum
STRESS = dict(
    P6,
    company_name="Longest Possible Company Name Incorporated, Worldwide Holdings And Subsidiaries "
    "Group Ltd",
    tenant_prefix="abcdefghij-klmnopqrst-uvwxyz0123-4567890",  # 40 characters, the maximum
    primary_domain=f"{LABEL}.{LABEL}.{LABEL}.{LABEL[:53]}.example",  # 253 characters, the maximum
    environments=["dev", "qa", "uat", "staging", "perf", "prod"],
    sandboxes="per_developer",
    sandbox_count=50,
    customers=stress_roster(),
)
assert len(STRESS["primary_domain"]) == 253 and len(STRESS["tenant_prefix"]) == 40
STRESS_NAME = "A" * 60 + " " + "B" * 59  # the longest project name (120)

PLANS = {key: (example["answers"], key) for key, example in {**EXAMPLES, **EXAMPLES_V2}.items()}
PLANS["stress"] = (STRESS, STRESS_NAME)

EPSILON = 0.5  # points: rounding in WeasyPrint's layout
HYPHEN = "\u2010"  # WeasyPrint's default hyphenate-character
# An inner page (not the cover, not the last) uses at least this share of its content height:
# a chapter's short tail flows on with the next chapter instead of being left alone on a page.
MIN_FILL = 0.4


@pytest.fixture
def default_rules(db):
    call_command("load_rules", verbosity=0)


def walk(box, ancestors=()):
    """Yield (box, ancestors) for the box and everything inside it."""
    yield box, ancestors
    for child in getattr(box, "children", ()) or ():
        yield from walk(child, (*ancestors, box))


def classes(element) -> set[str]:
    return set((element.get("class") or "").split()) if element is not None else set()


def outside(inner, outer) -> bool:
    """Return whether inner's border box leaves outer's content box horizontally or vertically."""
    x, y = inner.border_box_x(), inner.border_box_y()
    ox, oy = outer.content_box_x(), outer.content_box_y()
    return (
        x < ox - EPSILON
        or x + inner.border_width() > ox + outer.width + EPSILON
        or y < oy - EPSILON
        or y + inner.border_height() > oy + outer.height + EPSILON
    )


def describe(box) -> str:
    text = getattr(box, "text", "") or ""
    element = getattr(box, "element", None)
    tag = element.tag if element is not None else "?"
    return f"{type(box).__name__} <{tag} class={classes(element) or ''}> {text[:60]!r}"


def layout_problems(document) -> list[str]:
    """Return every print-standard violation found in the laid-out document."""
    problems: list[str] = []
    last = len(document.pages) - 1
    for number, page in enumerate(document.pages):
        problems += page_problems(number, page._page_box, is_inner=0 < number < last)
    return problems


def page_problems(number: int, page_box, *, is_inner: bool) -> list[str]:
    """Return the violations on one page: boxes outside, text clipped or broken, nearly empty."""
    problems: list[str] = []
    bottom = page_box.content_box_y()
    pieces: dict[int, set[float]] = {}
    for child in page_box.children:
        if isinstance(child, boxes.MarginBox):
            continue
        for box, ancestors in walk(child):
            where = f"page {number + 1}: {describe(box)}"
            if box.width is None or (box.border_width() == 0 and box.border_height() == 0):
                continue
            if outside(box, page_box):
                problems.append(f"{where} is outside the page's content box")
            if isinstance(box, (boxes.LineBox, boxes.ReplacedBox, boxes.TableRowBox)):
                bottom = max(bottom, box.border_box_y() + box.border_height())
            if isinstance(box, boxes.TextBox):
                problems += text_problems(where, box, ancestors, pieces)
    for ys in pieces.values():
        if len(ys) > 1:
            problems.append(f"page {number + 1}: a name or code is broken across lines")
    filled = (bottom - page_box.content_box_y()) / page_box.height
    if is_inner and filled < MIN_FILL:
        problems.append(f"page {number + 1} is nearly empty: it fills {filled:.0%} of the page")
    return problems


def text_problems(where: str, box, ancestors, pieces: dict[int, set[float]]) -> list[str]:
    """Return a text box's violations; note where each name piece sits in ``pieces``."""
    problems = []
    if box.text.endswith(HYPHEN):
        problems.append(f"{where} is hyphenated")
    # Text stays inside its badge / inline block / table cell (nothing clipped).
    container = next(
        (
            a
            for a in reversed(ancestors)
            if isinstance(a, (boxes.InlineBlockBox, boxes.TableCellBox))
        ),
        None,
    )
    if container is not None and outside(box, container):
        problems.append(f"{where} is outside its {describe(container)}")
    # A name piece (a label with its dot, or code) stays on one line.
    element = box.element
    if "nb" in classes(element) or (element is not None and element.tag == "code"):
        pieces.setdefault(id(element), set()).add(round(box.position_y, 1))
    return problems


@pytest.mark.parametrize("key", PLANS)
def test_layout_meets_the_print_standard(default_rules, key):
    answers, name = PLANS[key]
    plan = build_plan_from_answers(answers, name=name, author="Olivia Architect")
    html = pdf.plan_html(plan)
    document = pdf.layout_document(html)
    assert layout_problems(document) == []
    # Every domain and tenant name of the inventory is marked so it wraps only after its dots.
    for tenant in plan.topology.tenants:
        assert f"<code>{tenant.name}</code>" in html
        if tenant.custom_domain:
            first_label = tenant.custom_domain.split(".")[0]
            assert f'<span class="dns"><span class="nb">{first_label}.</span><wbr>' in html
    # The diagram prints its smallest type at 7 pt or more.
    for page in pdf.diagram_pages(plan):
        svg_width = float(re.search(r'width="([\d.]+)"', page.svg).group(1))
        assert page.width_pt / svg_width * diagram.MIN_FONT_SIZE >= pdf.MIN_TYPE_PT - 0.01


def test_stress_plan_splits_the_diagram_and_turns_the_inventory(default_rules):
    plan = build_plan_from_answers(STRESS, name=STRESS_NAME, author="Olivia Architect")
    assert len(plan.topology.tenants) > 50
    assert pdf.inventory_needs_landscape(plan)
    assert not pdf.inventory_needs_landscape(build_plan_from_answers(P6, name="p6"))
    pages = pdf.diagram_pages(plan)
    # One page per shared production tenant, then one for every customer with its own tenant.
    shared = [pt.stem for pt in plan.topology.production_tenants if not pt.customer]
    assert any(pt.customer for pt in plan.topology.production_tenants)
    assert [p.caption for p in pages] == [*shared, ""]
    assert pages[-1].heading == "Customers with their own tenant"


def test_layout_check_catches_overflow_and_broken_names(default_rules):
    """The checker itself: a table too wide, a hyphen-broken name and a lone line are found."""
    plan = build_plan_from_answers(P6, name="p6", author="Olivia Architect")
    html = pdf.plan_html(plan).replace(
        "</body>",
        '<table style="width: 260mm"><tr><td>wide</td></tr></table>'
        '<p style="width: 20mm"><code style="white-space: normal">login-staging-acme</code></p>'
        "</body>",
    )
    # A line forced onto a page of its own, with the colophon forced onto the next.
    html = html.replace(
        '<section class="chapter colophon">',
        '<p style="break-before: page">A lone line</p>'
        '<section class="chapter colophon" style="break-before: page">',
    )
    problems = layout_problems(pdf.layout_document(html))
    assert any("outside the page's content box" in p for p in problems)
    assert any("broken across lines" in p for p in problems)
    assert any("is nearly empty: it fills" in p for p in problems)


def test_pdf_is_tagged(default_rules):
    plan = build_plan_from_answers(P6, name="Acme identity platform", author="Olivia Architect")
    _, _, content = pdf.render_plan_pdf(plan)
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "Acme identity platform: Auth0 tenant architecture plan"
    # Design conflicts come first, then the executive summary.
    assert [item.title for item in reader.outline if not isinstance(item, list)][:2] == [
        "Design conflicts",
        "Executive summary",
    ]
    tags, alts = [], []

    def collect(node):
        node = node.get_object()
        if "/S" in node:
            tags.append(str(node["/S"]))
            if node["/S"] == "/Figure" and "/Alt" in node:
                alts.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
                collect(kid)

    collect(root["/StructTreeRoot"])
    for tag in ("/H1", "/H2", "/P", "/Table", "/TH", "/TD", "/L", "/LI", "/Figure"):
        assert tag in tags, tag
    assert "Acme identity platform: tenant topology" in alts


def test_stress_roster_is_a_valid_answer():
    """The stress plan's 200 customers pass the roster's checks: its layout is of a real plan."""
    assert len(STRESS["customers"]) == 200
    assert catalog.read_answers(STRESS).errors.get("customers", ()) == ()


LONG_NAME = "Ledgerline core banking identity platform for community banks and credit unions"


def drawn_text(svg: str) -> str:
    """Return the SVG's drawn text, its lines joined by spaces (a long title wraps)."""
    return " ".join(re.findall(r">([^<>]*)</text>", svg))


@pytest.mark.parametrize("name", ["Ledgerline", LONG_NAME])
def test_split_diagrams_draw_every_name_and_title_whole(default_rules, name):
    """p7's diagram prints a page per shared production tenant and one page for the customers
    with their own tenant: every title, tenant name and customer is drawn whole (no "…")."""
    answers = EXAMPLES_V2["p7-twelve-banks-dedicated"]["answers"]
    plan = build_plan_from_answers(answers, name=name, author="Olivia Architect")
    pts = plan.topology.production_tenants
    shared = [pt for pt in pts if not diagram.is_listed_customer(pt)]
    listed = [pt for pt in pts if diagram.is_listed_customer(pt)]
    assert len(shared) == 1 and len(listed) == 12
    pages = pdf.diagram_pages(plan)
    assert [p.caption for p in pages] == [*(pt.stem for pt in shared), ""]
    for page in pages:
        assert diagram.ELLIPSIS not in page.svg, page.caption or page.heading
    for page, pt in zip(pages, shared, strict=False):
        assert f"{name}: production tenant {pt.stem}" in drawn_text(page.svg)
        for tenant in plan.topology.tenants_of(pt):
            assert f">{tenant.name}</text>" in page.svg
    block = pages[-1]
    assert block.heading == "Customers with their own tenant"
    assert f"{name}: customers with their own tenant" in drawn_text(block.svg)
    for pt in listed:
        assert f">{pt.customer}</text>" in block.svg
        assert f">{pt.stem}</text>" in block.svg
