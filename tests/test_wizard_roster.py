"""The customers section of the wizard: the roster table, without JavaScript."""

import json
import re
from pathlib import Path

import pytest
from django.utils.html import escape

from planner import catalog
from planner.models import Project
from planner.templatetags.plan_text import dns_name

DATA = Path(__file__).parent / "data"
P1 = json.loads((DATA / "examples.json").read_text("utf-8"))["p1-five-enterprise-customers"][
    "answers"
]
P8 = json.loads((DATA / "examples_v2.json").read_text("utf-8"))["p8-hr-suite-mixed-roster"][
    "answers"
]

pytestmark = pytest.mark.django_db


def url(project):
    return f"/projects/{project.code}/wizard/customers/"


def table_post(project, rows, total=None, action="next", **extra):
    """Return the POST the roster table sends (no JavaScript): one set of fields per row."""
    data = {
        "version": str(project.version),
        "shown": ["customers"],
        "customers-total": str(len(rows) if total is None else total),
        "rows": "3",
        **extra,
    }
    if action:
        data["action"] = action
    for i, row in enumerate(rows):
        for field, value in row.items():
            if isinstance(value, list) and field == "email_domains":
                value = ", ".join(value)
            data[f"customers-{i}-{field}"] = value
    return data


@pytest.fixture
def p1_project(project):
    project.answers = dict(P1)
    project.save()
    return project


def test_customers_section_comes_right_after_provisioning():
    keys = [s.key for s in catalog.SECTIONS]
    assert keys[keys.index("provisioning") + 1] == "customers"


def test_empty_roster_page_offers_three_empty_rows_and_add_rows(owner_client, p1_project):
    html = owner_client.get(url(p1_project)).text
    assert html.count('class="roster-row') == 3
    assert 'name="customers-total" value="3"' in html
    assert 'value="add_rows"' in html
    assert 'aria-label="Row 1: name"' in html
    assert "Remove" not in html.split("roster-table", 1)[1].split("</table>")[0]


def test_saving_rows_stores_them_and_drops_empty_rows(owner_client, p1_project):
    rows = [
        {"name": "Contoso", "sign_in": ["enterprise_idp"], "idp": "entra_id",
         "email_domains": "contoso.com, contoso.de", "hosting": "shared", "scim": "yes",
         "mfa": "required", "count": "1"},
        {"name": "", "slug": "", "count": "1", "hosting": "shared", "scim": "no",
         "mfa": "project_policy"},
        {"name": "Small businesses", "count": "260", "sign_in": ["our_database", "social"],
         "hosting": "shared", "scim": "no", "mfa": "project_policy"},
    ]  # fmt: skip
    response = owner_client.post(url(p1_project), table_post(p1_project, rows))
    assert response.status_code == 302
    assert response.url.endswith("/wizard/association/")
    p1_project.refresh_from_db()
    assert p1_project.answers["customers"] == [
        {
            "name": "Contoso",
            "sign_in": ["enterprise_idp"],
            "idp": "entra_id",
            "email_domains": ["contoso.com", "contoso.de"],
            "hosting": "shared",
            "scim": "yes",
            "mfa": "required",
            "count": 1,
        },
        {
            "name": "Small businesses",
            "count": 260,
            "sign_in": ["our_database", "social"],
            "hosting": "shared",
            "scim": "no",
            "mfa": "project_policy",
        },
    ]
    read = catalog.read_answers(p1_project.answers)
    assert read.facts["customer_count"] == 261
    html = owner_client.get(url(p1_project)).text
    assert 'value="Small businesses"' in html
    assert 'placeholder="contoso"' in html  # the slug proposed from the name
    assert html.count('class="roster-row') == 5  # two entered, three empty


