"""Rule Markdown is rendered with basic tags only; raw HTML never runs or fetches."""

from html.parser import HTMLParser

import pytest

from planner.markdown import ALLOWED_TAGS, render_markdown


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src="http://evil.example/x.png" onerror="alert(1)">',
        "![tracker](http://evil.example/pixel.png)",
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
        '<div onclick="alert(1)">hi</div>',
        '<svg onload="alert(1)"></svg>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<!-- <script>alert(1)</script> -->",
        '<p style="background:url(http://evil.example)">x</p>',
    ],
)
def test_payloads_neither_execute_nor_fetch(payload):
    html = render_markdown(payload)
    for tag, attrs in parsed_tags(html):
        assert tag in ALLOWED_TAGS, html
        for name, value in attrs:
            assert (tag, name) in {("a", "href"), ("a", "rel")}, html
            if name == "href":
                assert value.startswith(("http://", "https://")), html


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.comments = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        self.comments.append(data)


def parsed_tags(html):
    collector = TagCollector()
    collector.feed(html)
    assert collector.comments == []
    return collector.tags


def test_raw_html_is_shown_as_text():
    assert render_markdown("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "**bold** and *em* and `code`",
            "<p><strong>bold</strong> and <em>em</em> and <code>code</code></p>",
        ),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("1. a\n2. b", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>"),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        (
            '[docs](https://auth0.com/docs/ "title")',
            '<p><a href="https://auth0.com/docs/" rel="noopener noreferrer">docs</a></p>',
        ),
        ("[rel](/admin/)", '<p><a rel="noopener noreferrer">rel</a></p>'),
        ("", ""),
    ],
)
def test_basic_markdown(text, expected):
    assert render_markdown(text) == expected
