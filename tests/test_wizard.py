"""The wizard: rendering, saving, validation, branching, navigation, versions, history."""

import json
import re

import pytest
from django.test import Client
from django.utils.html import escape

from planner import catalog, wizard
from planner.conditions import parse
from planner.models import AnswerChange, Project
from tests.helpers import EXAMPLES, PASSWORD
from tests.test_wizard_examples import section_post

EXAMPLE = EXAMPLES["p1-five-enterprise-customers"]["answers"]

# Answers under which every conditional question is visible.
ALL_VISIBLE = {
    **EXAMPLE,
    "user_communities": ["b2b_customers", "employees"],
    "communities_share_apps": "none",
    "existing_prod_tenant": "yes",
    "customer_auth_methods": ["our_database", "enterprise_idp", "social"],
    "multi_idp_orgs": "few",
    "complex_org_hosting": "organizations",
    "branded_social_consent": "no",
    "idp_switch_later": "no",
    "data_residency": "some_customers_other_region",
    "additional_regions": ["eu"],
    "sandboxes": "per_developer",
    "sandbox_count": 5,
}


def url(project, section_key):
    return f"/projects/{project.code}/wizard/{section_key}/"


def block(html, key):
    """Return the HTML of one question, from its wrapper to the next question."""
    start = html.index(f'id="q-{key}"')
    end = html.find('data-question="', html.index('data-question="', start) + 1)
    return html[start : end if end != -1 else html.index("wizard-actions", start)]


def is_hidden(html, key):
    start = html.index(f'id="q-{key}"')
    return html[start : html.index(">", start)].endswith(" hidden")


def store(project, answers, touched=()):
    project.answers = dict(answers)
    project.touched_sections = list(touched)
    project.save()


def own_examples(help_text: str) -> str:
    """Return a help text as the wizard shows it to the example project (hoopla, hoopla.io)."""
    return (
        help_text.replace("acme-", "hoopla-")
        .replace("login.example.com", "login.hoopla.io")
        .replace("such as example.com", "such as hoopla.io")
    )


@pytest.fixture
def complete_project(project):
    store(project, EXAMPLE, [s.key for s in catalog.SECTIONS])
    return project


# --- rendering ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_question_renders_with_label_help_and_links(owner_client, project):
    assert catalog.visible_keys(ALL_VISIBLE) == set(catalog.QUESTIONS)
    store(project, ALL_VISIBLE)
    for sec in catalog.SECTIONS:
        html = owner_client.get(url(project, sec.key)).text
        for q in sec.questions:
            part = block(html, q.key)
            assert not is_hidden(html, q.key), q.key
            assert escape(q.label) in part, q.key
            assert escape(own_examples(q.help)) in part, q.key
            assert f'id="{q.key}-help"' in part
            for _, link in q.links:  # a new tab: unsaved input in the wizard is not lost
                assert f'href="{link}" target="_blank" rel="noopener"' in part
            if q.placeholder:  # an example, never mistaken for a typed value
                assert f'placeholder="e.g. {escape(q.placeholder)}"' in part
            for choice in q.choices:
                assert f'value="{choice.value}"' in part and escape(choice.label) in part
            if q.type in ("single", "multi"):
                assert part.startswith(f'id="q-{q.key}"') and "<legend" in part
            elif q.type == "roster":
                assert (
                    f'class="table table-sm align-top roster-table" aria-labelledby="{q.key}-label"'
                    in part
                )
            else:
                assert f'<label class="question-label form-label" for="id_{q.key}"' in part


@pytest.mark.django_db
def test_section_page_has_no_inline_script_or_style(owner_client, project):
    html = owner_client.get(url(project, "context")).text
    assert "style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    assert '<script src="/static/js/wizard.js" defer></script>' in html


@pytest.mark.django_db
def test_unknown_section_is_404(owner_client, project):
    assert owner_client.get(url(project, "nonsense")).status_code == 404
    assert owner_client.post(url(project, "nonsense"), {"version": "1"}).status_code == 404


