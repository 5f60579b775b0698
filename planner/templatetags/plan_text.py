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


@register.filter
def customer_options(entry) -> str:
    """Return a blueprint entry's sign-in domains, SCIM and MFA as one short line for print.

    Only what applies is named ("HRD contoso.com · login domain login.contoso.com · inbound
    SCIM · MFA required"); a dash when none does. Plain text: the template escapes it.
    """
    parts = []
    if entry.domain_aliases:
        parts.append("HRD " + ", ".join(entry.domain_aliases))
    if entry.login_domain:
        parts.append(f"login domain {entry.login_domain}")
    if entry.scim:
        parts.append("inbound SCIM")
    if entry.mfa == "required":
        parts.append("MFA required")
    return " · ".join(parts) if parts else "—"


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
