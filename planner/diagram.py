"""The topology diagram of a plan: a standalone SVG 1.1 drawn by our own code.

Two steps, kept apart so the geometry can be tested without parsing SVG:

- ``layout(topology, organizations)`` places every box and every line of text
  (``Layout``: boxes with their texts, each text with its estimated width);
- ``render_svg(topology, organizations=..., title=...)`` draws a layout.

No JavaScript, no external reference, no web font: the text uses DejaVu Sans (shipped with
WeasyPrint's usual environments), whose advance width is estimated as ~0.6 × font size per
character (a little more for bold). Text that would not fit even the widest box is cut with "…"
and keeps its full content in a ``<title>`` child.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from dataclasses import dataclass, field, replace
from xml.sax.saxutils import escape, quoteattr

from planner.roster import Customer
from planner.topology import (
    PURPOSE_SHORT_LABELS as PURPOSE_LABELS,
)
from planner.topology import (
    REASON_DEDICATED_COMPLEX,
    REASON_DEDICATED_CONSENT,
    REASON_DEDICATED_CONTRACT,
    REASON_DEDICATED_DOMAIN,
    ProductionTenant,
    Tenant,
    Topology,
    shared_stem,
)

__all__ = ["Box", "Layout", "Text", "estimate_width", "layout", "render_svg"]

FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"
CHAR_WIDTH = 0.6  # × font size, DejaVu Sans regular
BOLD_CHAR_WIDTH = 0.68  # × font size, DejaVu Sans Bold
ELLIPSIS = "…"
FIT_TOLERANCE = 0.01  # px: float rounding, never a visible overflow
TITLE_LINES = 3  # a title wraps rather than widening (and so shrinking) the drawing

# Font sizes (px). Nothing below MIN_FONT_SIZE.
MIN_FONT_SIZE = 9
FS_TITLE = 16
FS_LEGEND = 11
FS_STEM = 14
FS_HEADER = 11
FS_NOTE = 11
FS_REASON = 10
FS_NAME = 12
FS_DETAIL = 10
FS_SANDBOX = 11
LINE = 1.3  # line height, × font size

MARGIN = 20
GROUP_PAD = 12
BOX_PAD = 8
TENANT_GAP = 8
GROUP_GAP = 24
SHADOW_OFFSET = 6  # each of the two shadow sheets behind a "per customer" group
MIN_GROUP_WIDTH = 250
MAX_GROUP_WIDTH = 560
WIDE_GROUP = 440  # above this column width, at most two columns
MAX_COLUMNS = 3
REASON_LINES = 2  # a reason longer than this many lines is cut with "…"

TEXT = "#111827"
MUTED = "#374151"
CANVAS_FILL = "#ffffff"
GROUP_FILL = "#f8fafc"
GROUP_STROKE = "#475569"
DEDICATED_FILL = "#f5f3ff"
DEDICATED_STROKE = "#6d28d9"
NOTE_FILL = "#dcfce7"
NOTE_STROKE = "#15803d"
BADGE_FILL = "#ede9fe"

TAG_STYLES = {
    # tag: (label, fill, stroke, text colour of the tag line)
    "production": ("Production", "#fee2e2", "#b91c1c", "#7f1d1d"),
    "staging": ("Staging", "#fef3c7", "#b45309", "#78350f"),
    "development": ("Development", "#dbeafe", "#1d4ed8", "#1e3a8a"),
}
SHORT_REASONS = {
    REASON_DEDICATED_COMPLEX: "Customers needing several IdPs",
    REASON_DEDICATED_CONSENT: "Branded social consent screen",
    REASON_DEDICATED_CONTRACT: "Contract requires an own tenant",
    REASON_DEDICATED_DOMAIN: "Own login domain, not Enterprise",
}
ORGANIZATIONS_NOTE = "Organizations: one per business customer"
EXISTING_MARK = "existing tenant"
ROSTER_NOTE_LINES = 2  # names of the roster's Organizations in a shared tenant, then "…"
EMPTY_NOTE = "No tenants can be derived yet: set the tenant prefix and the environments."

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Text:
    content: str  # what is drawn (maybe cut with "…")
    x: float  # left edge (text-anchor start)
    y: float  # baseline
    font_size: float
    width: float  # estimated advance width of ``content``
    full: str = ""  # the uncut text when ``content`` was cut, else ""
    bold: bool = False
    fill: str = TEXT
    italic: bool = False

    @property
    def top(self) -> float:
        return self.y - 0.95 * self.font_size

    @property
    def bottom(self) -> float:
        return self.y + 0.25 * self.font_size

    @property
    def truncated(self) -> bool:
        return bool(self.full)


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float
    kind: str  # canvas, legend, swatch, group, shadow, badge, note, reasons, tenant, sandbox
    texts: list[Text] = field(default_factory=list)
    parent: int | None = None  # index in Layout.boxes; None for the canvas
    of: int | None = None  # for a shadow: the index of the group it stacks behind
    fill: str = GROUP_FILL
    stroke: str = GROUP_STROKE
    radius: float = 6
    dashed: bool = False
    tag: str = ""  # environment tag of a tenant/sandbox/swatch
    name: str = ""  # the tenant name / production tenant stem

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass
class Layout:
    width: float
    height: float
    boxes: list[Box]

    def children(self, index: int) -> list[Box]:
        return [b for b in self.boxes if b.parent == index]


def estimate_width(text: str, font_size: float, bold: bool = False) -> float:
    return len(text) * font_size * (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH)


def _fit(text: str, font_size: float, max_width: float, bold: bool = False) -> tuple[str, str]:
    """(content, full): the text itself when it fits, else cut with "…" and the full text."""
    # A width computed as the sum of the text's estimate and pads may come back a hair short.
    if estimate_width(text, font_size, bold) <= max_width + FIT_TOLERANCE:
        return text, ""
    per_char = font_size * (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH)
    keep = max(0, int(max_width // per_char) - 1)
    return text[:keep].rstrip() + ELLIPSIS, text


def _text(
    text: str,
    x: float,
    top: float,
    font_size: float,
    max_width: float,
    *,
    bold: bool = False,
    fill: str = TEXT,
    italic: bool = False,
) -> Text:
    """A line of text whose line box starts at ``top``, cut to ``max_width``."""
    content, full = _fit(text, font_size, max_width, bold)
    return Text(
        content=content,
        x=x,
        y=top + font_size,
        font_size=font_size,
        width=estimate_width(content, font_size, bold),
        full=full,
        bold=bold,
        fill=fill,
        italic=italic,
    )


def _wrap(
    text: str, font_size: float, max_width: float, max_lines: int, bold: bool = False
) -> list[tuple[str, str]]:
    """Word-wrap to ``max_width``; the last allowed line is cut with "…" (with the full text)."""
    per_line = max(1, int(max_width // (font_size * (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH))))
    # Never at a hyphen: tenant names are hyphenated, and a name must read whole.
    lines = textwrap.wrap(text, per_line, break_long_words=True, break_on_hyphens=False) or [""]
    if len(lines) <= max_lines:
        return [(line, "") for line in lines]
    kept = lines[:max_lines]
    content, _ = _fit(" ".join(lines[max_lines - 1 :]), font_size, max_width, bold)
    return [(line, "") for line in kept[:-1]] + [(content, text)]


# --------------------------------------------------------------------------- content


def _region_label(region: str) -> str:
    return f"region {region.upper()}" if region else "region not chosen"


def _header_lines(pt: ProductionTenant) -> list[tuple[str, float, bool]]:
    lines: list[tuple[str, float, bool]] = [
        (pt.stem, FS_STEM, True),
        (
            f"{PURPOSE_LABELS.get(pt.purpose, pt.purpose)} · {_region_label(pt.region)}",
            FS_HEADER,
            False,
        ),
    ]
    if pt.custom_domain:
        lines.append((pt.custom_domain, FS_HEADER, False))
    return lines


def _tenant_lines(tenant: Tenant, pt: ProductionTenant) -> list[tuple[str, float, bool]]:
    label = TAG_STYLES.get(tenant.environment_tag, TAG_STYLES["development"])[0]
    if tenant.existing:
        label += f" · {EXISTING_MARK}"
    lines: list[tuple[str, float, bool]] = [(tenant.name, FS_NAME, True), (label, FS_DETAIL, False)]
    if tenant.custom_domain:
        more = len(tenant.custom_domains) - 1
        suffix = f" + {more} customer domain{'s' if more != 1 else ''}" if more > 0 else ""
        lines.append((tenant.custom_domain + suffix, FS_DETAIL, False))
    elif pt.per_customer:
        lines.append(("the customer's own domain", FS_DETAIL, False))
    return lines


def _sandbox_lines(tenant: Tenant) -> list[tuple[str, float, bool]]:
    return [(tenant.name, FS_SANDBOX, True), ("Development · sandbox", FS_DETAIL, False)]


def _lines_height(lines: list[tuple[str, float, bool]]) -> float:
    return sum(fs * LINE for _, fs, _ in lines)


def _lines_width(lines: list[tuple[str, float, bool]]) -> float:
    return max((estimate_width(t, fs, b) for t, fs, b in lines), default=0.0)


BADGE_TEXT = "per customer"


@dataclass
class _GroupPlan:
    pt: ProductionTenant
    envs: list[Tenant]
    sandboxes: list[Tenant]
    required_width: float  # the group's outer width that shows every text uncut
    sandbox_width: float  # the width a sandbox box needs
    roster: tuple[Customer, ...] = ()  # roster customers hosted as Organizations in it


def _plan_group(topology: Topology, pt: ProductionTenant, organizations: bool) -> _GroupPlan:
    tenants = [t for t in topology.tenants if t.purpose == pt.purpose and t.stem == pt.stem]
    envs = [t for t in tenants if t.environment != "sandbox"]
    sandboxes = [t for t in tenants if t.environment == "sandbox"]
    header = _header_lines(pt)
    widths = [_lines_width(header)]
    if pt.per_customer:  # the badge beside the stem, or on its own line when too long
        badge_w = estimate_width(BADGE_TEXT, FS_HEADER, True) + 2 * BOX_PAD
        beside = estimate_width(pt.stem, FS_STEM, True) + 12 + badge_w
        widths.append(beside if beside <= MAX_GROUP_WIDTH - 2 * GROUP_PAD else badge_w)
    if pt.purpose == "primary" and organizations:
        widths.append(estimate_width(ORGANIZATIONS_NOTE, FS_NOTE) + 2 * BOX_PAD)
    for t in envs:
        widths.append(_lines_width(_tenant_lines(t, pt)) + 2 * BOX_PAD)
    sandbox_w = 0.0
    if sandboxes:
        sandbox_w = max(_lines_width(_sandbox_lines(t)) for t in sandboxes) + 2 * BOX_PAD
        widths.append(sandbox_w)  # two columns of sandboxes only when they fit (below)
        two_columns = 2 * sandbox_w + TENANT_GAP
        if len(sandboxes) > 4 and two_columns + 2 * GROUP_PAD <= MAX_GROUP_WIDTH:
            widths.append(two_columns)  # widen the group rather than stack many sandboxes
    roster = roster_organizations(topology, pt)
    if roster:
        widths.append(estimate_width(_roster_note_heading(roster), FS_NOTE, True) + 2 * BOX_PAD)
    return _GroupPlan(pt, envs, sandboxes, max(widths) + 2 * GROUP_PAD, sandbox_w, roster)


def roster_organizations(topology: Topology, pt: ProductionTenant) -> tuple[Customer, ...]:
    """Return the roster's shared customers whose Organizations live in this shared tenant."""
    if pt.purpose not in ("primary", "regional"):
        return ()
    return tuple(
        c
        for c in topology.customers
        if not c.dedicated and shared_stem("", c.region, topology.production_tenants) == pt.stem
    )