@pytest.mark.django_db
def test_defaults_are_preselected_for_unanswered_questions(owner_client, project):
    html = owner_client.get(url(project, "context")).text
    assert re.search(r'value="no" checked', block(html, "existing_prod_tenant"))
    store(project, {"existing_prod_tenant": "yes"})
    html = owner_client.get(url(project, "context")).text
    assert re.search(r'value="yes" checked', block(html, "existing_prod_tenant"))
    assert 'value="no" checked' not in block(html, "existing_prod_tenant")


@pytest.mark.django_db
def test_progress_nav_shows_states_in_text_and_marks_the_current_section(owner_client, project):
    store(project, {"company_name": "Hoopla"}, ["provisioning"])
    html = owner_client.get(url(project, "association")).text
    nav = html[
        html.index('class="wizard-steps"') : html.index("</nav>", html.index("wizard-steps"))
    ]
    assert 'value="context"' in nav and "In progress" in nav
    assert "Has errors" in nav  # provisioning: touched, unanswered
    assert "Not started" in nav
    current = re.findall(r'<button[^>]*aria-current="step"[^>]*>', nav)
    assert len(current) == 1 and 'value="association"' in current[0]


@pytest.mark.django_db
def test_show_if_is_sent_to_the_browser_as_a_tree(owner_client, project):
    html = owner_client.get(url(project, "custom_domains")).text
    part = block(html, "dns_flattening")
    assert 'data-show-if="certificate_management == &quot;auth0_managed&quot;"' in part
    tree = json.loads(
        re.search(r'data-show-if-json="([^"]*)"', part).group(1).replace("&quot;", '"')
    )
    assert tree == {
        "t": "cmp",
        "op": "==",
        "l": {"t": "name", "n": "certificate_management"},
        "r": {"t": "lit", "v": "auth0_managed"},
    }


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        (
            "count(user_communities) > 1",
            {
                "t": "cmp",
                "op": ">",
                "l": {"t": "call", "f": "count", "n": "user_communities"},
                "r": {"t": "lit", "v": 1},
            },
        ),  # noqa: E501
        (
            'subscription in ["enterprise", "private_cloud"]',
            {
                "t": "cmp",
                "op": "in",
                "l": {"t": "name", "n": "subscription"},
                "r": {"t": "list", "v": ["enterprise", "private_cloud"]},
            },
        ),  # noqa: E501
        (
            'not answered(a) or any_of(b, ["x"])',
            {
                "t": "or",
                "e": [
                    {"t": "not", "e": {"t": "call", "f": "answered", "n": "a"}},
                    {"t": "call", "f": "any_of", "n": "b", "v": ["x"]},
                ],
            },
        ),  # noqa: E501
        (
            "enterprise and true",
            {"t": "and", "e": [{"t": "name", "n": "enterprise"}, {"t": "lit", "v": True}]},
        ),  # noqa: E501
    ],
)
def test_condition_tree(text, tree):
    assert wizard.condition_tree(parse(text)) == tree


# --- saving and validation ------------------------------------------------------------------


@pytest.mark.django_db
def test_save_and_continue_goes_to_the_next_section_then_review(owner_client, project):
    store(project, EXAMPLE)
    response = owner_client.post(url(project, "context"), section_post("context", EXAMPLE, 1))
    assert response.url == url(project, "provisioning")
    project.refresh_from_db()
    assert project.touched_sections == ["context"]
    response = owner_client.post(url(project, "sdlc"), section_post("sdlc", EXAMPLE, 2))
    assert response.url == url(project, "security")
    response = owner_client.post(url(project, "security"), section_post("security", EXAMPLE, 3))
    assert response.url == f"/projects/{project.code}/review/"


