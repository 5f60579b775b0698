"""Configuration as code on the web: the zip download and the preview, for the current plan
and a milestone's; who may open them; a refused export."""

import io
import json
import re
import zipfile
from html import escape
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from planner import export, milestones
from planner.models import Membership, Project, Rule
from planner.plans import build_plan
from tests.helpers import EXAMPLES, load_data, signed_in_client

P6 = EXAMPLES["p6-customers-partners-employees"]["answers"]
P8 = load_data("examples_v2.json")["p8-hr-suite-mixed-roster"]["answers"]
HOSTILE = "<script>alert(1)</script>"

pytestmark = pytest.mark.django_db


@pytest.fixture
def p6_project(project, default_rules):
    project.answers = dict(P6)
    project.save()
    return project


@pytest.fixture
def incomplete_project(project, default_rules):
    project.answers = {"company_name": "Acme", "tenant_prefix": "acme"}
    project.save()
    return project


@pytest.fixture
def viewer_client(django_user_model, project):
    viewer = django_user_model.objects.create_user(username="vera", password="x")
    Membership.objects.create(project=project, user=viewer, role="viewer")
    return signed_in_client(viewer)


def zip_url(project, **query):
    return _with_query(reverse("plan_config_zip", args=[project.code]), query)


def preview_url(project, **query):
    return _with_query(reverse("plan_config", args=[project.code]), query)


def _with_query(url, query):
    return f"{url}?{urlencode(query)}" if query else url