def _roster_note_heading(roster: tuple[Customer, ...]) -> str:
    total = sum(c.count for c in roster)
    return f"Organizations for {total} customer{'s' if total != 1 else ''}:"


NAME_SEPARATOR = " · "


def _roster_note_names(roster: tuple[Customer, ...]) -> str:
    return NAME_SEPARATOR.join(c.name if c.named else f"{c.name} ({c.count})" for c in roster)


def _wrap_names(names: str, max_width: float) -> list[tuple[str, str]]:
    """Wrap "a · b · c" between names (never inside one) into at most ROSTER_NOTE_LINES lines;
    what does not fit ends the last line with "…", the full list kept with it."""
    lines: list[str] = []
    for name in names.split(NAME_SEPARATOR):
        joined = f"{lines[-1]}{NAME_SEPARATOR}{name}" if lines else name
        if lines and estimate_width(joined, FS_NOTE) <= max_width:
            lines[-1] = joined
        elif len(lines) > ROSTER_NOTE_LINES:
            break  # enough to know the list is cut (a roster has up to 500 names)
        else:
            lines.append(name)
    if len(lines) <= ROSTER_NOTE_LINES:
        return [_fit(line, FS_NOTE, max_width) for line in lines]  # a long name is cut
    kept = lines[:ROSTER_NOTE_LINES]
    shown = kept[-1].split(NAME_SEPARATOR)
    while (
        len(shown) > 1
        and estimate_width(NAME_SEPARATOR.join([*shown, ELLIPSIS]), FS_NOTE) > max_width
    ):
        shown.pop()  # make room for "· …" after the last whole name
    last, _ = _fit(NAME_SEPARATOR.join([*shown, ELLIPSIS]), FS_NOTE, max_width)
    return [_fit(line, FS_NOTE, max_width) for line in kept[:-1]] + [(last, names)]


