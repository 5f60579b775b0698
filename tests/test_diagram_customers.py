"""The diagram with a roster: dedicated customers by name (collapsed past a legible size),
the roster's Organizations in the shared tenant of their region, the existing tenant marked."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pytest

from planner import diagram, pdf
from planner.diagram import NAMED_CUSTOMERS_LIMIT, layout, render_svg
from planner.plans import build_plan_from_answers
from planner.topology import derive_topology
from tests.helpers import load_data
from tests.test_diagram import SVG_NS, check_geometry, contrast

V2 = load_data("examples_v2.json")
P7 = V2["p7-twelve-banks-dedicated"]["answers"]
P8 = V2["p8-hr-suite-mixed-roster"]["answers"]
TOWNS = ["Harbor", "Granite", "Prairie", "Bayside", "Summit", "Redwood", "Lakeshore", "Keystone"]


def banks(count: int, **overrides) -> dict:
    """P7's answers with ``count`` dedicated banks (a few in eu, some without a login domain)."""
    answers = copy.deepcopy(P7)
    answers.update(overrides)
    rows = []
    for i in range(count):
        name = f"{TOWNS[i % len(TOWNS)]} Savings Bank {i + 1}"
        slug = name.lower().replace(" ", "-")
        row = {"name": name, "slug": slug, "sign_in": ["enterprise_idp"], "idp": "entra_id"}
        row.update(hosting="dedicated", region="eu" if i % 4 == 3 else "us")
        if i % 5:
            row["login_domain"] = f"login.{slug}.com"
        rows.append(row)
    answers["customers"] = rows
    return answers


def texts(lay, kind=None) -> list[str]:
    return [t.content for b in lay.boxes if kind in (None, b.kind) for t in b.texts]


def customers_block(lay):
    return next(b for b in lay.boxes if b.kind == "group" and b.name.startswith("customers"))


def test_twelve_banks_are_drawn_by_name_as_cards_in_one_block():
    topology = derive_topology(P7)
    lay = layout(topology, True)
    check_geometry(lay)
    listed = [pt for pt in topology.production_tenants if pt.customer]
    assert len(listed) == 12
    cards = [b for b in lay.boxes if b.kind == "customer"]
    assert [c.name for c in cards] == [pt.stem for pt in listed]
    block = lay.boxes.index(customers_block(lay))
    assert all(c.parent == block for c in cards)
    for card, pt in zip(cards, listed, strict=True):
        assert [t.content for t in card.texts][:2] == [pt.customer, pt.stem]
        assert pt.custom_domain in card.texts[2].content
    assert "Customers with their own tenant (12)" in texts(lay, "group")
    # Their environment tenants are not drawn one by one: only the primary's four are.
    drawn_tenants = [b.name for b in lay.boxes if b.kind == "tenant"]
    assert drawn_tenants == [t.name for t in topology.tenants if t.purpose == "primary"]
    assert not [b for b in lay.boxes if b.kind == "shadow"]
    # Three cards to a row.
    assert len({c.x for c in cards}) == 3 and len({c.y for c in cards}) == 4


def test_every_dedicated_tenant_stays_in_the_description():
    topology = derive_topology(banks(NAMED_CUSTOMERS_LIMIT + 5))
    root = ET.fromstring(render_svg(topology, organizations=True, title="Banks"))
    desc = root.find(f"{{{SVG_NS}}}desc").text
    for tenant in topology.tenants:
        assert tenant.name in desc
    for pt in topology.production_tenants:
        if pt.customer:
            assert f"for {pt.customer}" in desc


@pytest.mark.parametrize("count", [1, 3, NAMED_CUSTOMERS_LIMIT])
def test_up_to_the_limit_every_customer_has_its_card(count):
    lay = layout(derive_topology(banks(count)), True)
    check_geometry(lay)
    assert len([b for b in lay.boxes if b.kind == "customer"]) == count


@pytest.mark.parametrize("count", [NAMED_CUSTOMERS_LIMIT + 1, 40, 500])
def test_past_the_limit_the_customers_collapse_into_one_stacked_box(count):
    topology = derive_topology(banks(count))
    lay = layout(topology, True)
    check_geometry(lay)
    assert not [b for b in lay.boxes if b.kind == "customer"]
    block = customers_block(lay)
    assert block.texts[0].content == f"{count} customers with their own tenant"
    shadows = [b for b in lay.boxes if b.kind == "shadow"]
    assert len(shadows) == 2 and {s.of for s in shadows} == {lay.boxes.index(block)}
    summary = " ".join(texts(lay, "reasons"))
    eu = sum(1 for i in range(count) if i % 4 == 3)
    assert f"Regions: US {count - eu} · EU {eu}" in summary
    assert f"With their own login domain: {sum(1 for i in range(count) if i % 5)}" in summary
    listed = [pt for pt in topology.production_tenants if pt.customer]
    assert f"Tenants: {sum(len(topology.tenants_of(pt)) for pt in listed)} in all" in summary
    assert lay.height < 700  # one box, whatever the count


