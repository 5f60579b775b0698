"""Markdown from rules rendered to sanitized HTML: raw HTML is shown as text, never run."""

import html as _html
import threading
from functools import lru_cache

import markdown as _markdown
import nh3

ALLOWED_TAGS = frozenset({"p", "em", "strong", "code", "ul", "ol", "li", "a", "br", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https"})
LINK_REL = "noopener noreferrer"


def _converter() -> _markdown.Markdown:
    md = _markdown.Markdown(extensions=[], output_format="html")
    # Raw HTML in a rule is escaped (shown as text) instead of being passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def _keep_allowed(tag: str, attribute: str, value: str) -> str | None:
    # ammonia also allows generic attributes (title, lang); keep only the listed ones.
    if attribute in ALLOWED_ATTRIBUTES.get(tag, ()) or (tag == "a" and attribute == "rel"):
        return value
    return None


_local = threading.local()  # a Markdown instance is stateful: one per thread


@lru_cache(maxsize=4096)
def _convert(text: str) -> str | None:
    """Return ``text`` as unsanitized HTML, or None when it nests too deeply to be parsed."""
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = _converter()
    try:
        return md.reset().convert(text or "")
    except RecursionError:
        _local.md = None  # a converter interrupted mid-way may hold partial state
        return None


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> str:
    """Return ``text`` (Markdown) as sanitized HTML: basic tags only, http(s) links only."""
    html = _convert(text)
    if html is None:
        # Nested deeper than the Markdown parser can follow (validation refuses such text;
        # this keeps a rule saved before that from breaking every plan): show it as text.
        return "<p>" + _html.escape(text) + "</p>"
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_keep_allowed,
        url_relative="deny",
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def markdown_problem(text: str) -> str:
    """Return why ``text`` cannot be rendered as Markdown, or "" when it can."""
    if _convert(text) is None:
        return (
            "The Markdown is nested too deeply (lists or quotes inside each other) to be "
            "rendered: flatten the nesting."
        )
    return ""
