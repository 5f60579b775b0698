"""load_rules brings an installation from an earlier rule release to the current one (issue 12).

Release 2 added the security section and corrected rules of release 1; release 3 completed the
roster parts of the version-2 conditions and added tp-connection-entitlement.
"""

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

V2_EXAMPLES = json.loads((Path(__file__).parent / "data" / "examples_v2.json").read_text())

DATA = Path(__file__).parent / "data"
V1_FILE = DATA / "default_rules_v1.json"
V2_FILE = DATA / "default_rules_v2.json"  # release 2 as shipped, kept to test the upgrade from it


def _by_key(path):
    return {r["key"]: r for r in json.loads(path.read_text(encoding="utf-8"))["rules"]}


V1 = _by_key(V1_FILE)
V2 = _by_key(V2_FILE)
CURRENT = {r["key"]: r for r in rulefile.read_rules_file()}
CHANGED = sorted(k for k in V1 if rulefile.rule_content(V1[k]) != CURRENT[k])
NEW = sorted(set(CURRENT) - set(V1))
CHANGED_SINCE_2 = sorted(k for k in V2 if rulefile.rule_content(V2[k]) != CURRENT[k])
NEW_SINCE_2 = sorted(set(CURRENT) - set(V2))
# The rules release 3 gave the roster part of their version-2 condition ("not when every listed
# customer has its own tenant"), and the ones whose condition gained another roster fact.
ROSTER_CONDITIONS = {
    "tp-invitations",
    "tp-enterprise-auto-membership",
    "authz-org-claim",
    "tp-organizations",
    "tp-shared-app-login",
    "tp-db-per-org",
    "tp-multi-idp-orgs",
    "tp-shared-db-isolated",
    "tp-shared-users",
}
OTHER_ROSTER_FACTS = {
    "tp-vanity-domain-mcd": "customers_with_own_domain",
    "cd-mcd-addon": "customers_with_own_domain",
    "cd-mcd-contract": "customers_with_own_domain",
    "sd-exclude-runtime-orgs": "customer_count",
}
ALL_DEDICATED = "not (customer_count > 0 and dedicated_customer_count == customer_count)"


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def release_1(db):
    """An installation that loaded release 1 of the default rules (as load_rules did then)."""
    call_command("import_rules", str(V1_FILE), verbosity=0)


@pytest.fixture
def release_2(db):
    """An installation that loaded release 2 of the default rules."""
    call_command("import_rules", str(V2_FILE), verbosity=0)


def test_releases_change_and_add_rules():
    assert releases.current_release() == 3
    assert {"tp-invitations", "sd-rules-hooks-eol", "cd-switch-checklist"} <= set(CHANGED)
    assert {"sec-mfa-policy", "authz-org-claim", "tp-enterprise-auto-membership"} <= set(NEW)
    assert set(V1) <= set(V2) <= set(CURRENT)  # no shipped rule disappears
    assert NEW_SINCE_2 == ["tp-connection-entitlement"]
    assert ROSTER_CONDITIONS | set(OTHER_ROSTER_FACTS) <= set(CHANGED_SINCE_2)


def test_release_3_conditions_use_the_roster_facts():
    for key in ROSTER_CONDITIONS:
        assert ALL_DEDICATED not in V2[key]["condition"], key
        assert CURRENT[key]["condition"].endswith(f" and {ALL_DEDICATED}"), key
        # The rest of the condition is release 2's, unchanged.
        assert CURRENT[key]["condition"].startswith(V2[key]["condition"]), key
    for key, fact in OTHER_ROSTER_FACTS.items():
        assert fact not in V2[key]["condition"], key
        assert fact in CURRENT[key]["condition"], key


def test_every_shipped_release_is_recorded_by_hash():
    for number, shipped in ((1, V1), (2, V2)):
        for key, data in shipped.items():
            assert number in releases.shipped_releases(rulefile.rule_content(data)), key
    for key, data in CURRENT.items():
        assert releases.shipped_releases(rulefile.rule_content(data)) >= {3}, key
    # An unchanged rule belongs to every release that shipped it.
    same = rulefile.rule_content(CURRENT["tp-names-permanent"])
    assert releases.shipped_releases(same) == {1, 2, 3}
    assert releases.shipped_releases({**same, "title": "Our own wording"}) == set()


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
    assert f"{upgraded} upgraded to release 3, 2 differ (kept" in output
    assert "Edited locally (kept): tp-invitations, sd-rules-hooks-eol" in output
    assert Rule.objects.get(key="sd-rules-hooks-eol").title == "Our own wording"
    assert not Rule.objects.get(key="tp-invitations").enabled
    checklist = Rule.objects.get(key="cd-switch-checklist")
    assert checklist.condition == CURRENT["cd-switch-checklist"]["condition"]
    assert 'existing_prod_tenant == "yes"' in checklist.condition
    assert RuleChange.objects.filter(rule_key="cd-switch-checklist", action="loaded").exists()
    # A second run finds nothing more to upgrade.
    assert "upgraded" not in run("load_rules")


