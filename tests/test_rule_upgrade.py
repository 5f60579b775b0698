"""load_rules brings an installation from rule release 1 to release 2 (issue 12)."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from planner import releases, rulefile
from planner.models import Rule, RuleChange
from tests.helpers import EXAMPLES

V1_FILE = Path(__file__).parent / "data" / "default_rules_v1.json"
V1 = {r["key"]: r for r in json.loads(V1_FILE.read_text(encoding="utf-8"))["rules"]}
V2 = {r["key"]: r for r in rulefile.read_rules_file()}
CHANGED = sorted(k for k in V1 if rulefile.rule_content(V1[k]) != V2[k])
NEW = sorted(set(V2) - set(V1))


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def release_1(db):
    """An installation that loaded release 1 of the default rules (as load_rules did then)."""
    call_command("import_rules", str(V1_FILE), verbosity=0)


def test_release_2_changes_and_adds_rules():
    assert releases.current_release() == 2
    assert {"tp-invitations", "sd-rules-hooks-eol", "cd-switch-checklist"} <= set(CHANGED)
    assert {"sec-mfa-policy", "authz-org-claim", "tp-enterprise-auto-membership"} <= set(NEW)
    assert set(V1) <= set(V2)  # no version-1 rule disappears


def test_unedited_rules_are_upgraded_and_edited_ones_reported(release_1):
    edited = Rule.objects.get(key="sd-rules-hooks-eol")
    edited.title = "Our own wording"
    edited.save()
    disabled = Rule.objects.get(key="tp-invitations")
    disabled.enabled = False  # switching a rule off is an edit too
    disabled.save()

    output = run("load_rules")

    upgraded = len(CHANGED) - 2
    assert f"{len(NEW)} created, 0 updated" in output
    assert f"{upgraded} upgraded to release 2, 2 differ (kept" in output
    assert "Edited locally (kept): tp-invitations, sd-rules-hooks-eol" in output
    assert Rule.objects.get(key="sd-rules-hooks-eol").title == "Our own wording"
    assert not Rule.objects.get(key="tp-invitations").enabled
    checklist = Rule.objects.get(key="cd-switch-checklist")
    assert checklist.condition == V2["cd-switch-checklist"]["condition"]
    assert 'existing_prod_tenant == "yes"' in checklist.condition
    assert RuleChange.objects.filter(rule_key="cd-switch-checklist", action="loaded").exists()
    # A second run finds nothing more to upgrade.
    assert "upgraded" not in run("load_rules")


def test_dry_run_reports_upgrades_without_changing(release_1):
    output = run("load_rules", "--dry-run")
    assert "  upgrade: cd-switch-checklist" in output
    assert (
        Rule.objects.get(key="cd-switch-checklist").condition
        == (V1["cd-switch-checklist"]["condition"])
    )


@pytest.mark.django_db
def test_colophon_shows_the_release_bump(release_1, owner_client, project):
    project.answers = EXAMPLES["p1-five-enterprise-customers"]["answers"]
    project.save()
    url = reverse("plan", args=[project.code])
    before = owner_client.get(url).content.decode()
    assert "(default rules, release 1)" in before
    assert "tp-enterprise-auto-membership" not in before
    run("load_rules")
    after = owner_client.get(url).content.decode()
    assert "(default rules, release 2)" in after
    assert 'id="rule-tp-enterprise-auto-membership"' in after
    Rule.objects.create(**{**V2["ops-log-streaming"], "key": "our-own-rule"})
    assert "(default rules, release 2 (1 edited or own))" in owner_client.get(url).content.decode()


# Rules whose text depends on a date or a release stage: re-check each against the documentation
# when the rule set is next revised, and update its "as of" date.
DATED = {
    "sd-rules-hooks-eol": "as of December 2026",
    "cd-one-per-tenant": "as of August 2026",
    "cd-mcd-contract": "as of August 2026",
    "sd-pen-test-policy": "as of December 2026",
}


def test_dated_statements_carry_an_as_of_date():
    for key, as_of in DATED.items():
        assert as_of in V2[key]["recommendation"], key
    stated = {
        k for k, r in V2.items() if re.search(r"\bas of [A-Z][a-z]+ \d{4}", r["recommendation"])
    }
    assert stated == set(DATED)
