"""The customer roster: slugs, row validation, validation against the other answers, facts and
topology. Domain modules tested directly, table-driven."""

import json
from pathlib import Path

import pytest

from planner import catalog, roster, textsafety
from planner.conditions import check, compile
from planner.topology import derive_topology

DATA = Path(__file__).parent / "data"
V1 = json.loads((DATA / "examples.json").read_text("utf-8"))
V2 = json.loads((DATA / "examples_v2.json").read_text("utf-8"))
P1 = V1["p1-five-enterprise-customers"]["answers"]
P8 = V2["p8-hr-suite-mixed-roster"]["answers"]

CONTOSO = {"name": "Contoso", "sign_in": ["enterprise_idp"], "idp": "entra_id"}


def roster_errors(rows, **answers):
    """Return the roster's messages when the rows are answered on top of p1."""
    read = catalog.read_answers({**P1, **answers, "customers": rows})
    return list(read.errors.get("customers", ()))


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Contoso", "contoso"),
        ("Fabrikam GmbH", "fabrikam-gmbh"),
        ("Société Générale", "societe-generale"),
        ("  --A & B--  ", "a-b"),
        ("Ørsted", "rsted"),
        ("Société Générale & Ørsted—Co", "societe-generale-rsted-co"),
        ("日本", ""),
        ("x" * 60, "x" * 50),
        ("a" * 49 + " b", "a" * 49),
    ],
)
def test_propose_slug(name, slug):
    assert roster.propose_slug(name) == slug


def test_a_roster_with_defaults_omitted_is_valid_and_read_with_defaults():
    assert roster_errors([CONTOSO]) == []
    (customer,) = roster.read_rows([CONTOSO], "us")
    assert customer == roster.Customer(
        name="Contoso",
        slug="contoso",
        count=1,
        sign_in=("enterprise_idp",),
        idp="entra_id",
        email_domains=(),
        hosting="shared",
        region="us",
        login_domain="",
        scim=False,
        mfa="project_policy",
    )


def test_null_counts_as_omitted():
    row = {**CONTOSO, "slug": None, "count": None, "region": None, "login_domain": None}
    assert roster_errors([row]) == []
    assert roster.read_rows([row], "eu")[0].region == "eu"


@pytest.mark.parametrize(
    ("row", "field", "fragment"),
    [
        ({"sign_in": ["social"]}, "name", "enter the customer's name"),
        ({**CONTOSO, "name": "x" * 101}, "name", "at most 100 characters (it has 101)"),
        ({**CONTOSO, "slug": "Contoso"}, "slug", "use lowercase letters (for example “contoso”)"),
        ({**CONTOSO, "slug": "a--b"}, "slug", "single hyphens"),
        ({**CONTOSO, "slug": "-a"}, "slug", "not a valid slug"),
        ({**CONTOSO, "name": "日本"}, "slug", "no slug can be made from this name"),
        ({**CONTOSO, "count": 0}, "count", "between 1 and 1,000,000"),
        ({**CONTOSO, "count": "many"}, "count", "between 1 and 1,000,000"),
        ({**CONTOSO, "count": True}, "count", "whole number"),
        ({"name": "Contoso"}, "sign_in", "choose at least one"),
        ({"name": "Contoso", "sign_in": ["fax"]}, "sign_in", "“fax” is not a sign-in method"),
        ({"name": "C", "sign_in": ["enterprise_idp"]}, "idp", "choose the identity provider"),
        ({"name": "C", "sign_in": ["social"], "idp": "okta"}, "idp", "leave it empty"),
        ({**CONTOSO, "idp": "azure"}, "idp", "“azure” is not one of the options"),
        ({"name": "C", "sign_in": ["social"], "scim": "yes"}, "scim", "inbound SCIM needs"),
        ({**CONTOSO, "hosting": "dedicated", "count": 5}, "hosting", "must be named"),
        ({**CONTOSO, "count": 5, "email_domains": ["a.com"]}, "email_domains", "named customer"),
        ({**CONTOSO, "email_domains": ["https://a.com"]}, "email_domains", "without https://"),
        ({**CONTOSO, "email_domains": "a.com"}, "email_domains", "as a list"),
        ({**CONTOSO, "email_domains": ["a.com", "a.com"]}, "email_domains", "listed twice"),
        (
            {**CONTOSO, "email_domains": [f"d{i}.com" for i in range(51)]},
            "email_domains",
            "at most 50",
        ),
        ({**CONTOSO, "login_domain": "Login.Contoso.com"}, "login_domain", "lowercase"),
        ({**CONTOSO, "count": 3, "login_domain": "l.c.com"}, "login_domain", "named customer"),
        ({**CONTOSO, "region": "mars"}, "region", "“mars” is not one of the options"),
        ({**CONTOSO, "mfa": "always"}, "mfa", "“always” is not one of the options"),
        ({**CONTOSO, "colour": "red"}, "colour", "unknown field “colour”"),
    ],
)
def test_row_problems_name_the_row_and_field_and_say_how_to_fix(row, field, fragment):
    problems = roster.row_problems([CONTOSO | {"name": "Other", "slug": "other"}, row])
    matching = [p for p in problems if p.field == field]
    assert matching, problems
    assert matching[0].row == 1
    assert matching[0].startswith("Row 2")
    assert fragment in matching[0]


