"""Property tests: random and malformed posts to every wizard section, and random answer files
to `manage.py plan`, never cause a server error, always explain a refusal, and a refused post
never changes the stored answers."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from planner import catalog, wizard
from planner.models import AnswerChange, Project

pytestmark = pytest.mark.django_db

SECTION_KEYS = [section.key for section in catalog.SECTIONS]
QUESTION_KEYS = sorted(catalog.QUESTIONS)
CHOICE_VALUES = sorted({c.value for q in catalog.QUESTIONS.values() for c in q.choices})
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CLIENT_KWARGS = {"raise_request_exception": True}

# Text a person (or an attacker) might type: ordinary, unicode, markup, huge, control chars.
texts = st.one_of(
    st.sampled_from(CHOICE_VALUES),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.sampled_from(
        [
            "",
            " ",
            "<script>alert(1)</script>",
            "{{ 7*7 }}",
            "🦄" * 50,
            "a" * 5000,
            "-1",
            "99999999999999999999999",
            "1e9",
            "null",
            "[]",
            '{"a": 1}',
            "\u202eevil",
            "line\nbreak",
            "nul\x00byte",  # PostgreSQL's jsonb cannot store U+0000
        ]
    ),
)
post_keys = st.one_of(
    st.sampled_from(QUESTION_KEYS),
    st.sampled_from(["shown", "action", "goto", "version", "csrfmiddlewaretoken"]),
    st.text(min_size=1, max_size=15),
)


@st.composite
def section_posts(draw, section_key):
    """Return (post data, version kind): random keys, duplicated keys, random versions."""
    own = [q.key for q in catalog.section(section_key).questions]
    pairs = draw(
        st.lists(st.tuples(st.one_of(st.sampled_from(own), post_keys), texts), max_size=25)
    )
    if draw(st.booleans()):
        pairs += [("shown", key) for key in draw(st.lists(st.sampled_from(own), max_size=8))]
    pairs += draw(
        st.lists(
            st.tuples(st.just("action"), st.sampled_from(["next", "back", "finish", "", "💥"])),
            max_size=2,
        )
    )
    if draw(st.booleans()):
        pairs.append(("goto", draw(st.one_of(st.sampled_from(SECTION_KEYS), st.text(max_size=10)))))
    version_kind = draw(
        st.sampled_from(["current", "current", "stale", "missing", "junk", "twice"])
    )
    data: dict[str, list[str]] = {}
    for key, value in pairs:
        if key == "version":
            continue
        data.setdefault(key, []).append(value)
    return data, version_kind, draw(st.sampled_from(["", "1", "-1", "1.0", "x", "١"]))


def snapshot(project):
    project.refresh_from_db()
    return project.answers, project.version, list(project.touched_sections)


def assert_stored_answers_well_formed(answers):
    assert isinstance(answers, dict)
    for key, value in answers.items():
        assert key in catalog.QUESTIONS, f"unknown key stored: {key!r}"
        question = catalog.QUESTIONS[key]
        if question.type == "multi":
            assert isinstance(value, list) and value, (key, value)
            assert all(isinstance(v, str) and v for v in value), (key, value)
        elif question.type == "int":
            assert isinstance(value, int | str) and value != "", (key, value)
        else:
            assert isinstance(value, str) and value.strip(), (key, value)


@pytest.fixture
def seeded_project(owner):
    return Project.objects.create(
        owner=owner,
        name="Fuzzed",
        answers={
            "company_name": "Acme",
            "tenant_prefix": "acme",
            "user_communities": ["b2b_customers"],
        },
    )


@pytest.mark.parametrize("section_key", SECTION_KEYS)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_random_posts_to_a_wizard_section(owner_client, seeded_project, section_key, data):
    post, version_kind, junk = data.draw(section_posts(section_key))
    answers_before, version_before, touched_before = snapshot(seeded_project)
    changes_before = AnswerChange.objects.count()
    if version_kind == "current":
        post["version"] = [str(version_before)]
    elif version_kind == "stale":
        post["version"] = [str(version_before - 1)]
    elif version_kind == "junk":
        assume(junk != str(version_before))
        post["version"] = [junk]
    elif version_kind == "twice":
        post["version"] = [junk, str(version_before)]  # QueryDict.get takes the last
    url = reverse("wizard_section", args=[seeded_project.code, section_key])

    response = owner_client.post(url, post)

    assert response.status_code < 500
    accepted = version_kind in ("current", "twice")
    if not accepted:
        # A stale or malformed version: refused with an explanation, nothing stored.
        assert response.status_code == 409
        assert wizard.STALE_MESSAGE.split(":")[0] in response.content.decode()
        assert snapshot(seeded_project) == (answers_before, version_before, touched_before)
        assert AnswerChange.objects.count() == changes_before
        return
    assert response.status_code in (200, 302)
    answers, _, touched = snapshot(seeded_project)
    assert_stored_answers_well_formed(answers)
    assert section_key in touched
    if response.status_code == 200:
        # Saved, but not finished: the page says what needs attention.
        html = response.content.decode()
        assert 'id="error-summary"' in html or "brought up more questions" in html, html[:2000]
    else:
        location = response["Location"]
        assert location.startswith(f"/projects/{seeded_project.code}/"), location
    # Questions of other sections are never touched by a post to this one.
    own = {q.key for q in catalog.section(section_key).questions}
    assert {k: v for k, v in answers.items() if k not in own} == {
        k: v for k, v in answers_before.items() if k not in own
    }


@pytest.mark.parametrize(
    ("section_key", "key", "value"),
    [("context", "company_name", "Acme\x00"), ("sdlc", "environments", "\x00")],
)
def test_nul_characters_are_not_a_server_error(
    owner_client, seeded_project, section_key, key, value
):
    """PostgreSQL's jsonb refuses U+0000: the wizard must strip or refuse it, not crash."""
    url = reverse("wizard_section", args=[seeded_project.code, section_key])
    post = {"version": str(seeded_project.version), "shown": [key], key: value}
    response = owner_client.post(url, post)
    assert response.status_code in (200, 302)
    seeded_project.refresh_from_db()
    assert "\\u0000" not in json.dumps(seeded_project.answers)  # json escapes U+0000


