"""The topology diagram: geometry of the layout, and the SVG drawn from it."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.diagram import MIN_FONT_SIZE, Box, Layout, layout, render_svg
from planner.topology import ENV_ORDER, Topology, derive_topology
from tests.helpers import EXAMPLES

SVG_NS = "http://www.w3.org/2000/svg"
NS = {"svg": SVG_NS}
EPS = 0.01
OTHER_REGIONS = ["eu", "au", "jp", "uk", "ca"]


def synthetic_answers(
    production: int,
    environments: int,
    sandboxes: int,
    *,
    prefix: str = "acme",
    domain: str = "acme.com",
) -> dict:
    """Answers whose topology has `production` production tenants (1..6)."""
    assert 1 <= production <= 6
    answers = {
        "tenant_prefix": prefix,
        "primary_domain": domain,
        "use_custom_domain": "yes",
        "custom_domain_nonprod": "yes",
        "primary_region": "us",
        "subscription": "enterprise",
        "user_communities": ["b2b_customers"],
        "environments": list(ENV_ORDER[-environments:]),  # always contains prod
        "sandboxes": "none",
    }
    if sandboxes == 1:
        answers["sandboxes"] = "shared"
    elif sandboxes > 1:
        answers["sandboxes"] = "per_developer"
        answers["sandbox_count"] = sandboxes
    extra = production - 1
    if extra >= 1:
        answers["dedicated_tenant_contract"] = "yes"
        answers["branded_social_consent"] = "yes"
        extra -= 1
    if extra >= 1:
        answers["user_communities"] = ["b2b_customers", "employees"]
        answers["communities_share_apps"] = "none"
        extra -= 1
    if extra >= 1:
        answers["data_residency"] = "some_customers_other_region"
        answers["additional_regions"] = OTHER_REGIONS[:extra]
    return answers


def topology_for(production: int, environments: int, sandboxes: int, **kw) -> Topology:
    topology = derive_topology(synthetic_answers(production, environments, sandboxes, **kw))
    assert len(topology.production_tenants) == production
    return topology


# --------------------------------------------------------------------------- geometry checks


def inside(inner: Box, outer: Box) -> bool:
    return (
        inner.x >= outer.x - EPS
        and inner.y >= outer.y - EPS
        and inner.right <= outer.right + EPS
        and inner.bottom <= outer.bottom + EPS
    )


def overlap(a: Box, b: Box) -> bool:
    return (
        a.x < b.right - EPS
        and b.x < a.right - EPS
        and a.y < b.bottom - EPS
        and b.y < a.bottom - EPS
    )


def text_rect_overlaps(t, b: Box) -> bool:
    return t.x < b.right and b.x < t.x + t.width and t.top < b.bottom and b.y < t.bottom


def check_geometry(lay: Layout) -> None:
    boxes = lay.boxes
    canvas = boxes[0]
    assert canvas.kind == "canvas"
    assert (canvas.w, canvas.h) == (lay.width, lay.height)
    for i, box in enumerate(boxes):
        assert box.w > 0 and box.h > 0, (i, box.kind)
        if box.parent is not None:
            assert inside(box, boxes[box.parent]), (box.kind, box.name, boxes[box.parent].kind)
        for t in box.texts:
            assert t.font_size >= MIN_FONT_SIZE
            assert t.x >= box.x - EPS and t.x + t.width <= box.right + EPS, (box.kind, t)
            assert t.top >= box.y - EPS and t.bottom <= box.bottom + EPS, (box.kind, t)
            # a box's own text is never hidden under one of its child boxes
            for child in lay.children(i):
                assert not text_rect_overlaps(t, child), (t.content, child.kind, child.name)
        # lines of text in one box never overlap each other
        for a, b in itertools.combinations(box.texts, 2):
            same_line = a.top < b.bottom - EPS and b.top < a.bottom - EPS
            assert not (same_line and a.x < b.x + b.width and b.x < a.x + a.width), (a, b)
    # siblings never overlap; a stack's shadows only overlap their own group
    for parent in {b.parent for b in boxes if b.parent is not None}:
        siblings = [(i, b) for i, b in enumerate(boxes) if b.parent == parent]
        for (i, a), (j, b) in itertools.combinations(siblings, 2):
            family_a = a.of if a.kind == "shadow" else i
            family_b = b.of if b.kind == "shadow" else j
            if family_a == family_b:
                continue
            assert not overlap(a, b), (a.kind, a.name, b.kind, b.name)


# --------------------------------------------------------------------------- layout


@pytest.mark.parametrize("production", range(1, 7))
@pytest.mark.parametrize("environments", range(1, 7))
@pytest.mark.parametrize("organizations", [True, False])
def test_layout_geometry_all_sizes(production, environments, organizations):
    for sandboxes in range(0, 11):
        topology = topology_for(production, environments, sandboxes)
        lay = layout(topology, organizations)
        check_geometry(lay)
        drawn = [b.name for b in lay.boxes if b.kind in ("tenant", "sandbox")]
        assert drawn == [t.name for t in topology.tenants]


@pytest.mark.parametrize("production", [1, 3, 6])
def test_layout_geometry_long_names_and_domains(production):
    topology = topology_for(
        production,
        6,
        10,
        prefix="a" * 40,
        domain="very-long-subdomain-name." + "b" * 40 + ".example.com",
    )
    lay = layout(topology, True, title="A very long company name " * 8)
    check_geometry(lay)
    assert lay.width <= 2 * 600 + 200  # stays a reasonable page width


def test_valid_names_are_never_cut():
    topology = topology_for(6, 6, 10, prefix="p" * 40)
    lay = layout(topology, True)
    names = {t.content for b in lay.boxes for t in b.texts if b.kind in ("tenant", "sandbox")}
    assert all(t.name in names for t in topology.tenants)


def test_long_text_is_cut_with_ellipsis_and_full_title():
    domain = "d" * 60 + "." + "e" * 60 + "." + "f" * 60 + ".com"
    topology = derive_topology(
        {
            "tenant_prefix": "acme",
            "primary_domain": domain,
            "use_custom_domain": "yes",
            "environments": ["prod"],
        }
    )
    lay = layout(topology, False)
    check_geometry(lay)
    cut = [t for b in lay.boxes for t in b.texts if t.full == f"login.{domain}"]
    assert cut and all(t.content.endswith("…") for t in cut)
    svg = render_svg(topology, organizations=False)
    assert f"<title>login.{domain}</title>" in svg


def test_grid_uses_up_to_three_columns():
    lay = layout(topology_for(6, 2, 0), False)
    groups = [b for b in lay.boxes if b.kind == "group"]
    assert len({g.x for g in groups}) in (2, 3)
    assert len({g.y for g in groups}) in (2, 3)
    lay1 = layout(topology_for(1, 2, 0), False)
    assert len([b for b in lay1.boxes if b.kind == "group"]) == 1


def test_sandboxes_inside_primary_group():
    topology = topology_for(2, 3, 10)
    lay = layout(topology, True)
    primary_index = next(i for i, b in enumerate(lay.boxes) if b.kind == "group")
    sandboxes = [b for b in lay.boxes if b.kind == "sandbox"]
    assert len(sandboxes) == 10
    assert all(b.parent == primary_index for b in sandboxes)


def test_tenant_colours_follow_tags():
    topology = topology_for(1, 6, 1)
    lay = layout(topology, False)
    fills = {}
    for b in lay.boxes:
        if b.kind in ("tenant", "sandbox"):
            fills.setdefault(b.tag, set()).add(b.fill)
    assert set(fills) == {"production", "staging", "development"}
    assert all(len(v) == 1 for v in fills.values())
    assert len({next(iter(v)) for v in fills.values()}) == 3
    legend = [b for b in lay.boxes if b.kind == "swatch"]
    assert {b.tag for b in legend} >= {"production", "staging", "development"}
    for swatch in legend:
        if swatch.tag:
            assert swatch.fill == next(iter(fills[swatch.tag]))


def _luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_contrast_is_sufficient():
    topology = topology_for(6, 6, 3)
    lay = layout(topology, True)
    for b in lay.boxes:
        for t in b.texts:
            assert contrast(t.fill, b.fill) >= 4.5, (b.kind, t.content, t.fill, b.fill)


def test_dedicated_group_is_a_stack_marked_per_customer():
    topology = topology_for(2, 2, 0)
    lay = layout(topology, True)
    group_index = next(i for i, b in enumerate(lay.boxes) if b.kind == "group" and "{" in b.name)
    shadows = [b for b in lay.boxes if b.kind == "shadow"]
    assert len(shadows) == 2 and all(s.of == group_index for s in shadows)
    group = lay.boxes[group_index]
    for s in shadows:
        assert s.x > group.x and s.y > group.y and (s.w, s.h) == (group.w, group.h)
    # the shadows are drawn before (behind) the group
    assert all(lay.boxes.index(s) < group_index for s in shadows)
    children = lay.children(group_index)
    badge = [t.content for b in children if b.kind == "badge" for t in b.texts]
    assert badge == ["per customer"]
    reasons = [t for b in children if b.kind == "reasons" for t in b.texts]
    assert len([t for t in reasons if t.content.startswith("• ")]) == 2
    # every reason is there in full as a tooltip
    assert {t.full for t in reasons if t.full} == set(topology.production_tenants[1].reasons)


def test_organizations_note_only_on_primary_and_only_when_asked():
    topology = topology_for(3, 2, 0)
    lay = layout(topology, True)
    notes = [b for b in lay.boxes if b.kind == "note"]
    assert len(notes) == 1
    assert lay.boxes[notes[0].parent].name == "acme"
    assert notes[0].texts[0].content == "Organizations: one per business customer"
    assert not [b for b in layout(topology, False).boxes if b.kind == "note"]


def test_empty_topology_still_renders():
    for answers in ({}, {"tenant_prefix": "acme"}):
        topology = derive_topology(answers)
        lay = layout(topology, True)
        check_geometry(lay)
        assert not [t for b in lay.boxes for t in b.texts if t.truncated]
        root = ET.fromstring(render_svg(topology, organizations=True))
        assert root.tag == f"{{{SVG_NS}}}svg"


def test_geometry_check_catches_faults():
    """The checker itself: a moved box, a widened text or a sibling overlap are caught."""
    import dataclasses

    def broken(mutate) -> bool:
        lay = layout(topology_for(2, 3, 2), True)
        mutate(lay)
        try:
            check_geometry(lay)
        except AssertionError:
            return True
        return False

    def tenants(lay):
        return [b for b in lay.boxes if b.kind == "tenant"]

    def push_out(lay):
        tenants(lay)[0].x += 2000

    def overlap_next(lay):
        first, second = tenants(lay)[:2]
        second.y = first.y + 5

    def widen_text(lay):
        box = tenants(lay)[0]
        box.texts[0] = dataclasses.replace(box.texts[0], width=box.w * 2)

    def tiny_font(lay):
        box = tenants(lay)[0]
        box.texts[1] = dataclasses.replace(box.texts[1], font_size=8)

    assert not broken(lambda lay: None)
    for mutate in (push_out, overlap_next, widen_text, tiny_font):
        assert broken(mutate), mutate.__name__


@settings(max_examples=60, deadline=None)
@given(
    production=st.integers(1, 6),
    environments=st.integers(1, 6),
    sandboxes=st.integers(0, 10),
    prefix=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=2, max_size=40),
    organizations=st.booleans(),
    title=st.text(max_size=120),
)
def test_layout_geometry_random(production, environments, sandboxes, prefix, organizations, title):
    topology = topology_for(production, environments, sandboxes, prefix=prefix)
    check_geometry(layout(topology, organizations, title))
    ET.fromstring(render_svg(topology, organizations=organizations, title=title))


# --------------------------------------------------------------------------- SVG


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_examples_render_valid_svg_with_every_tenant(key):
    topology = derive_topology(EXAMPLES[key]["answers"])
    svg = render_svg(topology, organizations=True, title=EXAMPLES[key]["answers"]["company_name"])
    root = ET.fromstring(svg)
    assert root.tag == f"{{{SVG_NS}}}svg"
    assert root.get("version") == "1.1"
    assert root.get("role") == "img"
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert width > 0 and height > 0
    assert "DejaVu Sans" in root.get("font-family")
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None and title.text == EXAMPLES[key]["answers"]["company_name"]
    assert desc is not None and desc.text
    labelled = root.get("aria-labelledby").split()
    assert labelled == [title.get("id"), desc.get("id")]
    drawn = {"".join(t.itertext()) for t in root.iter(f"{{{SVG_NS}}}text")}
    for tenant in topology.tenants:
        assert tenant.name in drawn
        assert tenant.name in desc.text
        if tenant.custom_domain:
            assert tenant.custom_domain in drawn


def test_no_script_no_external_reference():
    topology = topology_for(6, 6, 10)
    svg = render_svg(topology, organizations=True, title="Acme")
    lowered = svg.lower()
    assert "<script" not in lowered
    assert "on" + "load" not in lowered and "onclick" not in lowered
    assert "http" not in lowered.replace(SVG_NS, "")
    assert "href" not in lowered
    assert "@import" not in lowered and "url(" not in lowered
    assert "<foreignobject" not in lowered


def test_markup_in_title_and_prefix_is_escaped():
    topology = derive_topology(
        {
            "tenant_prefix": "<img src=x>",
            "primary_domain": 'acme.com"><script>',
            "use_custom_domain": "yes",
            "environments": ["prod"],
            "primary_region": "us",
        }
    )
    svg = render_svg(topology, organizations=True, title='<img src=x> & "Co" \x00\x1b')
    assert "<img" not in svg
    assert "<script" not in svg.lower()
    assert "&lt;img src=x&gt;" in svg
    root = ET.fromstring(svg)
    assert root.find("svg:title", NS).text == '<img src=x> & "Co"'
    drawn = "".join(root.itertext())
    assert "<img src=x>-prod" in drawn


def test_dedicated_example_svg_has_stack_and_reasons():
    answers = synthetic_answers(2, 3, 0)
    topology = derive_topology(answers)
    svg = render_svg(topology, organizations=True)
    root = ET.fromstring(svg)
    assert "per customer" in "".join(root.itertext())
    assert "acme-{customer}-prod" in svg
    assert svg.count("<rect") == len(layout(topology, True).boxes) - 1  # the legend is not drawn


def test_render_is_deterministic():
    topology = derive_topology(EXAMPLES["p6-customers-partners-employees"]["answers"])
    assert render_svg(topology, organizations=True) == render_svg(topology, organizations=True)