def test_between_rows_names_slugs_and_login_domains_are_unique():
    rows = [
        {**CONTOSO, "login_domain": "login.contoso.com"},
        {**CONTOSO, "name": "CONTOSO", "slug": "contoso-2", "login_domain": "login.contoso.com"},
        {**CONTOSO, "name": "Contoso 3", "slug": "contoso"},
    ]
    problems = roster.row_problems(rows)
    assert [(p.row, p.field) for p in problems] == [
        (1, "name"),
        (1, "login_domain"),
        (2, "slug"),
    ]
    assert "row 1 has the same name" in problems[0]
    assert "“contoso” is already the slug of row 1" in problems[2]


def test_a_roster_over_500_rows_suggests_archetypes():
    rows = [{**CONTOSO, "name": f"C{i}", "slug": f"c{i}"} for i in range(501)]
    (problem,) = roster.row_problems(rows)
    assert "at most 500" in problem and "archetype" in problem
    assert roster.row_problems(rows[:500]) == []


def test_not_a_list_or_not_objects():
    assert "list of rows" in roster.row_problems("Contoso")[0]
    assert "Row 2 is not a customer" in roster.row_problems([CONTOSO, "Fabrikam"])[0]


def test_shared_row_in_a_region_no_tenant_serves():
    rows = [{**CONTOSO, "region": "eu"}]
    (message,) = roster_errors(rows)
    assert message == (
        "Row 1 (Contoso), region: Contoso is in eu, but no tenant serves eu: add eu to the "
        "additional regions, or give Contoso its own tenant."
    )
    served = {"data_residency": "some_customers_other_region", "additional_regions": ["eu"]}
    assert roster_errors(rows, **served) == []
    assert roster_errors([{**rows[0], "hosting": "dedicated"}]) == []


def test_dedicated_tenant_names_stay_within_63_characters():
    slug = "s" * 50
    row = {**CONTOSO, "slug": slug, "hosting": "dedicated"}
    assert roster_errors([row]) == []  # hoopla-sss…s-prod: 62 characters
    (message,) = roster_errors([row], tenant_prefix="hoopla-io")
    assert "“hoopla-io-" + slug + "-prod” would have 65 characters" in message
    assert "shorten the slug" in message
    assert message.startswith("Row 1 (Contoso), slug:")


def test_dedicated_slug_repeating_another_tenant_name_is_an_error():
    answers = {"data_residency": "some_customers_other_region", "additional_regions": ["eu"]}
    (message,) = roster_errors([{**CONTOSO, "slug": "eu", "hosting": "dedicated"}], **answers)
    assert "“hoopla-eu-dev”" in message and "regional" in message


def test_login_domain_may_not_be_a_proposed_custom_domain():
    (message,) = roster_errors([{**CONTOSO, "login_domain": "login.hoopla.io"}])
    assert "already a custom domain the plan proposes" in message


def test_existing_tenant_name_is_checked_and_may_not_repeat_another_tenant():
    base = {**P1, "existing_prod_tenant": "yes"}
    assert catalog.read_answers({**base, "existing_tenant_name": "hoopla-live"}).errors == {}
    read = catalog.read_answers({**base, "existing_tenant_name": "Hoopla_Prod"})
    assert "is not a valid tenant name" in read.errors["existing_tenant_name"][0]
    read = catalog.read_answers({**base, "existing_tenant_name": "hoopla-dev"})
    assert "already the name of another tenant" in read.errors["existing_tenant_name"][0]
    # Hidden unless there is an existing production tenant: then it counts as unanswered.
    read = catalog.read_answers({**P1, "existing_tenant_name": "Bad Name"})
    assert read.errors == {} and "existing_tenant_name" not in read


