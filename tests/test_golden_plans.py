"""Every example project gives the same plan, byte for byte, as the committed golden files.

The golden files were recorded from the code before the core was reshaped (issue 9); a change
that alters them changes behaviour. Re-record deliberately with GOLDEN_RECORD=1. Re-recorded for
issue 11 (planner.plan/2): the roster facts (0), every tenant's custom_domains and existing mark,
customers, dns_records and usage were added; nothing else changed.
"""

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from planner.models import Project
from planner.plans import build_plan, plan_to_json

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "golden"
EXAMPLES = json.loads((DATA / "examples.json").read_text("utf-8"))

# The examples, plus shapes that take the other paths: nothing answered, hidden answers kept.
CASES = {key: example["answers"] for key, example in EXAMPLES.items()}
# The examples with a customer roster (recorded with the roster, issue 11).
CASES.update(
    (key, example["answers"])
    for key, example in json.loads((DATA / "examples_v2.json").read_text("utf-8")).items()
)
CASES["empty"] = {"company_name": "Empty Co"}
CASES["p2-with-hidden-answers"] = {
    **EXAMPLES["p2-small-business-saas"]["answers"],
    "org_count": "gt_10k",
    "multi_idp_orgs": "many",
}


def render(owner, answers, fmt):
    project = Project.objects.create(owner=owner, name="Golden", answers=answers)
    plan = build_plan(project)
    if fmt == "svg":
        return plan.svg.encode("utf-8")
    return (json.dumps(plan_to_json(plan), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@pytest.fixture
def default_rules(db):
    call_command("load_rules", verbosity=0)


@pytest.mark.parametrize("fmt", ["json", "svg"])
@pytest.mark.parametrize("key", sorted(CASES))
def test_plan_is_byte_identical_to_golden(default_rules, owner, key, fmt):
    golden = GOLDEN / f"{key}.{fmt}"
    content = render(owner, CASES[key], fmt)
    if os.environ.get("GOLDEN_RECORD") == "1":
        golden.write_bytes(content)
    assert content == golden.read_bytes()
