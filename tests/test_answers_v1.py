"""Answers saved by version 1 (before the customers roster and the security section) still open
in the wizard, validate, finish and plan the same tenants, after every migration since.

The projects are written with the models of ``0001_initial`` (the schema version 1 saved them
in), then the database is migrated forward to the latest migration and read with today's code.
The answer sets and the tenants version 1 planned for them are in ``tests/data/answers_v1.json``.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from planner import catalog
from planner.models import Project
from planner.plans import build_plan
from tests.helpers import load_data, signed_in_client

V1 = load_data("answers_v1.json")
FIRST = [("planner", "0001_initial")]
V1_TENANT_FIELDS = ("name", "purpose", "environment", "environment_tag", "region", "custom_domain")
FINISHED = "p6-customers-partners-employees"


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.fixture
def v1_projects(transactional_db):
    """Save the version-1 answer sets through the 0001 models; migrate to the latest; yield."""
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old_apps = _migrate(FIRST).loader.project_state(FIRST).apps
        user = old_apps.get_model("auth", "User").objects.create(username="veteran")
        OldProject = old_apps.get_model("planner", "Project")
        for key, saved in V1["projects"].items():
            OldProject.objects.create(
                owner=user,
                name=key,
                answers=saved["answers"],
                touched_sections=V1["sections"],
                finished_at=timezone.now() if key == FINISHED else None,
            )
        assert "finished_answers" not in {f.name for f in OldProject._meta.get_fields()}
    finally:
        _migrate(latest)
    call_command("load_rules", verbosity=0)  # the default rules, conflict rules included
    return {project.name: project for project in Project.objects.select_related("owner")}


def test_the_v1_data_predates_the_roster_and_security_sections():
    v1_keys = {key for saved in V1["projects"].values() for key in saved["answers"]}
    new_sections = {"customers", "security"}
    assert new_sections.isdisjoint(V1["sections"])
    for section in new_sections:
        assert v1_keys.isdisjoint(q.key for q in catalog.section(section).questions)
    assert "existing_tenant_name" not in v1_keys


def test_v1_answers_open_validate_finish_and_plan_the_same_tenants(v1_projects):
    assert sorted(v1_projects) == sorted(V1["projects"])
    client = signed_in_client(next(iter(v1_projects.values())).owner)
    for key, project in v1_projects.items():
        saved = V1["projects"][key]
        assert project.answers == saved["answers"]  # the migrations left the answers alone
        answers = catalog.read_answers(project.answers)
        assert dict(answers.errors) == {}, key
        assert catalog.errors_by_section(answers) == {}, key
        for sec in catalog.SECTIONS:  # every section opens, the new ones too
            response = client.get(reverse("wizard_section", args=[project.code, sec.key]))
            assert response.status_code == 200, (key, sec.key)
        context = client.get(reverse("wizard_section", args=[project.code, "context"]))
        assert saved["answers"]["tenant_prefix"] in context.content.decode()
        review = client.get(reverse("wizard_review", args=[project.code]))
        assert review.status_code == 200 and review.context["conflicts"] == []

        plan = build_plan(project)
        planned = [{f: getattr(t, f) for f in V1_TENANT_FIELDS} for t in plan.topology.tenants]
        assert planned == saved["tenants"], key
        assert plan.customers == () and plan.conflicts == ()
        assert plan.facts["customer_count"] == 0 and plan.facts["dedicated_customer_count"] == 0


def test_a_v1_project_finished_before_the_migrations_stays_finished_and_finishes_again(
    v1_projects,
):
    project = v1_projects[FINISHED]
    assert project.finished_answers == project.answers  # set by 0004 from the old finished_at
    assert project.is_finished
    client = signed_in_client(project.owner)
    other = v1_projects["p2-small-business-saas"]
    assert not other.is_finished
    response = client.post(
        reverse("wizard_finish", args=[other.code]), {"version": str(other.version)}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("plan", args=[other.code])
    other.refresh_from_db()
    assert other.is_finished
    json_response = client.get(reverse("plan_json", args=[other.code]))
    assert json_response.status_code == 200
    document = json_response.json()
    assert document["customers"] == [] and document["conflicts"] == []
    names = [t["name"] for t in document["tenants"]]
    assert names == [t["name"] for t in V1["projects"]["p2-small-business-saas"]["tenants"]]