def _place_lines(
    box: Box, lines: list[tuple[str, float, bool]], left: float, top: float, max_w: float
) -> float:
    for text, fs, bold in lines:
        box.texts.append(_text(text, left, top, fs, max_w, bold=bold))
        top += fs * LINE
    return top


def _build_group(
    boxes: list[Box], plan: _GroupPlan, x: float, y: float, w: float, organizations: bool
) -> None:
    """Append the group (and its shadows, notes and tenants) at (x, y) with width w."""
    pt = plan.pt
    shadow_indexes = _add_shadows(boxes, pt.per_customer, x, y, w)
    gi = len(boxes)
    group = Box(
        x,
        y,
        w,
        0,
        "group",
        parent=0,
        fill=DEDICATED_FILL if pt.per_customer else GROUP_FILL,
        stroke=_group_stroke(pt),
        radius=8,
        name=pt.stem,
    )
    boxes.append(group)
    for si in shadow_indexes:
        boxes[si].of = gi

    inner = _Inner(gi, x + GROUP_PAD, w - 2 * GROUP_PAD)
    top = _add_header(boxes, group, inner, pt, y + GROUP_PAD)
    if plan.roster:
        top = _add_roster_note(boxes, inner, plan.roster, top)
    elif pt.purpose == "primary" and organizations:
        top = _add_organizations_note(boxes, inner, top)
    if pt.per_customer and pt.reasons:
        top = _add_reasons(boxes, inner, pt, top)
    if not plan.envs and not plan.sandboxes:
        group.texts.append(
            _text(
                "No environments selected",
                inner.x,
                top,
                FS_DETAIL,
                inner.w,
                fill=MUTED,
                italic=True,
            )
        )
        top += FS_DETAIL * LINE + TENANT_GAP
    top = _add_environment_tenants(boxes, inner, plan, top)
    if plan.sandboxes:
        top = _add_sandboxes(boxes, group, inner, plan, top)

    group.h = top - TENANT_GAP + GROUP_PAD - y
    for si in shadow_indexes:
        boxes[si].h = group.h