# (section, question, posted value, expected message)
INVALID = [
    ("context", "company_name", "", "Enter a value for the company name."),
    ("context", "company_name", "x" * 101, "at most 100 characters (this one has 101)"),
    ("context", "tenant_prefix", "Hoopla", "Use lowercase letters."),
    ("context", "tenant_prefix", "Hoopla Inc", catalog.PREFIX_RULE),
    ("context", "tenant_prefix", "ho--opla", "Use single hyphens"),
    ("context", "tenant_prefix", "x", "The prefix has 1 character; use 2 to 40."),
    ("context", "tenant_prefix", "a" * 60, "The prefix has 60 characters; use 2 to 40."),
    ("context", "primary_domain", "https://hoopla.io", "without https:// or a path"),
    ("context", "primary_domain", "hoo_pla.io", catalog.DOMAIN_RULE),
    ("context", "primary_domain", "hoopla", "Include at least one dot, as in example.com."),
    ("context", "user_communities", [], "Choose at least one option for the user communities."),
    ("context", "subscription", "", "Choose one option for the Auth0 plan."),
    ("context", "subscription", "platinum", "“platinum” is not"),
    ("provisioning", "additional_regions", ["us"], "Remove United States (us) from the additional"),
    ("custom_domains", "login_host", "login.hoopla.io", "Enter only the first label"),
    ("custom_domains", "login_host", "log_in", catalog.LOGIN_HOST_RULE),
    ("sdlc", "environments", ["dev", "qa"], catalog.ENVIRONMENTS_NEED_PROD),
    ("sdlc", "custom_code", ["none", "actions"], catalog.CUSTOM_CODE_NONE_ALONE),
    ("sdlc", "sandbox_count", "51", catalog.SANDBOX_COUNT_RULE),
    ("sdlc", "sandbox_count", "many", catalog.SANDBOX_COUNT_RULE),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("section_key", "key", "bad", "message"), INVALID)
def test_validation_rejects_bad_input_next_to_its_field_and_keeps_answers(
    owner_client, project, section_key, key, bad, message
):
    base = {
        **EXAMPLE,
        "data_residency": "some_customers_other_region",
        "additional_regions": ["eu"],
        "sandboxes": "per_developer",
        "sandbox_count": 5,
        "login_host": "login",
    }
    store(project, base)
    post = section_post(section_key, base, project.version)
    post[key] = bad
    response = owner_client.post(url(project, section_key), post)
    assert response.status_code == 200
    html = response.text
    opening = re.search(r'<div class="alert alert-danger error-summary"[^>]*>', html).group(0)
    assert 'role="alert"' in opening and 'tabindex="-1"' in opening
    summary = html[html.index(opening) : html.index("</ul>", html.index(opening))]
    assert escape(message) in summary
    anchor = f"id_{key}_0" if catalog.QUESTIONS[key].type in ("single", "multi") else f"id_{key}"
    assert f'href="#{anchor}"' in summary and f'id="{anchor}"' in html
    part = block(html, key)
    assert f'id="{key}-error"' in part and escape(message) in part
    assert 'aria-invalid="true"' in part
    assert f"{key}-help {key}-error" in part
    for other in catalog.section(section_key).questions:
        if other.key != key:
            assert 'aria-invalid="true"' not in block(html, other.key), other.key
    project.refresh_from_db()
    stored = catalog.normalize(key, bad)
    expected = {**base, key: stored}
    if stored in ("", []):
        del expected[key]
    assert project.answers == expected


@pytest.mark.django_db
def test_check_parameter_shows_errors_on_get(owner_client, project):
    html = owner_client.get(url(project, "context")).text
    assert "error-summary" not in html
    html = owner_client.get(url(project, "context") + "?check=1").text
    assert "error-summary" in html
    assert escape("Enter a value for the company name.") in block(html, "company_name")


# --- branching ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_branching_hides_and_shows_questions(owner_client, project):
    dependants = ["domain_strategy", "login_domains_per_tenant", "certificate_management"]
    store(project, {**EXAMPLE, "use_custom_domain": "no"})
    html = owner_client.get(url(project, "custom_domains")).text
    assert all(is_hidden(html, key) for key in [*dependants, "dns_flattening"])
    assert 'name="shown" value="domain_strategy" disabled' in html
    assert not is_hidden(html, "passkeys")
    store(project, {**EXAMPLE, "use_custom_domain": "yes"})
    html = owner_client.get(url(project, "custom_domains")).text
    assert not any(is_hidden(html, key) for key in [*dependants, "dns_flattening"])
    store(project, {**EXAMPLE, "certificate_management": "self_managed_proxy"})
    html = owner_client.get(url(project, "custom_domains")).text
    assert is_hidden(html, "dns_flattening") and not is_hidden(html, "domain_strategy")