def test_row_errors_name_the_row_and_field_link_to_the_cell_and_keep_everything(
    owner_client, p1_project
):
    rows = [
        {"name": "Contoso", "sign_in": ["enterprise_idp"], "count": "1", "hosting": "shared",
         "login_domain": "Login.Contoso.com"},
        {"name": "Banks", "count": "twelve", "sign_in": ["social"], "hosting": "dedicated",
         "email_domains": "a.com"},
    ]  # fmt: skip
    response = owner_client.post(url(p1_project), table_post(p1_project, rows))
    assert response.status_code == 200
    html = response.text
    assert "There are 3 problems on this page" in html
    expected = [
        ("id_customers-0-idp", "Row 1 (Contoso), identity provider: choose the identity"),
        ("id_customers-0-login_domain", "Row 1 (Contoso), login domain: “Login.Contoso.com”"),
        ("id_customers-1-count", "Row 2 (Banks), count: enter a whole number"),
    ]
    for anchor, message in expected:
        assert re.search(f'<a href="#{anchor}">{re.escape(escape(message))}', html), anchor
    assert 'id="id_customers-0-idp"' in html
    # Everything typed is kept, the wrong values included.
    assert 'value="Login.Contoso.com"' in html and 'value="twelve"' in html
    assert 'value="a.com"' in html
    assert 'aria-invalid="true"' in html
    p1_project.refresh_from_db()
    assert p1_project.answers["customers"][1]["count"] == "twelve"


def test_add_rows_saves_and_comes_back_with_more_empty_rows(owner_client, p1_project):
    rows = [{"name": "Contoso", "sign_in": ["social"], "count": "1"}]
    response = owner_client.post(url(p1_project), table_post(p1_project, rows, action="add_rows"))
    assert response.status_code == 302
    assert response.url == url(p1_project) + "?rows=8"
    p1_project.refresh_from_db()
    assert p1_project.answers["customers"][0]["name"] == "Contoso"
    html = owner_client.get(response.url).text
    assert html.count('class="roster-row') == 1 + 8


def test_remove_and_move_up_without_javascript(owner_client, p1_project):
    rows = [
        {"name": "A", "sign_in": ["social"]},
        {"name": "B", "sign_in": ["social"]},
        {"name": "C", "sign_in": ["social"]},
    ]
    data = table_post(p1_project, rows, action=None, **{"customers-move-up": "2"})
    data["customers-0-remove"] = "1"
    response = owner_client.post(url(p1_project), data)
    assert response.status_code == 302 and response.url == url(p1_project)
    p1_project.refresh_from_db()
    assert [row["name"] for row in p1_project.answers["customers"]] == ["C", "B"]


def test_roster_over_the_limit_is_reported_not_stored_whole(owner_client, p1_project):
    rows = [{"name": f"C{i}", "sign_in": ["social"]} for i in range(600)]
    response = owner_client.post(url(p1_project), table_post(p1_project, rows))
    assert response.status_code == 200
    assert "at most 500 are allowed" in response.text
    p1_project.refresh_from_db()
    assert len(p1_project.answers["customers"]) == 501


def test_v2_example_roster_round_trips_through_the_table(owner_client, project):
    project.answers = {k: v for k, v in P8.items() if k != "customers"}
    project.save()
    response = owner_client.post(url(project), table_post(project, P8["customers"]))
    assert response.status_code == 302
    project = Project.objects.get(pk=project.pk)
    stored = catalog.read_answers(project.answers)
    expected = catalog.read_answers(P8)
    assert stored.errors == {}
    assert stored.topology.customers == expected.topology.customers
    assert dict(stored.facts) == dict(expected.facts)


def test_review_lists_the_roster(owner_client, p1_project):
    p1_project.answers = {**P1, "customers": [{"name": "Contoso", "sign_in": ["social"]}]}
    p1_project.save()
    html = owner_client.get(f"/projects/{p1_project.code}/review/").text
    assert "1 row: Contoso" in html


# --------------------------------------------------------------------------- the plan page


@pytest.fixture
def default_rules(db):
    from django.core.management import call_command

    call_command("load_rules", verbosity=0)


def test_plan_page_shows_the_blueprint_per_tenant(owner_client, project, default_rules):
    project.answers = dict(P8)
    project.save()
    html = owner_client.get(f"/projects/{project.code}/plan/").text
    section = html.split('id="customers">Customers and connections</h2>', 1)[1].split("</section>")[
        0
    ]
    # One table per tenant stem, customers in roster order within it.
    assert section.count("<caption>Tenant <code>") == 2
    us, eu = section.split("<caption>Tenant <code>peoplegrid-eu</code>")
    assert "<caption>Tenant <code>peoplegrid</code>" in us
    assert us.index("Contoso Bank") < us.index("Northwind Traders") < us.index("Mid-market")
    assert "<code>contoso-entra-id</code> (waad, membership on login)" in us
    assert "<code>northwind-users</code> (auth0)" in us
    assert "140 customers" in us and "<code>{customer}-users</code>" in us
    assert "Fabrikam GmbH" in eu and "fabrikam.de, fabrikam.at" in eu
    assert "anmeldung.fabrikam.de" in eu
    # The inventory lists every custom domain of a tenant.
    assert f"{dns_name('login.peoplegrid.com')}<br>{dns_name('login.contoso.com')}" in html