@dataclass(frozen=True)
class _Inner:
    """The inside of a group: its index in the boxes, left edge and width inside the padding."""

    index: int
    x: float
    w: float


def _group_stroke(pt: ProductionTenant) -> str:
    return DEDICATED_STROKE if pt.per_customer else GROUP_STROKE


def _add_shadows(boxes: list[Box], stacked: bool, x: float, y: float, w: float) -> list[int]:
    """Append the two shadow sheets of a stacked group; return their indexes."""
    shadow_indexes: list[int] = []
    if not stacked:
        return shadow_indexes
    for depth in (2, 1):  # drawn farthest first
        shadow_indexes.append(len(boxes))
        boxes.append(
            Box(
                x + depth * SHADOW_OFFSET,
                y + depth * SHADOW_OFFSET,
                w,
                0,
                "shadow",
                parent=0,
                fill="#ddd6fe" if depth == 2 else "#ede9fe",
                stroke=DEDICATED_STROKE,
                radius=8,
            )
        )
    return shadow_indexes


def _add_header(
    boxes: list[Box], group: Box, inner: _Inner, pt: ProductionTenant, top: float
) -> float:
    """Place the stem (with its badge when per customer) and the header lines; return the top."""
    header = _header_lines(pt)
    text, fs, bold = header[0]
    if pt.per_customer:
        top = _add_stem_with_badge(boxes, group, inner, header[0], top)
    else:
        group.texts.append(_text(text, inner.x, top, fs, inner.w, bold=bold))
        top += fs * LINE
    top = _place_lines(group, header[1:], inner.x, top, inner.w)
    return top + 6


def _add_stem_with_badge(
    boxes: list[Box], group: Box, inner: _Inner, stem: tuple[str, float, bool], top: float
) -> float:
    """Place the stem and the "per customer" badge beside it, or below it when too long."""
    text, fs, bold = stem
    badge_w = estimate_width(BADGE_TEXT, FS_HEADER, True) + 2 * BOX_PAD
    badge_h = FS_HEADER * LINE + 6
    beside = estimate_width(text, fs, bold) + 12 + badge_w <= inner.w
    if beside:  # the badge at the right of the stem
        group.texts.append(_text(text, inner.x, top, fs, inner.w - badge_w - 12, bold=bold))
        badge_x, badge_y = group.x + group.w - GROUP_PAD - badge_w, top
        top += max(fs * LINE, badge_h)
    else:  # a long stem: the badge on a line of its own
        group.texts.append(_text(text, inner.x, top, fs, inner.w, bold=bold))
        top += fs * LINE + 2
        badge_x, badge_y = inner.x, top
        top += badge_h + 2
    badge = Box(
        badge_x,
        badge_y,
        badge_w,
        badge_h,
        "badge",
        parent=inner.index,
        fill=BADGE_FILL,
        stroke=DEDICATED_STROKE,
        radius=badge_h / 2,
    )
    badge.texts.append(
        _text(BADGE_TEXT, badge_x + BOX_PAD, badge_y + 3, FS_HEADER, badge_w, bold=True)
    )
    boxes.append(badge)
    return top


def _add_organizations_note(boxes: list[Box], inner: _Inner, top: float) -> float:
    h = FS_NOTE * LINE + 2 * 5
    note = Box(
        inner.x, top, inner.w, h, "note", parent=inner.index, fill=NOTE_FILL, stroke=NOTE_STROKE
    )
    note.texts.append(
        _text(ORGANIZATIONS_NOTE, inner.x + BOX_PAD, top + 5, FS_NOTE, inner.w - 2 * BOX_PAD)
    )
    boxes.append(note)
    return top + (h + TENANT_GAP)  # one step, as before: the same floats, the same SVG


def _add_roster_note(
    boxes: list[Box], inner: _Inner, roster: tuple[Customer, ...], top: float
) -> float:
    """Place the note naming the roster's Organizations in this tenant (cut after two lines)."""
    text_w = inner.w - 2 * BOX_PAD
    note = Box(
        inner.x, top, inner.w, 0, "note", parent=inner.index, fill=NOTE_FILL, stroke=NOTE_STROKE
    )
    line_top = top + 5
    heading = _roster_note_heading(roster)
    note.texts.append(_text(heading, inner.x + BOX_PAD, line_top, FS_NOTE, text_w, bold=True))
    line_top += FS_NOTE * LINE
    for content, full in _wrap_names(_roster_note_names(roster), text_w):
        line = _text(content, inner.x + BOX_PAD, line_top, FS_NOTE, text_w)
        note.texts.append(replace(line, full=full) if full else line)
        line_top += FS_NOTE * LINE
    note.h = line_top - top + 5
    boxes.append(note)
    return top + note.h + TENANT_GAP


def _add_reasons(boxes: list[Box], inner: _Inner, pt: ProductionTenant, top: float) -> float:
    """Place the "Why:" box listing the short reasons for a per-customer group."""
    reasons = Box(
        inner.x,
        top,
        inner.w,
        0,
        "reasons",
        parent=inner.index,
        fill="#ffffff",
        stroke=_group_stroke(pt),
    )
    line_top = top + 5
    reasons.texts.append(
        _text("Why:", inner.x + BOX_PAD, line_top, FS_REASON, inner.w - 2 * BOX_PAD, bold=True)
    )
    line_top += FS_REASON * LINE
    for reason in pt.reasons:
        for line in _reason_lines(reason, inner, line_top):
            reasons.texts.append(line)
            line_top += FS_REASON * LINE
    reasons.h = line_top - top + 5
    boxes.append(reasons)
    return top + (reasons.h + TENANT_GAP)