@pytest.mark.django_db
def test_branching_across_sections(owner_client, project):
    store(project, {**EXAMPLE, "subscription": "free"})
    html = owner_client.get(url(project, "association")).text
    assert is_hidden(html, "corporate_idp_for_dashboard")
    store(project, {**EXAMPLE, "subscription": "private_cloud"})
    html = owner_client.get(url(project, "association")).text
    assert not is_hidden(html, "corporate_idp_for_dashboard")


@pytest.mark.django_db
def test_hidden_answers_are_kept_but_not_validated_nor_reviewed(owner_client, project):
    store(project, {**EXAMPLE, "sandboxes": "per_developer", "sandbox_count": 7})
    answers = {**EXAMPLE, "sandboxes": "none"}
    post = section_post("sdlc", answers, project.version)
    post["sandbox_count"] = "not a number"  # a browser still sends hidden inputs
    response = owner_client.post(url(project, "sdlc"), post)
    assert response.url == url(project, "security")
    project.refresh_from_db()
    assert project.answers["sandboxes"] == "none"
    assert project.answers["sandbox_count"] == 7
    review = owner_client.get(f"/projects/{project.code}/review/").text
    assert escape(catalog.QUESTIONS["sandbox_count"].label) not in review
    assert escape(catalog.QUESTIONS["sandboxes"].label) in review

    store(project, {**EXAMPLE, "sandboxes": "none", "sandbox_count": "junk"})
    assert catalog.validate_section("sdlc", project.answers) == {}
    response = owner_client.post(
        url(project, "sdlc"), section_post("sdlc", project.answers, project.version)
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.answers["sandbox_count"] == "junk"


@pytest.mark.django_db
def test_questions_revealed_without_javascript_are_asked_before_moving_on(owner_client, project):
    store(project, {**EXAMPLE, "use_custom_domain": "no"})
    for key in ("domain_strategy", "login_domains_per_tenant"):
        del project.answers[key]
    project.save()
    answers = {**project.answers, "use_custom_domain": "yes"}
    post = section_post("custom_domains", {**answers, "use_custom_domain": "no"}, 1)
    post["use_custom_domain"] = "yes"  # changed without JavaScript: no new "shown" markers
    post["domain_strategy"] = "central"  # never seen: must not count as an answer
    response = owner_client.post(url(project, "custom_domains"), post)
    assert response.status_code == 200
    html = response.text
    assert "Your answers brought up more questions on this page." in html
    assert not is_hidden(html, "domain_strategy")
    project.refresh_from_db()
    assert project.answers["use_custom_domain"] == "yes"
    assert "domain_strategy" not in project.answers
    assert project.answers["certificate_management"] == EXAMPLE["certificate_management"]


# --- navigation -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_back_saves_typed_input_even_when_invalid(owner_client, project):
    post = {
        "version": "1",
        "shown": ["use_custom_domain", "login_host", "passkeys"],
        "use_custom_domain": "yes",
        "login_host": "Not Valid!",
        "action": "back",
    }
    response = owner_client.post(url(project, "custom_domains"), post)
    assert response.url == url(project, "association")
    project.refresh_from_db()
    assert project.answers == {"use_custom_domain": "yes", "login_host": "Not Valid!"}
    html = owner_client.get(url(project, "custom_domains")).text
    assert 'value="Not Valid!"' in block(html, "login_host")
    assert 'value="yes" checked' in block(html, "use_custom_domain")
    assert "error-summary" not in html


@pytest.mark.django_db
def test_back_from_the_first_section_goes_to_the_project(owner_client, project):
    response = owner_client.post(
        url(project, "context"), {"version": "1", "shown": ["company_name"], "action": "back"}
    )
    assert response.url == f"/projects/{project.code}/"


@pytest.mark.django_db
def test_jump_saves_input_without_validating(owner_client, project):
    post = {
        "version": "1",
        "shown": ["company_name", "tenant_prefix", "user_communities"],
        "company_name": "Hoopla",
        "tenant_prefix": "BAD PREFIX",
        "user_communities": ["b2b_customers", "employees"],
        "action": "next",  # the hidden default button also sends action; goto wins
        "goto": "sdlc",
    }
    response = owner_client.post(url(project, "context"), post)
    assert response.url == url(project, "sdlc")
    project.refresh_from_db()
    assert project.answers == {
        "company_name": "Hoopla",
        "tenant_prefix": "BAD PREFIX",
        "user_communities": ["b2b_customers", "employees"],
    }
    html = owner_client.get(url(project, "context")).text
    assert 'value="BAD PREFIX"' in html


@pytest.mark.django_db
def test_resume_after_signing_out_and_in(owner, project):
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": "olivia", "password": PASSWORD}).status_code
        == 302
    )
    context = {k: v for k, v in EXAMPLE.items() if catalog.QUESTIONS[k].section == "context"}
    response = client.post(url(project, "context"), section_post("context", context, 1))
    assert response.url == url(project, "provisioning")
    client.post(
        url(project, "provisioning"),
        {"version": "2", "shown": ["org_count"], "org_count": "lt_10", "goto": "sdlc"},
    )
    client.post("/accounts/logout/")
    assert client.get(f"/projects/{project.code}/").status_code == 302

    client = Client()
    client.post("/accounts/login/", {"username": "olivia", "password": PASSWORD})
    html = client.get(f"/projects/{project.code}/").text
    assert f'href="{url(project, "provisioning")}">Continue</a>' in html
    html = client.get(url(project, "context")).text
    assert 'value="hoopla"' in html
    html = client.get(url(project, "provisioning")).text
    assert 'value="lt_10" checked' in block(html, "org_count")


