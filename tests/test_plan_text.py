"""Reader-facing wording of plan data: names that wrap only after dots, reasons as sentences."""

import pytest
from django.utils.html import strip_tags

from planner.blueprint import Connection, CustomerEntry
from planner.rules import Reason
from planner.templatetags.plan_text import (
    because,
    connections_cell,
    customer_options,
    dns_name,
    name_cell,
    url_text,
)


def test_dns_name_breaks_only_after_dots_and_escapes():
    assert str(dns_name("login-dev.acme.com")) == (
        '<span class="dns"><span class="nb">login-dev.</span><wbr>'
        '<span class="nb">acme.</span><wbr><span class="nb">com</span></span>'
    )
    assert "&lt;script&gt;" in str(dns_name("<script>.example"))
    assert dns_name("") == ""


def test_url_text_breaks_after_slashes_and_dots_only():
    html = str(url_text("https://auth0.com/docs/get-started"))
    assert '<span class="nb">get-started</span>' in html  # never at the hyphen
    assert html.count("<wbr>") == 5  # https:/ / auth0. com/ docs/ get-started


@pytest.mark.parametrize(
    "reasons, sentence",
    [
        (
            [Reason("production_tenant_count", "Production tenants", "3")],
            "Because you host 3 production tenants.",
        ),
        (
            [Reason("production_tenant_count", "Production tenants", "1")],
            "Because you host 1 production tenant.",
        ),
        (
            [Reason("tenant_count", "Tenants in total", "8")],
            "Because your plan has 8 tenants in all.",
        ),
        (
            [Reason("enterprise", "Enterprise subscription", "no")],
            "Because you are not on an Enterprise subscription.",
        ),
        (
            [Reason("sso_across_apps", "Should users sign in once?", "Yes")],
            "Because you answered “Yes” to “Should users sign in once?”",
        ),
        (
            [
                Reason("production_tenant_count", "Production tenants", "2"),
                Reason("primary_region", "Primary region", "United States"),
            ],
            "Because you host 2 production tenants; and your answer to “Primary region” is "
            "“United States”.",
        ),
        ([], ""),
    ],
)
def test_because_writes_reasons_as_one_sentence(reasons, sentence):
    assert because(reasons) == sentence


def test_plan_chapters_follow_the_plan():
    from types import SimpleNamespace

    from planner.templatetags.plan_text import CHAPTERS, plan_chapters

    plan = SimpleNamespace(conflicts=(1, 2), warnings=(), usage=object())
    chapters = plan_chapters(plan)
    assert [c.key for c in chapters] == [key for key, _, _ in CHAPTERS]
    assert {c.key: c.count for c in chapters if c.count is not None} == {
        "conflicts": 2,
        "warnings": 0,
    }
    assert chapters[0].template == "planner/plan/_conflicts.html"
    # A plan built without usage figures (none in older plans) has no usage chapter.
    assert "usage" not in [
        c.key for c in plan_chapters(SimpleNamespace(**{**vars(plan), "usage": None}))
    ]


def _entry(**changes) -> CustomerEntry:
    base = dict(
        name="Contoso",
        slug="contoso",
        count=1,
        hosting="shared",
        tenant="acme",
        region="us",
        organization="contoso",
        display_name="Contoso",
        connections=(Connection("contoso-okta", "okta", "enterprise", True),),
        domain_aliases=(),
        login_domain=None,
        scim=False,
        mfa="policy",
    )
    return CustomerEntry(**{**base, **changes})


def test_customer_options_names_only_what_applies():
    assert customer_options(_entry()) == "—"
    assert customer_options(_entry(mfa="required")) == "MFA required"
    full = _entry(
        domain_aliases=("contoso.com", "contoso.de"),
        login_domain="login.contoso.com",
        scim=True,
        mfa="required",
    )
    assert strip_tags(customer_options(full)) == (
        "HRD contoso.com, contoso.de · login domain login.contoso.com · inbound SCIM · MFA required"
    )
    # Domains stay whole (never split at a hyphen); a very long one wraps after its dots.
    assert '<span class="nb">login.contoso.com</span>' in customer_options(full)
    long_domain = "login." + "a" * 30 + ".example.com"
    assert "<wbr>" in customer_options(_entry(login_domain=long_domain))
    assert "&lt;b&gt;" in customer_options(_entry(login_domain="<b>.example")), "escaped"
    label63 = "c001-" + "d" * 58
    assert customer_options(_entry(login_domain=f"{label63}.example")) == (
        f"login domain {label63}.example"  # no label fits the column whole: plain, may wrap
    )


def test_blueprint_cells_keep_names_whole_when_they_fit_their_column():
    assert name_cell(_entry(organization="contoso")) == '<td class="keep-lines">contoso</td>'
    assert name_cell(_entry(organization=None)) == "<td>—</td>"
    dedicated = _entry(organization=None, tenant="acme-dedicated-bank-1")
    assert name_cell(dedicated, "tenant") == ('<td class="keep-lines">acme-dedicated-bank-1</td>')
    # Longer than the column holds in its widest letters: may wrap rather than overflow.
    assert name_cell(_entry(tenant="x" * 30), "tenant") == f"<td>{'x' * 30}</td>"
    hostile = _entry(organization="<script>")
    assert name_cell(hostile) == '<td class="keep-lines">&lt;script&gt;</td>'
    two = _entry(
        connections=(
            Connection("contoso-okta", "okta", "enterprise", True),
            Connection("acme-users", "auth0", "database", False),
        )
    )
    assert connections_cell(two) == "<td>contoso-okta (okta)*, acme-users (auth0)</td>"
    one = _entry(connections=(Connection("contoso-okta", "okta", "enterprise", True),))
    assert connections_cell(one) == '<td class="keep-lines">contoso-okta (okta)*</td>'
    assert connections_cell(_entry(connections=())) == '<td class="keep-lines">none</td>'
    wide = _entry(connections=(Connection("c-" + "g" * 40, "oidc", "enterprise", True),))
    assert connections_cell(wide).startswith("<td>c-")
