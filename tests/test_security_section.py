"""The security section (version 2): optional questions, open items on the review and the plan."""

import pytest

from planner import catalog
from planner.plans import build_plan_from_answers
from tests.test_wizard_examples import section_post

from .test_wizard import EXAMPLE, store, url

SECURITY_KEYS = [
    "end_user_mfa",
    "compliance_regimes",
    "attack_exposure",
    "client_types",
    "session_policy",
    "log_destination",
    "customer_api_access",
    "roles_per_org",
]


def test_security_is_the_last_section_with_eight_optional_questions():
    section = catalog.SECTIONS[-1]
    assert section.key == "security"
    assert [q.key for q in section.questions] == SECURITY_KEYS
    assert not any(q.required for q in section.questions)


def test_none_cannot_be_combined_with_a_compliance_regime():
    errors = catalog.read_answers({**EXAMPLE, "compliance_regimes": ["none", "gdpr"]}).errors
    assert list(errors["compliance_regimes"]) == [catalog.COMPLIANCE_NONE_ALONE]
    assert (
        "compliance_regimes"
        not in catalog.read_answers({**EXAMPLE, "compliance_regimes": ["gdpr", "hipaa"]}).errors
    )


@pytest.mark.django_db
def test_review_lists_unanswered_security_questions_as_open_items(owner_client, project):
    store(project, EXAMPLE)
    html = owner_client.get(f"/projects/{project.code}/review/").content.decode()
    assert "Open items: Answer these to get the security recommendations." in html
    assert "<li>Which kinds of applications sign users in?</li>" in html

    answered = {**EXAMPLE, "end_user_mfa": "optional", "compliance_regimes": ["none"]}
    answered.update(client_types=["spa"], session_policy="defaults", log_destination="same_region")
    answered.update(attack_exposure="invite_only", customer_api_access="none", roles_per_org="none")
    response = owner_client.post(url(project, "security"), section_post("security", answered, 1))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.answers["client_types"] == ["spa"]
    html = owner_client.get(f"/projects/{project.code}/review/").content.decode()
    assert "Open items" not in html


@pytest.mark.django_db
def test_plan_lists_only_the_shown_unanswered_security_questions(default_rules):
    answers = {**EXAMPLE, "end_user_mfa": "none", "client_types": ["regular_web"]}
    plan = build_plan_from_answers(answers, name="x", author="y")
    (warning,) = [w for w in plan.warnings if w.code == "open"]
    assert warning.section == "security"
    assert "MFA" not in warning.message and "applications sign users in" not in warning.message
    assert "“How long should users stay signed in?”" in warning.message
    assert plan.complete  # open items do not make a plan incomplete


SECURE = {
    **EXAMPLE,
    "end_user_mfa": "required_for_all",
    "client_types": ["spa"],
    "roles_per_org": "shared_catalogue",
}


@pytest.mark.django_db
def test_security_rules_are_their_own_chapter_on_the_plan_page(
    default_rules, owner_client, project
):
    store(project, SECURE)
    html = owner_client.get(f"/projects/{project.code}/plan/").content.decode()
    chapter = html.split('id="rec-security"', 1)[1]
    assert chapter.lstrip().startswith('class="section-heading">Security and operations</h3>')
    # The chapter holds the security rules, before the next chapter (Operations) starts.
    chapter = chapter.split('id="rec-operations"', 1)[0]
    for key in (
        "sec-mfa-policy",
        "sec-refresh-token-rotation",
        "authz-org-roles",
        "authz-org-claim",
    ):
        assert f'id="rule-{key}"' in chapter
    assert 'id="rule-ops-log-streaming"' not in chapter


@pytest.mark.django_db
def test_security_chapter_and_release_in_the_pdf(default_rules):
    import io
    import re

    from pypdf import PdfReader

    from planner import pdf

    plan = build_plan_from_answers(SECURE, name="Acme", author="Olivia")
    assert [g.section for g in plan.recommendation_groups][-2:] == ["security", "operations"]
    _, _, content = pdf.render_plan_pdf(plan, url_fetcher=pdf.make_url_fetcher())
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(content)).pages]
    text = " ".join(pages)
    assert "Security and operations" in text
    assert "Enforce MFA in one post-login Action" in text
    assert "default rules, release 3" in " ".join(pages[-2:])  # the colophon