# --- versions and history -------------------------------------------------------------------


@pytest.mark.django_db
def test_stale_save_is_refused_and_changes_nothing(owner_client, project):
    store(project, {"company_name": "From the other tab"})
    project.version = 3
    project.save()
    post = {
        "version": "2",
        "shown": ["company_name", "tenant_prefix"],
        "company_name": "From this tab",
        "tenant_prefix": "mine",
        "action": "next",
    }
    response = owner_client.post(url(project, "context"), post)
    assert response.status_code == 409
    assert escape(wizard.STALE_MESSAGE) in response.text
    assert 'value="From this tab"' in response.text and 'value="mine"' in response.text
    assert 'name="version" value="3"' in response.text
    project.refresh_from_db()
    assert project.answers == {"company_name": "From the other tab"}
    assert project.version == 3 and project.touched_sections == []
    assert AnswerChange.objects.count() == 0

    # Saving again from the re-rendered page (now at version 3) succeeds.
    post["version"] = "3"
    owner_client.post(url(project, "context"), post)
    project.refresh_from_db()
    assert project.answers["company_name"] == "From this tab" and project.version == 4


@pytest.mark.django_db
def test_save_records_history_and_bumps_the_version_only_on_change(owner_client, owner, project):
    store(project, {"company_name": "Old name", "tenant_prefix": "hoopla"})
    post = {
        "version": "1",
        "shown": ["company_name", "tenant_prefix", "primary_domain"],
        "company_name": "New name",
        "tenant_prefix": "hoopla",
        "primary_domain": "hoopla.io",
        "goto": "context",
    }
    owner_client.post(url(project, "context"), post)
    project.refresh_from_db()
    assert project.version == 2
    changes = {c.question: c for c in AnswerChange.objects.all()}
    assert set(changes) == {"company_name", "primary_domain"}
    assert (changes["company_name"].old_value, changes["company_name"].new_value) == (
        "Old name",
        "New name",
    )
    assert changes["primary_domain"].old_value is None
    assert changes["primary_domain"].new_value == "hoopla.io"
    assert all(c.user == owner and c.section == "context" for c in changes.values())

    post["version"] = "2"
    owner_client.post(url(project, "context"), post)  # nothing changed
    project.refresh_from_db()
    assert project.version == 2 and AnswerChange.objects.count() == 2

    post.update(version="2", primary_domain="")
    owner_client.post(url(project, "context"), post)
    project.refresh_from_db()
    assert "primary_domain" not in project.answers and project.version == 3
    cleared = AnswerChange.objects.first()
    assert (cleared.question, cleared.old_value, cleared.new_value) == (
        "primary_domain",
        "hoopla.io",
        None,
    )
    html = owner_client.get(f"/projects/{project.code}/").text
    assert escape(catalog.QUESTIONS["company_name"].label) in html
    assert "<td>New name</td>" in html and "<td>Not answered</td>" in html


