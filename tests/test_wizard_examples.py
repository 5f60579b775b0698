"""Every example project, completed through the wizard's pages as a browser would."""

import pytest

from planner import catalog
from planner.models import Project
from tests.helpers import EXAMPLES


def section_post(section_key, answers, version, action="next"):
    """Return the POST a browser sends for a section: visible questions only, with JS on."""
    visible = catalog.visible_keys(answers)
    data = {"version": str(version), "action": action, "shown": []}
    for q in catalog.section(section_key).questions:
        if q.key not in visible:
            continue
        data["shown"].append(q.key)
        value = answers.get(q.key)
        if value is None:
            data[q.key] = [] if q.type == "multi" else ""
        elif isinstance(value, list):
            data[q.key] = value
        else:
            data[q.key] = str(value)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_completes_through_the_wizard(owner_client, owner, name):
    answers = EXAMPLES[name]["answers"]
    response = owner_client.post("/projects/new/", {"name": name})
    project = Project.objects.get(owner=owner, name=name)
    assert response.url == f"/projects/{project.code}/wizard/context/"

    url = response.url
    for index, sec in enumerate(catalog.SECTIONS):
        assert url == f"/projects/{project.code}/wizard/{sec.key}/"
        page = owner_client.get(url)
        assert page.status_code == 200
        project.refresh_from_db()
        response = owner_client.post(url, section_post(sec.key, answers, project.version))
        assert response.status_code == 302, response.content.decode()[:3000]
        url = response.url
        if index + 1 < len(catalog.SECTIONS):
            assert url == f"/projects/{project.code}/wizard/{catalog.SECTIONS[index + 1].key}/"
    assert url == f"/projects/{project.code}/review/"
    assert owner_client.get(url).status_code == 200

    project.refresh_from_db()
    visible = catalog.visible_keys(answers)
    # A browser never sends an answer to a hidden question, so an example's answers to hidden
    # questions (p2 answers corporate_idp_for_dashboard without an Enterprise plan) are absent.
    # Checkboxes arrive in page order, so multi answers are stored in catalog order.
    example = {k: catalog.normalize(k, v) if isinstance(v, list) else v for k, v in answers.items()}
    assert project.answers == {k: v for k, v in example.items() if k in visible}
    assert catalog.effective_answers(project.answers) == catalog.effective_answers(example)
    assert project.touched_sections == [s.key for s in catalog.SECTIONS]

    response = owner_client.post(f"/projects/{project.code}/finish/", {"version": project.version})
    assert response.status_code == 302
    assert response.url == f"/projects/{project.code}/plan/"
    project.refresh_from_db()
    assert project.finished_at is not None