@PROPERTY_SETTINGS
@given(
    name=texts,
    description=st.one_of(texts, st.text(min_size=2001, max_size=2100)),
)
def test_random_project_names_never_break_the_forms(
    owner_client, seeded_project, name, description
):
    for url in (reverse("project_create"), reverse("project_edit", args=[seeded_project.code])):
        response = owner_client.post(url, {"name": name, "description": description})
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert b"invalid-feedback" in response.content or b"errorlist" in response.content
    seeded_project.refresh_from_db()
    assert seeded_project.name.strip()
    assert len(seeded_project.name) <= 120


# --- manage.py plan --------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
answer_values = st.one_of(
    json_values,
    st.sampled_from(CHOICE_VALUES),
    st.lists(st.sampled_from(CHOICE_VALUES), max_size=4),
)
answer_documents = st.one_of(
    json_values,
    st.dictionaries(st.sampled_from(QUESTION_KEYS), answer_values, max_size=20),
    st.dictionaries(st.one_of(st.sampled_from(QUESTION_KEYS), st.text(max_size=12)), answer_values),
)


def run_plan(path):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("plan", "--answers", str(path), stdout=out, stderr=err)
    except CommandError as exc:
        assert exc.returncode == 2, exc
        assert str(exc).strip(), "a refusal must say why"
        return None
    return out.getvalue()


@PROPERTY_SETTINGS
@given(document=answer_documents)
def test_plan_command_with_random_answers(tmp_path, document):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    output = run_plan(path)
    if output is not None:
        assert isinstance(document, dict)
        assert json.loads(output)["schema"].startswith("planner.plan/")


@PROPERTY_SETTINGS
@given(raw=st.one_of(st.binary(max_size=200), st.text(max_size=200)))
def test_plan_command_with_malformed_files(tmp_path, raw):
    path = tmp_path / "answers.json"
    if isinstance(raw, bytes):
        path.write_bytes(raw)
    else:
        path.write_text(raw, encoding="utf-8")
    run_plan(path)


def test_plan_command_with_a_missing_file(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("plan", "--answers", str(tmp_path / "nope.json"))
    assert caught.value.returncode == 2