def test_an_invalid_roster_does_not_count_in_the_plan():
    read = catalog.read_answers({**P8, "customers": [*P8["customers"], {"name": "X"}]})
    assert "customers" in read.errors and "customers" not in read
    assert read.facts["customer_count"] == 0


# --------------------------------------------------------------------------- facts


def test_roster_facts_of_p8():
    facts = catalog.read_answers(P8).facts
    assert {k: facts[k] for k in V2["p8-hr-suite-mixed-roster"]["expected"]["facts"]} == (
        V2["p8-hr-suite-mixed-roster"]["expected"]["facts"]
    )


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("count(customers) == 5", True),
        ("answered(customers)", True),
        ("customer_count > 200", True),
        ("dedicated_customer_count > 0", False),
        ("shared_login_domain_count == 2", True),
        ("enterprise_connection_count == 3 and customers_with_own_domain == 2", True),
    ],
)
def test_roster_in_conditions(condition, expected):
    schema = catalog.condition_schema()
    assert check(condition, schema) == []
    values = catalog.read_answers(P8).condition_values
    assert compile(condition, schema).evaluate(values) is expected


@pytest.mark.parametrize(
    ("condition", "fragment"),
    [
        ('customers == "x"', "cannot compare `customers`"),
        ("customers", "e.g. count(customers) > 0"),
        ('"a" in customers', "is neither"),
    ],
)
def test_roster_only_through_count_answered_and_facts(condition, fragment):
    (error,) = check(condition, catalog.condition_schema())
    assert fragment in str(error)


# --------------------------------------------------------------------------- topology


@pytest.mark.parametrize("key", sorted(V2))
def test_v2_examples_tenants_and_facts(key):
    expected = V2[key]["expected"]
    topology = catalog.read_answers(V2[key]["answers"]).topology
    rows = [
        {
            "name": t.name,
            "purpose": t.purpose,
            "environment": t.environment,
            "environment_tag": t.environment_tag,
            "region": t.region,
            "custom_domain": t.custom_domain or None,
            "custom_domains": list(t.custom_domains),
            "existing": t.existing,
        }
        for t in topology.tenants
    ]
    assert rows == expected["tenants"]
    assert dict(topology.facts) == expected["facts"]
    assert topology.issues == ()


def test_dedicated_rows_replace_the_placeholder_group():
    p7 = V2["p7-twelve-banks-dedicated"]["answers"]
    topology = derive_topology(catalog.read_answers(p7))
    stems = [p.stem for p in topology.production_tenants]
    assert "ledgerline-{customer}" not in stems
    assert stems[1:3] == ["ledgerline-first-harbor", "ledgerline-granite-state"]
    assert topology.production_tenants[1].reasons == ("Listed as a customer with its own tenant.",)
    # Without named dedicated customers the version-1 placeholder comes back.
    shared = [{**row, "hosting": "shared"} for row in p7["customers"]]
    topology = catalog.read_answers({**p7, "customers": shared}).topology
    assert [p.stem for p in topology.production_tenants] == ["ledgerline", "ledgerline-{customer}"]


def test_dedicated_tenant_in_its_own_region_without_custom_domains_when_off():
    rows = [{**CONTOSO, "hosting": "dedicated", "region": "au", "login_domain": "id.contoso.com"}]
    topology = catalog.read_answers({**P1, "customers": rows}).topology
    prod = [t for t in topology.tenants if t.name == "hoopla-contoso-prod"][0]
    assert (prod.region, prod.custom_domains) == ("au", ("id.contoso.com",))
    dev = [t for t in topology.tenants if t.name == "hoopla-contoso-dev"][0]
    assert dev.custom_domains == () and dev.custom_domain == ""
    topology = catalog.read_answers({**P1, "customers": rows, "use_custom_domain": "no"}).topology
    prod = [t for t in topology.tenants if t.name == "hoopla-contoso-prod"][0]
    assert prod.custom_domains == ()


