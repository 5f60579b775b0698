"""The topology SVG, byte for byte: every example and every edge case against its golden file.

The SVG is fetched the way a user downloads it (the plan's SVG view), so the golden files pin
the whole path from stored answers to the drawn diagram. After an intended change of the
drawing, record the files again with ``UPDATE_GOLDEN=1 pytest tests/test_diagram_golden.py``
and review the diff of ``tests/data/svg/`` like any other change.
"""

import os

import pytest
from django.urls import reverse

from planner.models import Project
from tests.helpers import DATA, EXAMPLES, load_data

GOLDEN = DATA / "svg"
EDGE_CASES = load_data("diagram_cases.json")
CASES = {
    **{
        key: (example["answers"]["company_name"], example["answers"])
        for key, example in EXAMPLES.items()
    },
    **{key: (case["name"], case["answers"]) for key, case in EDGE_CASES.items()},
}


@pytest.mark.parametrize("key", sorted(CASES))
def test_svg_matches_its_golden_file(default_rules, owner, owner_client, key):
    name, answers = CASES[key]
    project = Project.objects.create(owner=owner, name=name, answers=answers)
    response = owner_client.get(reverse("plan_svg", args=[project.code]))
    assert response.status_code == 200
    golden = GOLDEN / f"{key}.svg"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(response.content)
    assert golden.exists(), f"No golden file {golden}: record it with UPDATE_GOLDEN=1."
    assert response.content == golden.read_bytes(), (
        f"The SVG of {key} differs from {golden}; if the change is intended, record it again "
        "with UPDATE_GOLDEN=1 and review the diff."
    )


def test_every_golden_file_has_a_case():
    assert sorted(path.stem for path in GOLDEN.glob("*.svg")) == sorted(CASES)