def _reason_lines(reason: str, inner: _Inner, line_top: float) -> list[Text]:
    """The bulleted, wrapped lines of one reason, the full reason kept as their tooltip."""
    short = SHORT_REASONS.get(reason, reason)
    text_w = inner.w - 2 * BOX_PAD - estimate_width("• ", FS_REASON)
    lines = []
    for n, (content, full) in enumerate(_wrap(short, FS_REASON, text_w, REASON_LINES)):
        bullet = "• " if n == 0 else "  "
        line = _text(
            bullet + content,
            inner.x + BOX_PAD,
            line_top,
            FS_REASON,
            inner.w - 2 * BOX_PAD,
            fill=MUTED,
        )
        # the full reason stays available as a tooltip (and in <desc>)
        full_text = full or (reason if short != reason or line.full else "")
        if full_text:
            line = replace(line, full=full_text)
        lines.append(line)
        line_top += FS_REASON * LINE
    return lines


def _add_environment_tenants(
    boxes: list[Box], inner: _Inner, plan: _GroupPlan, top: float
) -> float:
    """Place one box per environment tenant, all of the same height; return the new top."""
    pt = plan.pt
    any_third_line = any(len(_tenant_lines(t, pt)) > 2 for t in plan.envs)
    h = FS_NAME * LINE + FS_DETAIL * LINE * (2 if any_third_line else 1) + 2 * 5
    for tenant in plan.envs:
        _, fill, tag_stroke, tag_text = TAG_STYLES.get(
            tenant.environment_tag, TAG_STYLES["development"]
        )
        box = Box(
            inner.x,
            top,
            inner.w,
            h,
            "tenant",
            parent=inner.index,
            fill=fill,
            stroke=tag_stroke,
            tag=tenant.environment_tag,
            name=tenant.name,
        )
        line_top = top + 5
        for n, (text, fs, bold) in enumerate(_tenant_lines(tenant, pt)):
            colour = tag_text if n == 1 else (MUTED if n == 2 else TEXT)
            box.texts.append(
                _text(
                    text,
                    inner.x + BOX_PAD,
                    line_top,
                    fs,
                    inner.w - 2 * BOX_PAD,
                    bold=bold,
                    fill=colour,
                )
            )
            line_top += fs * LINE
        boxes.append(box)
        top += h + TENANT_GAP
    return top