def unzipped(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# --- the download ----------------------------------------------------------------------------


def test_zip_holds_exactly_the_exported_files(owner_client, p6_project):
    response = owner_client.get(zip_url(p6_project))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="acme-auth0-config.zip"'
    assert response["X-Content-Type-Options"] == "nosniff"
    files = export.config_files(build_plan(p6_project))
    assert unzipped(response.content) == files
    assert "README.md" in files
    # The same plan downloads as the same bytes.
    assert owner_client.get(zip_url(p6_project)).content == response.content


ALL_EXAMPLES = {**EXAMPLES, **load_data("examples_v2.json")}


@pytest.mark.parametrize("key", sorted(ALL_EXAMPLES))
def test_every_example_downloads_and_previews_its_files(owner_client, project, default_rules, key):
    project.answers = dict(ALL_EXAMPLES[key]["answers"])
    project.save()
    files = export.config_files(build_plan(project))
    assert unzipped(owner_client.get(zip_url(project)).content) == files
    last = list(files)[-1]
    html = owner_client.get(preview_url(project, file=last)).content.decode()
    assert f'<code id="config-content">{escape(files[last].decode())}</code>' in html
    assert f"Download ZIP ({len(files)} files)" in html


def test_viewer_downloads_and_previews(viewer_client, p6_project):
    assert viewer_client.get(zip_url(p6_project)).status_code == 200
    assert viewer_client.get(preview_url(p6_project)).status_code == 200


def test_strangers_get_404_and_anonymous_users_sign_in(other_client, client, p6_project):
    for url in (zip_url(p6_project), preview_url(p6_project, file="README.md")):
        assert other_client.get(url).status_code == 404, url
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_downloads_refuse_writes(owner_client, p6_project):
    for url in (zip_url(p6_project), preview_url(p6_project)):
        assert owner_client.post(url).status_code == 405, url


def test_plan_page_links_to_the_preview_and_the_zip(owner_client, p6_project):
    html = owner_client.get(reverse("plan", args=[p6_project.code])).content.decode()
    assert f'href="{zip_url(p6_project)}"' in html
    assert f'href="{preview_url(p6_project)}"' in html
    assert 'id="configuration"' in html


# --- the preview -----------------------------------------------------------------------------


def test_preview_lists_every_file_and_shows_the_first(owner_client, p6_project):
    files = export.config_files(build_plan(p6_project))
    response = owner_client.get(preview_url(p6_project))
    assert response.status_code == 200
    html = response.content.decode()
    for path in files:
        assert f'href="{escape(_with_query("", {"file": path}))}#file"' in html, path
    first = next(iter(files))
    assert f'<code id="config-content">{escape(files[first].decode())}</code>' in html
    assert f'href="{zip_url(p6_project)}"' in html
    assert "js/config-preview.js" in html and "<style" not in html


def test_preview_shows_the_file_asked_for(owner_client, p6_project):
    files = export.config_files(build_plan(p6_project))
    path = next(p for p in files if p.endswith("tenant.yaml"))
    response = owner_client.get(preview_url(p6_project, file=path))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<code id="config-content">{escape(files[path].decode())}</code>' in html
    assert f'<code class="config-path">{path}</code>' in html
    lines = len(files[path].decode().splitlines())
    assert f"Deploy CLI resources (YAML) · {lines} lines · " in html
    link = escape(_with_query("", {"file": path}))
    assert f'class="config-file current" href="{link}#file" aria-current="page"' in html
    assert html.count('aria-current="page"') == 2  # the file, and the breadcrumb's last step


def p8_with_first_customer(**changes) -> dict:
    return dict(P8, customers=[dict(P8["customers"][0], **changes), *P8["customers"][1:]])


def test_preview_escapes_hostile_customer_names(owner_client, project, default_rules):
    project.answers = p8_with_first_customer(name=f"{HOSTILE} Bank")
    project.save()
    files = export.config_files(build_plan(project))
    shown = [path for path in files if HOSTILE.encode() in files[path]]
    assert shown, "the hostile name reaches at least one file"
    for path in shown:
        response = owner_client.get(preview_url(project, file=path))
        assert response.status_code == 200
        html = response.content.decode()
        assert HOSTILE not in html
        assert escape(HOSTILE) in html


def test_a_large_export_unfolds_only_the_shown_files_folders(owner_client, project, default_rules):
    project.answers = dict(load_data("examples_v2.json")["p7-twelve-banks-dedicated"]["answers"])
    project.save()
    files = export.config_files(build_plan(project))
    assert len(files) > 30
    path = [p for p in files if p.startswith("terraform/")][-1]
    html = owner_client.get(preview_url(project, file=path)).content.decode()
    opened = re.findall(
        r'<details open><summary class="config-folder-name">([^<]+)/</summary>', html
    )
    assert opened == path.split("/")[:-1]
    assert html.count("<details") == len({p.rsplit("/", 1)[0] for p in files if "/" in p}) + 2
    for other in files:
        assert escape(_with_query("", {"file": other})) in html  # folded, still in the page
    small = Project.objects.create(owner=project.owner, name="Small", answers=dict(P6))
    unfolded = owner_client.get(preview_url(small)).content.decode()
    assert "<details>" not in unfolded and "<details open>" in unfolded


@pytest.mark.parametrize("asked", ["deploy-cli/nowhere/tenant.yaml", "", "../README.md", HOSTILE])
def test_unknown_file_is_404_with_the_tree_to_pick_from(owner_client, p6_project, asked):
    files = export.config_files(build_plan(p6_project))
    response = owner_client.get(preview_url(p6_project, file=asked))
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is no file" in html
    assert f"<code>{escape(asked)}</code>" in html
    assert HOSTILE not in html
    for path in files:
        assert escape(_with_query("", {"file": path})) in html
    assert 'id="config-content"' not in html


# --- a refused export ------------------------------------------------------------------------


def test_refused_zip_lists_the_errors_with_links_to_fix_them(owner_client, incomplete_project):
    with pytest.raises(export.ExportRefused) as refused:
        export.config_files(build_plan(incomplete_project))
    response = owner_client.get(zip_url(incomplete_project))
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    html = response.content.decode()
    assert "cannot be exported yet" in html
    for error in refused.value.errors:
        assert escape(error) in html
    fix = reverse("wizard_section", args=[incomplete_project.code, "context"])
    assert f'href="{fix}#q-' in html
    # The preview says the same, as a page of its own.
    preview = owner_client.get(preview_url(incomplete_project))
    assert preview.status_code == 200
    assert all(escape(error) in preview.content.decode() for error in refused.value.errors)


@pytest.mark.parametrize(
    ("answers", "fix"),
    [
        (  # the roster's own check: a slug too long for a connection name
            p8_with_first_customer(name=f"{HOSTILE} Bank", slug="x" * 60 + "-" + "y" * 60),
            "customers/#q-customers",
        ),
        (dict(P8, company_name=HOSTILE), "context/#q-company_name"),  # "<" in the app's name
        (p8_with_first_customer(name="Contoso ##BANK##"), "customers/#q-customers"),
        (  # custom domains whose certificate type is not answered
            {k: v for k, v in P6.items() if k != "certificate_management"},
            "custom_domains/#q-certificate_management",
        ),
    ],
    ids=["long-slug", "company-name", "keyword-in-customer-name", "certificate-unanswered"],
)
def test_refused_names_link_to_the_answer_to_change(
    owner_client, project, default_rules, answers, fix
):
    project.answers = answers
    project.save()
    with pytest.raises(export.ExportRefused) as refused:
        export.config_files(build_plan(project))
    response = owner_client.get(zip_url(project))
    assert response.status_code == 409
    html = response.content.decode()
    assert HOSTILE not in html
    for error in refused.value.errors:
        assert escape(error) in html
    assert f'href="/projects/{project.code}/wizard/{fix}"' in html


def test_viewers_see_the_errors_without_links_they_cannot_use(viewer_client, incomplete_project):
    html = viewer_client.get(zip_url(incomplete_project)).content.decode()
    assert "cannot be exported yet" in html
    assert "ask one of its editors" in html
    assert "/wizard/" not in html and "/review/" not in html


# --- a milestone -----------------------------------------------------------------------------


def test_milestone_exports_its_frozen_plan(owner_client, owner, p6_project):
    milestone = milestones.create(p6_project, owner, "Sent to Acme", finished=False)
    frozen = export.config_files(milestones.frozen_plan(milestone))
    assert frozen == export.config_files(build_plan(p6_project))
    p6_project.answers = dict(P6, tenant_prefix="zenith", company_name="Zenith")
    p6_project.save()

    response = owner_client.get(zip_url(p6_project, milestone=1))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="acme-auth0-config-milestone-1.zip"'
    )
    assert unzipped(response.content) == frozen
    current = owner_client.get(zip_url(p6_project))
    assert current["Content-Disposition"] == 'attachment; filename="zenith-auth0-config.zip"'
    assert unzipped(current.content) != frozen

    html = owner_client.get(preview_url(p6_project, milestone=1)).content.decode()
    assert "Milestone 1: Sent to Acme" in html
    assert f'href="{zip_url(p6_project, milestone=1)}"' in html.replace("&amp;", "&")
    assert escape(_with_query("", {"milestone": 1, "file": "README.md"})) in html
    page = owner_client.get(reverse("plan", args=[p6_project.code]) + "?milestone=1")
    assert f'href="{preview_url(p6_project, milestone=1)}"' in page.content.decode()


