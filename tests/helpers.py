"""Test helpers shared by the test modules and the benchmarks: data files and signing in.

Fixtures live in ``tests/conftest.py``; plain functions and constants live here so that the
benchmarks (which do not run under pytest) can import them too.
"""

import json
from pathlib import Path

from django.test import Client

DATA = Path(__file__).resolve().parent / "data"
EXAMPLES_FILE = DATA / "examples.json"
PASSWORD = "correct-horse-battery-staple"  # noqa: S105


def load_data(name: str):
    """Return the parsed JSON file ``tests/data/<name>``."""
    return json.loads((DATA / name).read_text("utf-8"))


def load_examples() -> dict:
    """Return the example projects: key -> description, answers and expected plan facts."""
    return load_data(EXAMPLES_FILE.name)


EXAMPLES = load_examples()


def signed_in_client(user) -> Client:
    """Return a test client signed in as ``user`` (without going through the sign-in form)."""
    client = Client()
    client.force_login(user)
    return client