def _add_sandboxes(
    boxes: list[Box], group: Box, inner: _Inner, plan: _GroupPlan, top: float
) -> float:
    """Place the sandboxes label and the dashed sandbox boxes, in two columns when they fit."""
    count = len(plan.sandboxes)
    label = "Sandbox" if count == 1 else f"Sandboxes ({count})"
    group.texts.append(_text(label, inner.x, top, FS_DETAIL, inner.w, bold=True, fill=MUTED))
    top += FS_DETAIL * LINE + 2
    fits_two = 2 * plan.sandbox_width + TENANT_GAP <= inner.w
    columns = 2 if count > 2 and fits_two else 1
    col_w = (inner.w - (columns - 1) * TENANT_GAP) / columns
    h = FS_SANDBOX * LINE + FS_DETAIL * LINE + 2 * 4
    for i, tenant in enumerate(plan.sandboxes):
        row, col = divmod(i, columns)
        bx = inner.x + col * (col_w + TENANT_GAP)
        by = top + row * (h + 6)
        boxes.append(_sandbox_box(tenant, inner.index, bx, by, col_w, h))
    rows = -(-count // columns)
    return top + (rows * (h + 6) - 6 + TENANT_GAP)


def _sandbox_box(tenant: Tenant, parent: int, x: float, y: float, w: float, h: float) -> Box:
    _, fill, tag_stroke, tag_text = TAG_STYLES["development"]
    box = Box(
        x,
        y,
        w,
        h,
        "sandbox",
        parent=parent,
        fill=fill,
        stroke=tag_stroke,
        dashed=True,
        tag="development",
        name=tenant.name,
        radius=4,
    )
    line_top = y + 4
    for n, (text, fs, bold) in enumerate(_sandbox_lines(tenant)):
        box.texts.append(
            _text(
                text,
                x + BOX_PAD,
                line_top,
                fs,
                w - 2 * BOX_PAD,
                bold=bold,
                fill=tag_text if n else TEXT,
            )
        )
        line_top += fs * LINE
    return box


# --------------------------------------------------------------------------- named customers

# Customers listed with their own tenant are drawn as one block of cards (name, tenant stem,
# region and login domain), three to a row, below the shared tenants. Past NAMED_CUSTOMERS_LIMIT
# the block collapses into one stacked box ("40 customers with their own tenant") with counts
# by region; every customer stays named in the SVG's description, the tenant inventory and the
# customers chapter. The limit is what stays legible on paper: the PDF prints the block on a
# page of its own, landscape A4 (261 x 168 mm less 80 pt of headings), never below 7 pt type,
# i.e. at 7/9 pt per SVG unit: at most 951 x 509 units. Three cards of at most CARD_MAX_WIDTH
# make the block at most 910 units wide (950 with the margins); the title, legend and block
# heading take 160 units and each row of cards 59.6, so five rows (458 units) fit and six (518)
# do not: 5 x 3 = 15 customers. On screen that block is under 1000 px wide and 460 px tall.
NAMED_CUSTOMERS_LIMIT = 15
CARD_COLUMNS = 3
CARD_MIN_WIDTH = 200
CARD_MAX_WIDTH = 290
CUSTOMERS_MAX_WIDTH = (
    CARD_COLUMNS * CARD_MAX_WIDTH + (CARD_COLUMNS - 1) * TENANT_GAP + 2 * GROUP_PAD
)
CARD_FILL = "#ffffff"


def is_listed_customer(pt: ProductionTenant) -> bool:
    """Return whether a production tenant is a roster customer's own (listed by name)."""
    return pt.purpose == "dedicated" and bool(pt.customer)


@dataclass
class _CustomersPlan:
    pts: list[ProductionTenant]
    header: list[tuple[str, float, bool]]
    summary: list[str]  # the collapsed box's lines ([] when the customers are drawn by name)
    columns: int
    width: float  # outer width of the block

    @property
    def collapsed(self) -> bool:
        return bool(self.summary)


def _card_lines(pt: ProductionTenant) -> list[tuple[str, float, bool]]:
    region = pt.region.upper() if pt.region else "region not chosen"
    return [
        (pt.customer, FS_NAME, True),
        (pt.stem, FS_DETAIL, False),
        (f"{region} · {pt.custom_domain or 'no custom domain'}", FS_DETAIL, False),
    ]


def _customers_summary(topology: Topology, pts: list[ProductionTenant]) -> list[str]:
    regions: dict[str, int] = {}
    for pt in pts:
        regions[pt.region] = regions.get(pt.region, 0) + 1
    by_region = " · ".join(f"{(r or 'not chosen').upper()} {n}" for r, n in regions.items())
    tenants = sum(len(topology.tenants_of(pt)) for pt in pts)
    with_domain = sum(1 for pt in pts if pt.custom_domain)
    return [
        f"Regions: {by_region}",
        f"Tenants: {tenants} in all, named after each customer",
        f"With their own login domain: {with_domain}",
        "Each is named in the tenant inventory and in Customers and connections.",
    ]


def _plan_customers(topology: Topology, pts: list[ProductionTenant]) -> _CustomersPlan:
    environments = [t.environment for t in topology.tenants_of(pts[0])]
    per_customer = (
        f"Dedicated · a tenant per environment: {', '.join(environments)}"
        if environments
        else "Dedicated · no environments selected"
    )
    count = len(pts)
    if count > NAMED_CUSTOMERS_LIMIT:
        title = f"{count} customers with their own tenant"
        summary = _customers_summary(topology, pts)
        inner = max(estimate_width(line, FS_REASON) for line in summary) + 2 * BOX_PAD
        columns = 0
    else:
        title = f"Customers with their own tenant ({count})"
        summary = []
        card = max(_lines_width(_card_lines(pt)) for pt in pts) + 2 * BOX_PAD
        columns = min(CARD_COLUMNS, count)
        inner = columns * min(max(card, CARD_MIN_WIDTH), CARD_MAX_WIDTH)
        inner += (columns - 1) * TENANT_GAP
    header: list[tuple[str, float, bool]] = [
        (title, FS_STEM, True),
        (per_customer, FS_HEADER, False),
    ]
    width = min(max(inner, _lines_width(header)) + 2 * GROUP_PAD, CUSTOMERS_MAX_WIDTH)
    return _CustomersPlan(pts, header, summary, columns, width)


def _build_customers(boxes: list[Box], plan: _CustomersPlan, x: float, y: float) -> float:
    """Append the block of customers with their own tenant at (x, y); return its bottom."""
    shadow_indexes = _add_shadows(boxes, plan.collapsed, x, y, plan.width)
    gi = len(boxes)
    group = Box(
        x,
        y,
        plan.width,
        0,
        "group",
        parent=0,
        fill=DEDICATED_FILL,
        stroke=DEDICATED_STROKE,
        radius=8,
        name="customers with their own tenant",
    )
    boxes.append(group)
    inner = _Inner(gi, x + GROUP_PAD, plan.width - 2 * GROUP_PAD)
    top = _place_lines(group, plan.header, inner.x, y + GROUP_PAD, inner.w) + 6
    if plan.collapsed:
        top = _add_customers_summary(boxes, inner, plan.summary, top)
    else:
        top = _add_customer_cards(boxes, inner, plan, top)
    group.h = top - TENANT_GAP + GROUP_PAD - y
    for si in shadow_indexes:
        boxes[si].of = gi
        boxes[si].h = group.h
    return group.bottom + (2 * SHADOW_OFFSET if plan.collapsed else 0)


def _add_customer_cards(boxes: list[Box], inner: _Inner, plan: _CustomersPlan, top: float) -> float:
    """Place one card per customer, ``plan.columns`` to a row; return the new top."""
    card_w = (inner.w - (plan.columns - 1) * TENANT_GAP) / plan.columns
    card_h = FS_NAME * LINE + 2 * FS_DETAIL * LINE + 2 * 5
    for i, pt in enumerate(plan.pts):
        row, col = divmod(i, plan.columns)
        cx, cy = inner.x + col * (card_w + TENANT_GAP), top + row * (card_h + TENANT_GAP)
        card = Box(
            cx,
            cy,
            card_w,
            card_h,
            "customer",
            parent=inner.index,
            fill=CARD_FILL,
            stroke=DEDICATED_STROKE,
            name=pt.stem,
        )
        line_top = cy + 5
        for n, (text, fs, bold) in enumerate(_card_lines(pt)):
            colour = MUTED if n == 2 else TEXT
            card.texts.append(
                _text(
                    text, cx + BOX_PAD, line_top, fs, card_w - 2 * BOX_PAD, bold=bold, fill=colour
                )
            )
            line_top += fs * LINE
        boxes.append(card)
    rows = -(-len(plan.pts) // plan.columns)
    return top + rows * (card_h + TENANT_GAP)


def _add_customers_summary(boxes: list[Box], inner: _Inner, lines: list[str], top: float) -> float:
    """Place the collapsed block's white box of counts; return the new top."""
    summary = Box(
        inner.x,
        top,
        inner.w,
        0,
        "reasons",
        parent=inner.index,
        fill=CARD_FILL,
        stroke=DEDICATED_STROKE,
    )
    line_top = top + 5
    for line in lines:
        summary.texts.append(
            _text(line, inner.x + BOX_PAD, line_top, FS_REASON, inner.w - 2 * BOX_PAD, fill=MUTED)
        )
        line_top += FS_REASON * LINE
    summary.h = line_top - top + 5
    boxes.append(summary)
    return top + summary.h + TENANT_GAP


def _legend(boxes: list[Box], x: float, y: float) -> float:
    """Append the legend at (x, y); returns its height."""
    li = len(boxes)
    legend = Box(x, y, 0, 0, "legend", parent=0, fill=CANVAS_FILL, stroke=CANVAS_FILL, radius=0)
    boxes.append(legend)
    h = FS_LEGEND * LINE + 8
    cx = x
    entries = [(tag, style[0], style[1], style[2]) for tag, style in TAG_STYLES.items()]
    for tag, label, fill, stroke in entries:
        w = estimate_width(label, FS_LEGEND) + 2 * BOX_PAD
        swatch = Box(cx, y, w, h, "swatch", parent=li, fill=fill, stroke=stroke, tag=tag, radius=4)
        swatch.texts.append(_text(label, cx + BOX_PAD, y + 4, FS_LEGEND, w))
        boxes.append(swatch)
        cx += w + 8
    w = estimate_width("Per customer (stack)", FS_LEGEND) + 2 * BOX_PAD
    stack = Box(
        cx, y, w, h, "swatch", parent=li, fill=DEDICATED_FILL, stroke=DEDICATED_STROKE, radius=4
    )
    stack.texts.append(_text("Per customer (stack)", cx + BOX_PAD, y + 4, FS_LEGEND, w))
    boxes.append(stack)
    cx += w
    legend.w = cx - x
    legend.h = h
    return h


def layout(topology: Topology, organizations: bool, title: str = "") -> Layout:
    """Place every box and text of the diagram (see the module docstring)."""
    boxes: list[Box] = [Box(0, 0, 0, 0, "canvas", fill=CANVAS_FILL, stroke=CANVAS_FILL, radius=0)]
    canvas = boxes[0]
    top: float = MARGIN
    heading = _clean(title) or "Tenant topology"
    listed = [pt for pt in topology.production_tenants if is_listed_customer(pt)]
    plans = [
        _plan_group(topology, pt, organizations)
        for pt in topology.production_tenants
        if not is_listed_customer(pt)
    ]
    customers = _plan_customers(topology, listed) if listed else None

    col_w = max([MIN_GROUP_WIDTH] + [min(p.required_width, MAX_GROUP_WIDTH) for p in plans])
    columns = max(1, min(len(plans), MAX_COLUMNS if col_w <= WIDE_GROUP else 2))
    cell_w = col_w + 2 * SHADOW_OFFSET  # room for a stack's shadows
    grid_w = columns * cell_w + (columns - 1) * GROUP_GAP if plans else 0
    legend_min_w = 480.0
    content_w = max(grid_w, legend_min_w)
    if customers:
        content_w = max(content_w, customers.width + 2 * SHADOW_OFFSET * customers.collapsed)
    if not plans and not customers:
        content_w = max(content_w, estimate_width(EMPTY_NOTE, FS_NOTE))
    canvas.w = content_w + 2 * MARGIN

    for content, full in _wrap(heading, FS_TITLE, content_w, TITLE_LINES, bold=True):
        line = _text(content, MARGIN, top, FS_TITLE, content_w, bold=True)
        canvas.texts.append(replace(line, full=full) if full else line)
        top += FS_TITLE * LINE
    top += 6
    top += _legend(boxes, MARGIN, top) + 16

    if not plans and not customers:
        canvas.texts.append(
            _text(EMPTY_NOTE, MARGIN, top, FS_NOTE, content_w, fill=MUTED, italic=True)
        )
        top += FS_NOTE * LINE
    top = _place_groups(boxes, plans, columns, (col_w, cell_w), top, organizations)
    if customers:
        top = _build_customers(boxes, customers, MARGIN, top) + GROUP_GAP
    canvas.h = top - GROUP_GAP + MARGIN if plans or customers else top + MARGIN
    canvas.w = round(canvas.w)
    canvas.h = round(canvas.h + 0.5)
    return Layout(width=canvas.w, height=canvas.h, boxes=boxes)


def _place_groups(
    boxes: list[Box],
    plans: list[_GroupPlan],
    columns: int,
    widths: tuple[float, float],
    top: float,
    organizations: bool,
) -> float:
    """Place the groups in rows of ``columns``; return the top below the last row."""
    col_w, cell_w = widths
    for start in range(0, len(plans), columns):
        row_bottom = top
        for col, plan in enumerate(plans[start : start + columns]):
            x = MARGIN + col * (cell_w + GROUP_GAP)
            _build_group(boxes, plan, x, top, col_w, organizations)
            group = next(b for b in reversed(boxes) if b.kind == "group")
            extra = 2 * SHADOW_OFFSET if plan.pt.per_customer else 0
            row_bottom = max(row_bottom, group.bottom + extra)
        top = row_bottom + GROUP_GAP
    return top


# --------------------------------------------------------------------------- drawing


def _clean(text: str) -> str:
    """Text safe for XML 1.0: no control characters, surrogates or non-characters."""
    return _XML_INVALID.sub("", str(text)).strip()


def _attr(value: object) -> str:
    return quoteattr(_clean(str(value)))


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _draw_text(t: Text) -> str:
    attrs = [f'x="{_num(t.x)}"', f'y="{_num(t.y)}"', f'font-size="{_num(t.font_size)}"']
    if t.bold:
        attrs.append('font-weight="bold"')
    if t.italic:
        attrs.append('font-style="italic"')
    attrs.append(f"fill={_attr(t.fill)}")
    tooltip = f"<title>{escape(_clean(t.full))}</title>" if t.full else ""
    return f"<text {' '.join(attrs)}>{tooltip}{escape(_clean(t.content))}</text>"


def _draw_box(b: Box) -> str:
    attrs = [
        f'x="{_num(b.x)}"',
        f'y="{_num(b.y)}"',
        f'width="{_num(b.w)}"',
        f'height="{_num(b.h)}"',
        f'rx="{_num(b.radius)}"',
        f"fill={_attr(b.fill)}",
        f"stroke={_attr(b.stroke)}",
        'stroke-width="1.5"' if b.kind in ("group", "shadow") else 'stroke-width="1"',
    ]
    if b.dashed:
        attrs.append('stroke-dasharray="4 3"')
    return f"<rect {' '.join(attrs)}/>"


def _description(topology: Topology, organizations: bool) -> str:
    pts = topology.production_tenants
    if not pts:
        return "No tenants can be derived yet."
    count = len(pts)
    parts = [
        f"{count} production tenant{'s' if count != 1 else ''}, "
        f"{len(topology.tenants)} tenant{'s' if len(topology.tenants) != 1 else ''} in all."
    ]
    for pt in pts:
        kind = PURPOSE_LABELS.get(pt.purpose, pt.purpose).lower()
        customer = f" for {pt.customer}" if pt.customer else ""
        head = f"{pt.stem} ({kind}{customer}, {_region_label(pt.region)}"
        if pt.custom_domain:
            head += f", {', '.join(pt.custom_domains or (pt.custom_domain,))}"
        if pt.per_customer:
            head += ", one per customer"
        head += ")"
        members = [
            t.name + (f" ({EXISTING_MARK})" if t.existing else "") for t in topology.tenants_of(pt)
        ]
        parts.append(head + (": " + ", ".join(members) if members else "") + ".")
        roster = roster_organizations(topology, pt)
        if roster:
            parts.append(f"{_roster_note_heading(roster)} {_roster_note_names(roster)}.")
        elif pt.purpose == "primary" and organizations:
            parts.append(ORGANIZATIONS_NOTE + ".")
        if pt.per_customer:
            parts.append("Why: " + " ".join(pt.reasons))
    return " ".join(parts)


def render_svg(topology: Topology, *, organizations: bool, title: str = "") -> str:
    """The topology diagram as a standalone SVG 1.1 document (a string)."""
    lay = layout(topology, organizations, title)
    heading = _clean(title) or "Tenant topology"
    desc = _description(topology, organizations)
    digest = hashlib.sha256(f"{heading}\n{desc}".encode()).hexdigest()[:10]
    title_id, desc_id = f"topology-{digest}-title", f"topology-{digest}-desc"
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
        f'width="{_num(lay.width)}" height="{_num(lay.height)}" '
        f'viewBox="0 0 {_num(lay.width)} {_num(lay.height)}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="{FONT_FAMILY}">',
        f'<title id="{title_id}">{escape(heading)}</title>',
        f'<desc id="{desc_id}">{escape(_clean(desc))}</desc>',
    ]
    for b in lay.boxes:
        if b.kind == "canvas":
            out.append(
                f'<rect x="0" y="0" width="{_num(b.w)}" height="{_num(b.h)}" fill="{CANVAS_FILL}"/>'
            )
        elif b.kind != "legend":
            out.append(_draw_box(b))
        out.extend(_draw_text(t) for t in b.texts)
    out.append("</svg>")
    return "\n".join(out) + "\n"