def test_plan_page_of_dedicated_customers_and_existing_tenant(owner_client, project, default_rules):
    p7 = json.loads((DATA / "examples_v2.json").read_text("utf-8"))["p7-twelve-banks-dedicated"]
    project.answers = {**p7["answers"], "existing_prod_tenant": "yes",
                       "existing_tenant_name": "ledgerline-live"}  # fmt: skip
    project.save()
    html = owner_client.get(f"/projects/{project.code}/plan/").text
    assert html.count("none: its own tenant") == 12
    assert "<caption>Tenant <code>ledgerline-first-harbor</code>" in html
    assert '<code>ledgerline-live</code> <span class="existing">existing</span>' in html
    inventory = html.split('id="inventory"', 1)[1].split("</section>")[0]
    assert "ledgerline-{customer}" not in inventory and "one per customer" not in inventory


def test_plan_page_without_roster_says_so(owner_client, p1_project, default_rules):
    html = owner_client.get(f"/projects/{p1_project.code}/plan/").text
    assert "No customer roster" in html


def test_hostile_roster_is_escaped_on_the_page(owner_client, p1_project, default_rules):
    row = {"name": "<script>alert(1)</script>", "slug": "evil", "sign_in": ["social"]}
    p1_project.answers = {**P1, "customers": [row]}
    p1_project.save()
    html = owner_client.get(f"/projects/{p1_project.code}/plan/").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    wizard_html = owner_client.get(url(p1_project)).text
    assert "<script>alert(1)</script>" not in wizard_html


def test_hostile_values_stay_inside_their_attributes(owner_client, p1_project):
    hostile = '" autofocus onfocus="alert(1)'
    fields = ("name", "slug", "count", "email_domains", "login_domain", "region", "idp")
    rows = [{**dict.fromkeys(fields, hostile), "sign_in": [hostile]}]
    response = owner_client.post(url(p1_project), table_post(p1_project, rows))
    assert response.status_code == 200  # errors, everything kept
    assert 'onfocus="alert(1)' not in response.text
    assert "&quot; autofocus onfocus=&quot;alert(1)" in response.text


def big_roster():
    """Return 500 rows: 20 dedicated named customers, 480 shared of mixed archetypes."""
    rows = [
        {"name": f"Bank {i}", "slug": f"bank-{i}", "sign_in": ["enterprise_idp"],
         "idp": "okta", "hosting": "dedicated", "login_domain": f"login.bank{i}.com"}
        for i in range(20)
    ]  # fmt: skip
    kinds = (["our_database"], ["social", "passwordless"], ["enterprise_idp"])
    for i in range(480):
        sign_in = kinds[i % 3]
        row = {"name": f"Customer {i}", "count": 1 + i % 4, "sign_in": sign_in}
        if "enterprise_idp" in sign_in:
            row["idp"] = "entra_id"
        rows.append(row)
    return rows


def test_a_500_row_roster_renders_with_the_same_queries_as_none(
    owner_client, p1_project, default_rules
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for page in ("plan/", "wizard/customers/"):  # warm the per-process caches (rule set)
        owner_client.get(f"/projects/{p1_project.code}/{page}")
    for label, rows in (("empty", []), ("big", big_roster())):
        p1_project.answers = {**P1, "customers": rows}
        p1_project.save()
        assert catalog.read_answers(p1_project.answers).errors == {}
        for page in ("plan/", "wizard/customers/"):
            with CaptureQueriesContext(connection) as queries:
                response = owner_client.get(f"/projects/{p1_project.code}/{page}")
            assert response.status_code == 200
            counts[label, page] = len(queries)
    assert counts["big", "plan/"] == counts["empty", "plan/"]
    assert counts["big", "wizard/customers/"] == counts["empty", "wizard/customers/"]