def test_release_2_is_upgraded_and_edited_rules_reported(release_2):
    edited = Rule.objects.get(key="tp-organizations")
    edited.recommendation = "Our own wording."
    edited.save()

    output = run("load_rules")

    upgraded = len(CHANGED_SINCE_2) - 1
    assert "1 created, 0 updated" in output
    assert f"{upgraded} upgraded to release 3, 1 differ (kept" in output
    assert "Edited locally (kept): tp-organizations" in output
    kept = Rule.objects.get(key="tp-organizations")
    assert kept.recommendation == "Our own wording."
    assert kept.condition == V2["tp-organizations"]["condition"]  # kept whole, not merged
    for key in sorted(set(CHANGED_SINCE_2) - {"tp-organizations"}):
        assert rulefile.rule_content(Rule.objects.get(key=key)) == CURRENT[key], key
    assert Rule.objects.get(key="tp-connection-entitlement").enabled
    assert RuleChange.objects.filter(rule_key="tp-invitations", action="loaded").exists()
    assert "upgraded" not in run("load_rules")
    # --force resets the edited rule to release 3.
    assert "1 updated" in run("load_rules", "--force")
    assert (
        rulefile.rule_content(Rule.objects.get(key="tp-organizations"))
        == (CURRENT["tp-organizations"])
    )


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
    assert "(default rules, release 3)" in after
    assert 'id="rule-tp-enterprise-auto-membership"' in after
    Rule.objects.create(**{**CURRENT["ops-log-streaming"], "key": "our-own-rule"})
    assert "(default rules, release 3 (1 edited or own))" in owner_client.get(url).content.decode()


@pytest.mark.django_db
def test_colophon_shows_release_3_after_upgrading_release_2(release_2, owner_client, project):
    project.answers = V2_EXAMPLES["p7-twelve-banks-dedicated"]["answers"]
    project.save()
    url = reverse("plan", args=[project.code])
    before = owner_client.get(url).content.decode()
    assert "(default rules, release 2)" in before
    # Release 2 still gave every bank an Organization although each has a tenant of its own.
    assert 'id="rule-tp-organizations"' in before
    run("load_rules")
    after = owner_client.get(url).content.decode()
    assert "(default rules, release 3)" in after
    assert 'id="rule-tp-organizations"' not in after
    edited = Rule.objects.get(key="tp-names-permanent")
    edited.title = "Our own wording"
    edited.save()
    mixed = owner_client.get(url).content.decode()
    assert "(default rules, release 3 (1 edited or own))" in mixed


# Rules whose text depends on a date or a release stage: re-check each against the documentation
# when the rule set is next revised, and update its "as of" date. "August 2026" is the newest
# documentation source checked (auth0/docs-v2 of 2026-08-20); "December 2026" statements follow
# from dates in it (an end of life passed, the next change freeze).
DATED = {
    "sd-rules-hooks-eol": "as of December 2026",
    "cd-one-per-tenant": "as of August 2026",
    "cd-mcd-contract": "as of August 2026",
    "cd-mcd-addon": "as of August 2026",
    "sd-pen-test-policy": "as of December 2026",
    "sd-no-pipeline": "as of August 2026",
    # Early Access features
    "ctx-partners": "Early Access as of August 2026",
    "tp-delegated-admin": "Early Access as of August 2026",
    "tp-passwordless": "Early Access as of August 2026",
    "authz-org-roles": "Early Access as of August 2026",
}


def test_dated_statements_carry_an_as_of_date():
    for key, as_of in DATED.items():
        assert as_of in CURRENT[key]["recommendation"], key
    stated = {
        k
        for k, r in CURRENT.items()
        if re.search(r"\bas of [A-Z][a-z]+ \d{4}", r["recommendation"])
    }
    assert stated == set(DATED)


def test_every_release_stage_statement_is_dated():
    """A feature called Early Access or Beta without an "as of" date would go unchecked."""
    past = ("Early Access until", "applied only to the Early Access")  # history, not a stage
    for key, rule in CURRENT.items():
        for sentence in re.split(r"(?<=\.) ", rule["recommendation"]):
            if re.search(r"\b(?:Early Access|Beta)\b", sentence) and not any(
                phrase in sentence for phrase in past
            ):
                assert re.search(r"\bas of [A-Z][a-z]+ \d{4}", sentence), (key, sentence)
