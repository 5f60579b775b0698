"""Decision records: built from the answers and topology, shown on the plan page and in the PDF."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from planner import catalog, pdf
from planner.decisions import decision_records
from planner.plans import build_plan
from tests.helpers import EXAMPLES

P1 = EXAMPLES["p1-five-enterprise-customers"]["answers"]
P2 = EXAMPLES["p2-small-business-saas"]["answers"]
P6 = EXAMPLES["p6-customers-partners-employees"]["answers"]
TITLES = [
    "Production tenants",
    "Organizations",
    "Login domain",
    "Environments",
    "Configuration management",
]


def records(answers: dict) -> dict:
    read = catalog.read_answers(answers)
    communities = read.get("user_communities") or []
    return {r.key: r for r in decision_records(read, "b2b_customers" in communities)}


def chosen(record) -> list[str]:
    return [option.label for option in record.options if option.chosen]


def test_every_key_decision_has_context_options_choice_why_and_consequences():
    found = records(P6)
    assert [r.title for r in found.values()][:5] == TITLES
    for record in found.values():
        assert record.decided, record.key
        assert record.context and record.chosen.endswith((".", ":")), record.key
        assert len(record.options) >= 2 and chosen(record), record.key
        assert record.why and record.consequences, record.key
        assert all(url.startswith("https://auth0.com/docs/") for _, url in record.references)
        # Sentences, not raw data or rule keys.
        for sentence in (*record.why, *record.consequences):
            assert not sentence[0].islower() and sentence.endswith("."), sentence
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", sentence), sentence


@pytest.mark.parametrize(
    ("answers", "key", "expected_chosen", "expected_names"),
    [
        (P6, "production-tenants", 2, ("acme", "acme-workforce")),
        (P2, "production-tenants", 1, ("tally",)),
        (P6, "login-domain", 1, ("login.acme.com", "login.workforce.acme.com")),
        (dict(P2, use_custom_domain="no"), "login-domain", 1, ()),
        (P6, "environments", 4, ()),
        (dict(P6, environments=["dev", "prod"]), "environments", 2, ()),
        (P1, "organizations", 1, ()),
        (dict(P6, dedicated_tenant_contract="yes"), "dedicated-tenants", 1, ("acme-{customer}",)),
    ],
)
def test_the_chosen_options_follow_the_answers(answers, key, expected_chosen, expected_names):
    record = records(answers)[key]
    assert len(chosen(record)) == expected_chosen
    assert record.names == expected_names


def test_the_chosen_option_is_the_answer():
    assert chosen(records(dict(P2, use_custom_domain="no"))["login-domain"]) == [
        "The Auth0 domain of each tenant"
    ]
    assert chosen(records(dict(P2, config_management="terraform"))["configuration"]) == [
        "Terraform"
    ]
    assert chosen(records(P6)["organizations"]) == [
        "Auth0 Organizations, one per business customer, in the primary tenant"
    ]
    without_b2b = dict(P6, user_communities=["consumers"])
    assert chosen(records(without_b2b)["organizations"]) == [
        "No Organizations: users sign in as individuals"
    ]


def test_a_dedicated_tenant_gives_its_reason_and_its_cost():
    record = records(dict(P6, dedicated_tenant_contract="yes"))["dedicated-tenants"]
    assert "A customer contractually requires its own tenant." in record.why
    assert any("own tenants" in c for c in record.consequences)


def test_manual_configuration_does_not_claim_a_pipeline():
    record = records(dict(P2, config_management="manual", cicd_pipeline="yes"))["configuration"]
    assert not any("pipeline" in c for c in record.consequences)
    assert any("drift" in c for c in record.consequences)


def test_unanswered_decisions_are_open_and_say_so():
    found = records({"company_name": "Empty Co"})
    for key in ("production-tenants", "organizations", "login-domain", "environments"):
        assert not found[key].decided, key
        assert found[key].chosen.startswith("Not decided yet"), key
        assert not chosen(found[key]), key
    assert "dedicated-tenants" not in found  # nothing points to dedicated tenants yet


@pytest.fixture
def p6_project(project, default_rules):
    project.answers = P6
    project.save()
    return project


def test_the_plan_page_shows_the_records(owner_client, p6_project):
    html = owner_client.get(reverse("plan", args=[p6_project.code])).content.decode()
    assert 'href="#decisions"' in html
    for title in TITLES:
        assert f">{title}</h3>" in html
    assert "Options considered" in html and "(chosen)" in html
    assert "Why, from your answers" in html and "Consequences" in html
    assert 'href="https://auth0.com/docs/customize/custom-domains" target="_blank"' in html


def test_the_pdf_has_a_decisions_chapter(p6_project):
    _, _, content = pdf.render_plan_pdf(build_plan(p6_project))
    reader = PdfReader(io.BytesIO(content))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Decisions" in outline
    chapter = " ".join(p for p in pages if "Options considered" in p)
    for title in TITLES:
        assert title in chapter
    assert "login.acme.com" in chapter and "acme-workforce" in chapter
    assert "(chosen)" in chapter