@pytest.mark.parametrize(
    ("answers", "name", "existing"),
    [
        (
            {"existing_prod_tenant": "yes", "existing_tenant_name": "hoopla-live"},
            "hoopla-live",
            True,
        ),
        ({"existing_prod_tenant": "yes"}, "hoopla-prod", True),
        (
            {"existing_prod_tenant": "no", "existing_tenant_name": "hoopla-live"},
            "hoopla-prod",
            False,
        ),
    ],
)
def test_existing_tenant_keeps_its_name_and_is_marked(answers, name, existing):
    topology = catalog.read_answers({**P1, **answers}).topology
    prod = [t for t in topology.tenants if t.purpose == "primary" and t.environment == "prod"]
    assert [(t.name, t.existing) for t in prod] == [(name, existing)]
    assert sum(t.existing for t in topology.tenants) == int(existing)


def test_version_1_answers_plan_as_before():
    for example in V1.values():
        read = catalog.read_answers(example["answers"])
        assert read.errors == {}
        assert [t.name for t in read.topology.tenants] == [
            t["name"] for t in example["expected"]["tenants"]
        ]
        assert all(
            t.custom_domains == ((t.custom_domain,) if t.custom_domain else ())
            for t in read.topology.tenants
        )


def test_reading_and_checking_a_roster_again_follows_every_change_in_place():
    """The rosters read and checked are kept by their content: a row edited in place (the same
    list and dicts) is read and checked afresh, never served from what was kept."""
    rows = [{"name": "Contoso", "sign_in": ["our_database"]}, {"name": "Fabrikam", "sign_in": []}]
    assert [c.name for c in roster.read_rows(rows)] == ["Contoso", "Fabrikam"]
    first = roster.row_problems(rows)
    assert [(p.row, p.field) for p in first] == [(1, "sign_in")]
    rows[1]["sign_in"].append("social")  # a nested list changed in place
    rows[0]["name"] = "Contoso Bank"
    assert [c.name for c in roster.read_rows(rows)] == ["Contoso Bank", "Fabrikam"]
    assert roster.read_rows(rows)[1].sign_in == ("social",)
    assert roster.row_problems(rows) == []
    first.clear()  # a caller's copy: clearing it changes nothing kept
    rows[1]["sign_in"].clear()
    assert [(p.row, p.field) for p in roster.row_problems(rows)] == [(1, "sign_in")]


def test_rows_that_are_not_plain_json_are_read_without_the_cache():
    from types import MappingProxyType

    rows = [MappingProxyType({"name": "Contoso", "sign_in": ["social"], "count": 2})]
    [customer] = roster.read_rows(rows, "eu")
    assert (customer.name, customer.count, customer.region) == ("Contoso", 2, "eu")
    assert roster.row_problems(rows) == []
    assert roster.read_rows([{"name": "Contoso", "sign_in": ["social"], "count": float("nan")}])


def test_the_blueprint_kept_for_a_roster_follows_the_other_answers():
    from planner import blueprint

    answers = json.loads((Path(__file__).parent / "data" / "examples_v2.json").read_text())[
        "p8-hr-suite-mixed-roster"
    ]["answers"]
    first = blueprint.customer_entries(answers, derive_topology(answers))
    again = blueprint.customer_entries(answers, derive_topology(answers))
    assert again == first
    renamed = {**answers, "tenant_prefix": "hr"}
    entries = blueprint.customer_entries(renamed, derive_topology(renamed))
    assert [e.tenant for e in entries] == ["hr", "hr-eu", "hr", "hr", "hr-eu"]
    assert [e.tenant for e in first] == [
        "peoplegrid", "peoplegrid-eu", "peoplegrid", "peoplegrid", "peoplegrid-eu"
    ]  # fmt: skip
    # p8 gives each Organization its own database; with 1k-100k customers they share one.
    assert [c.name for c in first[2].connections][1] == "northwind-users"
    shared = {**answers, "org_count": "1k_100k"}
    northwind = blueprint.customer_entries(shared, derive_topology(shared))[2]
    assert [c.name for c in northwind.connections][1] == "peoplegrid-users"


def test_a_roster_cell_keeps_as_much_typed_text_as_an_answer():
    long_name = "Contoso\x00 " + "x" * 10_000
    (row,) = roster.normalize_rows([{"name": long_name, "sign_in": ["our_database"]}])
    answer = catalog.normalize("company_name", [long_name])
    assert row["name"] == answer
    assert len(answer) == textsafety.MAX_STORED_CHARS
    assert answer.startswith("Contoso x")