# --- review and finish ----------------------------------------------------------------------


@pytest.mark.django_db
def test_review_lists_visible_answers_with_edit_links(owner_client, complete_project):
    html = owner_client.get(f"/projects/{complete_project.code}/review/").text
    for sec in catalog.SECTIONS:
        assert f'href="{url(complete_project, sec.key)}">Edit' in html
    assert escape(catalog.answer_label("subscription", "enterprise")) in html
    assert escape(catalog.QUESTIONS["sandbox_count"].label) not in html
    assert f'action="/projects/{complete_project.code}/finish/"' in html


@pytest.mark.django_db
def test_finish_with_problems_goes_to_the_first_section_with_errors(owner_client, project):
    store(project, {**EXAMPLE, "environments": ["dev"], "org_count": ""})
    response = owner_client.post(f"/projects/{project.code}/finish/", {"version": project.version})
    assert response.url == url(project, "provisioning") + "?check=1"
    response = owner_client.get(response.url)
    assert "before the plan can be finished" in response.text
    assert "error-summary" in response.text
    assert 'aria-invalid="true"' in block(response.text, "org_count")
    project.refresh_from_db()
    assert project.finished_at is None


@pytest.mark.django_db
def test_finish_sets_finished_at_and_shows_the_plan(owner_client, complete_project):
    response = owner_client.post(
        f"/projects/{complete_project.code}/finish/", {"version": complete_project.version}
    )
    assert response.url == f"/projects/{complete_project.code}/plan/"
    complete_project.refresh_from_db()
    assert complete_project.finished_at is not None


@pytest.mark.django_db
def test_review_carries_the_version_finish_checks(owner_client, complete_project):
    html = owner_client.get(f"/projects/{complete_project.code}/review/").text
    assert f'name="version" value="{complete_project.version}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("posted", [{"version": "1"}, {}, {"version": "x"}])
def test_stale_finish_is_refused_and_finishes_nothing(owner_client, complete_project, posted):
    """A Finish from a review page older than the last save (another tab) is a 409, like a
    stale save: the answers finished must be the ones the person reviewed."""
    owner_client.post(
        url(complete_project, "context"),
        {
            "version": str(complete_project.version),
            "shown": ["company_name", "tenant_prefix"],
            "company_name": "Changed in another tab",
            "tenant_prefix": EXAMPLE["tenant_prefix"],
            "action": "back",
        },
    )
    complete_project.refresh_from_db()
    assert complete_project.version == 2
    response = owner_client.post(f"/projects/{complete_project.code}/finish/", posted)
    assert response.status_code == 409
    assert escape(wizard.FINISH_STALE_MESSAGE) in response.text
    assert "Changed in another tab" in response.text  # the review as it is now
    assert 'name="version" value="2"' in response.text  # finishing again will work
    complete_project.refresh_from_db()
    assert complete_project.finished_at is None
    assert complete_project.finished_answers is None

    again = owner_client.post(f"/projects/{complete_project.code}/finish/", {"version": "2"})
    assert again.status_code == 302
    complete_project.refresh_from_db()
    assert complete_project.finished_at is not None
    assert complete_project.finished_answers["company_name"] == "Changed in another tab"


@pytest.mark.django_db
def test_finish_racing_a_save_is_refused(owner_client, complete_project):
    """The version is checked again in the update itself: a save that lands between the check
    and the write wins, and Finish answers 409."""
    stale = Project.objects.get(pk=complete_project.pk)
    Project.objects.filter(pk=complete_project.pk).update(version=2)
    assert wizard.finish(stale, 1) is False
    complete_project.refresh_from_db()
    assert complete_project.finished_at is None