def customers_page(answers) -> pdf.DiagramPage:
    plan = build_plan_from_answers(answers, name="Banks")
    return next(p for p in pdf.diagram_pages(plan) if p.heading)


def min_type_pt(page: pdf.DiagramPage) -> float:
    width, _ = pdf._svg_size(page.svg)
    return page.width_pt / width * diagram.MIN_FONT_SIZE


def test_the_limit_is_the_most_cards_that_print_at_7_pt_on_one_page(default_rules, monkeypatch):
    page = customers_page(banks(NAMED_CUSTOMERS_LIMIT, tenant_prefix="a" * 30))
    assert min_type_pt(page) >= pdf.MIN_TYPE_PT
    assert page.heading == "Customers with their own tenant"
    assert f"Savings Bank {NAMED_CUSTOMERS_LIMIT}" in page.svg  # the last card, by name
    # One more row of cards would print below 7 pt: the limit is as high as it can be.
    more = NAMED_CUSTOMERS_LIMIT + diagram.CARD_COLUMNS
    monkeypatch.setattr(diagram, "NAMED_CUSTOMERS_LIMIT", more)
    assert min_type_pt(customers_page(banks(more))) < pdf.MIN_TYPE_PT


def test_the_pdf_draws_the_customers_on_one_page_not_one_per_tenant(default_rules):
    plan = build_plan_from_answers(P7, name="Ledgerline")
    pages = pdf.diagram_pages(plan)
    assert [(p.caption, p.heading) for p in pages] == [
        ("ledgerline", ""),
        ("", "Customers with their own tenant"),
    ]
    assert all(min_type_pt(p) >= pdf.MIN_TYPE_PT for p in pages)
    assert "First Harbor Bank" in pages[1].svg


def test_roster_organizations_are_drawn_in_the_shared_tenant_of_their_region():
    topology = derive_topology(P8)
    lay = layout(topology, True)
    check_geometry(lay)
    notes = {
        lay.boxes[b.parent].name: [t.content for t in b.texts]
        for b in lay.boxes
        if b.kind == "note"
    }
    assert notes == {
        "peoplegrid": [
            "Organizations for 142 customers:",
            "Contoso Bank · Northwind Traders",
            "Mid-market customers (140)",
        ],
        "peoplegrid-eu": [
            "Organizations for 61 customers:",
            "Fabrikam GmbH · EU small businesses (60)",
        ],
    }
    # The prod tenant holding a customer's own login domain says so.
    prod = next(b for b in lay.boxes if b.kind == "tenant" and b.name == "peoplegrid-prod")
    assert prod.texts[2].content == "login.peoplegrid.com + 1 customer domain"


def test_a_long_list_of_organizations_is_cut_between_names_with_the_full_list_kept():
    answers = copy.deepcopy(P8)
    answers["customers"] = [
        {"name": f"Customer number {i}", "sign_in": ["our_database"], "hosting": "shared"}
        for i in range(30)
    ]
    lay = layout(derive_topology(answers), True)
    check_geometry(lay)
    [note] = [b for b in lay.boxes if b.kind == "note"]
    assert len(note.texts) == 1 + diagram.ROSTER_NOTE_LINES
    last = note.texts[-1]
    assert last.content.endswith("…") and "Customer number 29" in last.full
    names = {f"Customer number {i}" for i in range(30)}
    for line in note.texts[1:]:  # whole names only, the last line ending with "…"
        pieces = line.content.removesuffix("…").removesuffix(" · ").split(" · ")
        assert set(pieces) <= names, line.content


def test_the_existing_production_tenant_is_marked():
    answers = dict(P8, existing_prod_tenant="yes", existing_tenant_name="peoplegrid-legacy")
    topology = derive_topology(answers)
    lay = layout(topology, True)
    check_geometry(lay)
    [existing] = [
        b for b in lay.boxes if b.kind == "tenant" and "existing tenant" in b.texts[1].content
    ]
    assert existing.name == "peoplegrid-legacy"
    assert existing.texts[1].content == "Production · existing tenant"
    svg = render_svg(topology, organizations=True)
    assert "peoplegrid-legacy (existing tenant)" in svg  # in the description too
    assert "existing tenant" not in render_svg(derive_topology(P8), organizations=True)


def test_roster_drawings_keep_text_contrast():
    for answers in (P7, P8, banks(40)):
        lay = layout(derive_topology(answers), True)
        for b in lay.boxes:
            for t in b.texts:
                assert contrast(t.fill, b.fill) >= 4.5, (b.kind, t.content)