def test_a_milestones_plan_keeps_its_rules_after_they_change(owner, p6_project):
    milestone = milestones.create(p6_project, owner, "Frozen", finished=False)
    saved = json.loads(milestone.plan_json)
    fired = [r["rule"] for r in saved["recommendations"]]
    Rule.objects.filter(key=fired[0]).update(enabled=False)
    frozen = milestones.frozen_plan(milestone)
    assert [r.key for r in frozen.recommendations] == fired
    assert frozen.fingerprint == milestone.fingerprint
    assert frozen.topology == build_plan(p6_project).topology
    assert fired[0] not in [r.key for r in build_plan(p6_project).recommendations]


def test_refused_milestone_points_to_the_current_answers(owner_client, owner, incomplete_project):
    milestones.create(incomplete_project, owner, "Early draft", finished=False)
    incomplete_project.answers = dict(P6)
    incomplete_project.save()
    response = owner_client.get(zip_url(incomplete_project, milestone=1))
    assert response.status_code == 409
    html = response.content.decode()
    assert "A milestone is frozen" in html
    assert "/wizard/" not in html  # its answers cannot be fixed, only the current ones
    assert reverse("wizard_review", args=[incomplete_project.code]) in html
    assert owner_client.get(zip_url(incomplete_project)).status_code == 200


def test_unknown_milestone_is_404(owner_client, p6_project):
    for query in ({"milestone": "7"}, {"milestone": "x"}):
        assert owner_client.get(zip_url(p6_project, **query)).status_code == 404
        assert owner_client.get(preview_url(p6_project, **query)).status_code == 404