@pytest.mark.django_db
def test_finish_by_get_shows_the_review(owner_client, complete_project):
    response = owner_client.get(f"/projects/{complete_project.code}/finish/")
    assert response.url == f"/projects/{complete_project.code}/review/"
    complete_project.refresh_from_db()
    assert complete_project.finished_at is None


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"company_name": "Hoopla"},
        EXAMPLE,
        ALL_VISIBLE,
        {**EXAMPLE, "environments": ["dev"], "org_count": ""},
        {**EXAMPLE, "use_custom_domain": "no", "sandbox_count": "junk"},
        {"communities_share_apps": "none"},  # answered, but hidden
    ],
)
@pytest.mark.parametrize("touched", [(), ("context", "provisioning"), wizard.SECTION_KEYS])
def test_section_states_agree_with_the_catalog(answers, touched):
    project = Project(answers=answers, touched_sections=list(touched))
    states = {s["key"]: s["state"] for s in wizard.section_states(project)}
    for key in wizard.SECTION_KEYS:
        assert states[key] == catalog.section_state(key, answers, key in touched), key


def test_finished_follows_the_answers_it_was_given_for(owner, project):
    """Issue 15: an edit no longer clears Finished forever; reverting it finds it finished."""
    from django.utils import timezone

    from planner.wizard import save_section

    project.finished_at = timezone.now()
    project.finished_answers = dict(project.answers)
    project.save()
    assert project.is_finished
    assert save_section(project, owner, "context", {"company_name": "Acme"}, project.version)
    project.refresh_from_db()
    assert not project.is_finished and project.answers_changed_since_finished() == 1
    assert save_section(project, owner, "context", {}, project.version)  # reverted
    project.refresh_from_db()
    assert project.is_finished and project.answers_changed_since_finished() == 0


@pytest.mark.django_db
def test_revealed_follow_up_sits_under_its_trigger(owner_client, project):
    store(project, ALL_VISIBLE)
    html = owner_client.get(url(project, "provisioning")).text
    order = re.findall(r'id="q-([a-z0-9_]+)"', html)
    # In the catalog, idp_switch_later comes 13 questions after customer_auth_methods.
    trigger = order.index("customer_auth_methods")
    assert order.index("idp_switch_later") < order.index("data_residency")
    assert order.index("branded_social_consent") < order.index("data_residency")
    assert trigger < order.index("idp_switch_later")
    assert sorted(order) == sorted(q.key for q in catalog.section("provisioning").questions)
    html = owner_client.get(url(project, "custom_domains")).text
    order = re.findall(r'id="q-([a-z0-9_]+)"', html)
    assert order.index("dns_flattening") == order.index("certificate_management") + 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key, typed, proposal",
    [
        ("tenant_prefix", "Acme HR!", "acme-hr"),
        ("primary_domain", "Acme Corp.COM", "acme-corp.com"),
    ],
)
def test_rejected_name_comes_with_a_valid_proposal(owner_client, project, key, typed, proposal):
    post = section_post("context", dict(EXAMPLE, **{key: typed}), project.version)
    response = owner_client.post(url(project, "context"), post)
    part = block(response.text, key)
    assert escape(typed) in part  # nothing typed is lost
    assert f'<p class="proposed-fix">Try <code>{proposal}</code>.</p>' in part


# --- wording that helps (issue 13) -----------------------------------------------------------


@pytest.mark.django_db
def test_help_texts_show_the_projects_own_prefix_and_domain(owner_client, project):
    html = owner_client.get(url(project, "context")).text
    assert "(acme-dev, acme-prod)" in block(html, "tenant_prefix")  # nothing answered yet
    store(project, EXAMPLE)
    html = owner_client.get(url(project, "context")).text
    assert "(hoopla-dev, hoopla-prod)" in block(html, "tenant_prefix")
    assert "login.hoopla.io" in block(html, "primary_domain")
    assert "login.hoopla.io" in block(
        owner_client.get(url(project, "custom_domains")).text, "login_host"
    )


