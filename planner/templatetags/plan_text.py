"""Reader-facing wording of plan data: names that break only after a dot, reasons as sentences.

Presentation only: these filters reword what the plan already decided and never evaluate rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _breakable(text: str, separators: str) -> SafeString:
    """Return text as no-wrap pieces, each ending in a separator, joined by <wbr>."""
    pieces, current = [], ""
    for char in text:
        current += char
        if char in separators:
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    # The separator is a constant; every piece is escaped by format_html_join.
    return format_html_join(
        SafeString("<wbr>"), '<span class="nb">{}</span>', ((p,) for p in pieces)
    )


@register.filter
def dns_name(value) -> SafeString | str:
    """Return a DNS or tenant name that may wrap only right after a dot, never at a hyphen.

    Each label with its trailing dot is a no-wrap span and a <wbr> after each dot is the only
    break opportunity; copying the name from the PDF gives the name unchanged.
    """
    text = str(value if value is not None else "")
    return format_html('<span class="dns">{}</span>', _breakable(text, ".")) if text else ""


# The most characters a name can have and still fit its blueprint column unbroken at 7.5 pt on a
# landscape page, counted in DejaVu Sans' widest letter ("m", 0.97 em): a name this short never
# runs out of its cell, however it is spelled.
FIT_ORGANIZATION = 14  # the Organization column (15 %)
FIT_TENANT = 21  # the dedicated customers' tenant column (22 %)
FIT_CONNECTION = 27  # the connections column (29-34 %)
FIT_DOMAIN = 35  # the last column (36 %)


def _whole_domain(domain: str) -> SafeString | str:
    """Return a domain kept whole when it fits its column, else wrapping only after a dot.

    One span per domain costs WeasyPrint far less than dns_name's span per label, which
    matters in a 500-row blueprint (bench/bench_roster.py). A label too long for the column
    (DNS allows 63 characters) leaves the domain as plain text, wrapping where it must.
    """
    if len(domain) <= FIT_DOMAIN:
        return format_html('<span class="nb">{}</span>', domain)
    # dns_name keeps each label with its dot together: that piece must fit the column.
    if all(len(label) < FIT_DOMAIN for label in domain.split(".")):
        return dns_name(domain)
    return domain


def _cell(text: str, fit: int) -> SafeString:
    """Return a table cell that never wraps when its text fits the column.

    A no-wrap cell keeps names whole at no cost (a span per name costs WeasyPrint ~10 % of a
    500-row roster's PDF); a text too long for that may wrap where it allows.
    """
    return format_html(
        '<td class="keep-lines">{}</td>' if len(text) <= fit else "<td>{}</td>", text
    )


@register.filter
def name_cell(entry, column: str = "organization") -> SafeString:
    """Return the <td> of where a blueprint entry lives: its tenant (``column`` "tenant", for
    dedicated customers) or its Organization; a dash if none."""
    tenant = column == "tenant"
    place = entry.tenant if tenant else entry.organization
    if not place:
        return SafeString("<td>—</td>")
    return _cell(place, FIT_TENANT if tenant else FIT_ORGANIZATION)


@register.filter
def connections_cell(entry) -> SafeString:
    """Return the <td> of a blueprint entry's connections: "name (strategy)", with * when it
    adds users to the Organization on first sign-in, joined by commas on one line (a line per
    connection cost ~20 % of a 500-row roster's PDF: bench/bench_roster.py)."""
    text = ", ".join(
        f"{c.name} ({c.strategy}){'*' if c.membership_on_login else ''}" for c in entry.connections
    )
    return _cell(text or "none", FIT_CONNECTION)


@register.filter
def customer_options(entry) -> SafeString:
    """Return a blueprint entry's sign-in domains, SCIM and MFA as one short line for print.

    Only what applies is named ("HRD contoso.com · login domain login.contoso.com · inbound
    SCIM · MFA required"); a dash when none does. A domain that fits the column is kept whole,
    a longer one wraps only after a dot (dns_name), one with a label too long for the column
    wraps where it must (_whole_domain).
    """
    parts: list[SafeString | str] = []
    if entry.domain_aliases:
        domains = format_html_join(", ", "{}", ((_whole_domain(d),) for d in entry.domain_aliases))
        parts.append(format_html("HRD {}", domains))
    if entry.login_domain:
        parts.append(format_html("login domain {}", _whole_domain(entry.login_domain)))
    if entry.scim:
        parts.append("inbound SCIM")
    if entry.mfa == "required":
        parts.append("MFA required")
    if not parts:
        return SafeString("—")
    return format_html_join(" · ", "{}", ((part,) for part in parts))


@register.filter
def url_text(value) -> SafeString | str:
    """Return a URL as text that may wrap only after a slash or a dot, never at a hyphen."""
    text = str(value if value is not None else "")
    return format_html('<span class="url">{}</span>', _breakable(text, "./")) if text else ""


def _plural(count, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _int(value: str):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _fact_phrase(reason) -> str | None:
    """Return a facts-derived reason as a clause ("you host 3 production tenants"), or None."""
    if reason.question == "production_tenant_count":
        count = _int(reason.answer)
        if count is not None:
            return f"you host {_plural(count, 'production tenant')}"
    if reason.question == "tenant_count":
        count = _int(reason.answer)
        if count is not None:
            return f"your plan has {_plural(count, 'tenant')} in all"
    if reason.question == "enterprise":
        if reason.answer == "yes":
            return "you are on an Enterprise subscription"
        if reason.answer == "no":
            return "you are not on an Enterprise subscription"
    return None


def reason_phrase(reason) -> str:
    """Return one reason as a clause of the "Because …" sentence."""
    fact = _fact_phrase(reason)
    if fact is not None:
        return fact
    label = str(reason.label).strip()
    answer = str(reason.answer).strip() or "nothing"
    if label.endswith("?"):
        return f"you answered “{answer}” to “{label}”"
    return f"your answer to “{label}” is “{answer}”"


@register.filter
def because(reasons) -> str:
    """Return the reasons a recommendation applies as one sentence ("Because … and ….")."""
    phrases = [reason_phrase(reason) for reason in reasons or ()]
    if not phrases:
        return ""
    joined = phrases[0] if len(phrases) == 1 else "; ".join(phrases[:-1]) + "; and " + phrases[-1]
    # A quoted question already ends the sentence: no full stop after “…?”.
    return f"Because {joined}" + ("" if joined.endswith("?”") else ".")


@dataclass(frozen=True)
class Chapter:
    """One chapter of the plan page: its anchor, heading, short name in the contents, partial."""

    key: str
    title: str
    nav: str
    template: str
    count: int | None = None  # shown beside the short name (conflicts, warnings)


# The plan page's chapters in reading order: key, heading, short name in the contents.
CHAPTERS = (
    ("conflicts", "Design conflicts", "Conflicts"),
    ("summary", "Executive summary", "Summary"),
    ("decisions", "Decisions", "Decisions"),
    ("inventory", "Tenant inventory", "Tenant inventory"),
    ("diagram", "Topology diagram", "Diagram"),
    ("customers", "Customers and connections", "Customers"),
    ("dns", "Custom domains and DNS", "Domains and DNS"),
    ("usage", "What the design uses", "What it uses"),
    ("recommendations", "Recommendations", "Recommendations"),
    ("warnings", "Warnings", "Warnings"),
    ("checklist", "Implementation checklist", "Checklist"),
    ("configuration", "Configuration as code", "Configuration as code"),
    ("appendix", "Appendix: answers", "Answers"),
)


@register.simple_tag
def plan_chapters(plan) -> list[Chapter]:
    """Return the chapters the plan page (and a milestone) shows for this plan, in order."""
    counts = {"conflicts": len(plan.conflicts), "warnings": len(plan.warnings)}
    return [
        Chapter(key, title, nav, f"planner/plan/_{key}.html", counts.get(key))
        for key, title, nav in CHAPTERS
        if key != "usage" or plan.usage is not None
    ]