@pytest.mark.django_db
def test_an_invalid_prefix_is_not_used_in_the_examples(owner_client, project):
    store(project, dict(EXAMPLE, tenant_prefix="Not Valid"))
    html = owner_client.get(url(project, "context")).text
    assert "(acme-dev, acme-prod)" in block(html, "tenant_prefix")
    assert "Not Valid-dev" not in html


@pytest.mark.django_db
def test_the_company_name_is_proposed_from_the_project_name(owner_client, project):
    part = block(owner_client.get(url(project, "context")).text, "company_name")
    assert f'value="{escape(project.name)}"' in part
    store(project, dict(EXAMPLE, company_name="Hoopla Ltd"))
    part = block(owner_client.get(url(project, "context")).text, "company_name")
    assert 'value="Hoopla Ltd"' in part


@pytest.mark.django_db
def test_required_choices_look_required_and_optional_ones_say_so(owner_client, project):
    html = owner_client.get(url(project, "context")).text
    subscription = block(html, "subscription")  # required, single choice
    assert '<span class="required-mark">(required)</span>' in subscription
    assert subscription.count(" required value=") == len(catalog.QUESTIONS["subscription"].choices)
    communities = block(html, "user_communities")  # required, several choices: no per-box required
    assert '<span class="required-mark">(required)</span>' in communities
    assert " required value=" not in communities
    optional = block(html, "primary_domain")  # the optional questions are text questions
    assert '<span class="optional">(optional)</span>' in optional
    assert "required-mark" not in optional


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "typed", "proposal"),
    [
        ("tenant_prefix", "Hoopla Inc", "hoopla-inc"),
        ("primary_domain", "https://Hoopla.io/login", "hoopla.io"),
    ],
)
def test_one_short_error_with_a_proposed_fix(owner_client, project, key, typed, proposal):
    store(project, EXAMPLE)
    post = section_post("context", EXAMPLE, project.version)
    post[key] = typed
    html = owner_client.post(url(project, "context"), post).text
    part = block(html, key)
    assert part.count('<span class="visually-hidden">Error: </span>') == 1
    assert f'<p class="proposed-fix">Try <code>{proposal}</code>.</p>' in part


# --- history holds accepted changes only ------------------------------------------------------


def post_prefix(client, project, value):
    project.refresh_from_db()
    post = section_post("context", project.answers, project.version)
    post["tenant_prefix"] = value
    return client.post(url(project, "context"), post)


@pytest.mark.django_db
def test_rejected_input_is_kept_but_is_not_history(owner_client, project):
    store(project, EXAMPLE)
    post_prefix(owner_client, project, "hoopla1")  # accepted: history
    before = AnswerChange.objects.filter(project=project).count()
    response = post_prefix(owner_client, project, "Not Valid")
    assert response.status_code == 200  # shown again with its error
    project.refresh_from_db()
    assert project.answers["tenant_prefix"] == "Not Valid"  # nothing typed is lost
    assert AnswerChange.objects.filter(project=project).count() == before

    post_prefix(owner_client, project, "hoopla2")
    change = AnswerChange.objects.filter(project=project, question="tenant_prefix").first()
    assert (change.old_value, change.new_value) == ("hoopla1", "hoopla2")  # the accepted one
    assert AnswerChange.objects.filter(project=project).count() == before + 1


@pytest.mark.django_db
def test_returning_to_the_accepted_value_after_a_rejected_one_adds_no_history(
    owner_client, project
):
    store(project, EXAMPLE)
    post_prefix(owner_client, project, "hoopla1")
    before = AnswerChange.objects.filter(project=project).count()
    post_prefix(owner_client, project, "--")
    post_prefix(owner_client, project, "hoopla1")
    project.refresh_from_db()
    assert project.answers["tenant_prefix"] == "hoopla1"
    assert AnswerChange.objects.filter(project=project).count() == before


@pytest.mark.django_db
def test_an_accepted_change_is_history(owner_client, project):
    store(project, EXAMPLE)
    post_prefix(owner_client, project, "hoopla-eu")
    change = AnswerChange.objects.filter(project=project, question="tenant_prefix").get()
    assert (change.old_value, change.new_value, change.section) == (
        "hoopla",
        "hoopla-eu",
        "context",
    )
