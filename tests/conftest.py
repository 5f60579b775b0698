"""The small cast: an owner with a project, another signed-in user, a staff user; the rules.

Plain helpers (data files, examples, signing in) are in ``tests/helpers.py``.
"""

import os

import pytest
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from planner.models import AnswerChange, Project
from tests.helpers import PASSWORD, signed_in_client

# Property tests are deterministic by default (the same examples every run, no per-example
# deadline on a shared machine); HYPOTHESIS_PROFILE=explore searches fresh random examples.
hypothesis_settings.register_profile("deterministic", derandomize=True, deadline=None)
hypothesis_settings.register_profile("explore", deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user(username="olivia", password=PASSWORD)


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user(username="mallory", password=PASSWORD)


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_superuser(username="sam", password=PASSWORD)


@pytest.fixture
def project(owner):
    return Project.objects.create(owner=owner, name="Hoopla identity platform")


@pytest.fixture
def answered_project(project, owner):
    """The owner's project with two answers, a touched section and one recorded change."""
    project.answers = {"company_name": "Hoopla", "tenant_prefix": "hoopla"}
    project.touched_sections = ["context"]
    project.save()
    AnswerChange.objects.create(
        project=project, user=owner, section="context", question="company_name", new_value="x"
    )
    return project


@pytest.fixture
def owner_client(owner):
    return signed_in_client(owner)


@pytest.fixture
def other_client(other_user):
    return signed_in_client(other_user)


@pytest.fixture
def staff_client(staff_user):
    return signed_in_client(staff_user)


@pytest.fixture
def default_rules(db):
    """The shipped rule file, loaded into the database as `manage.py load_rules` does."""
    call_command("load_rules", verbosity=0)


@pytest.fixture
def generated_dir(settings, tmp_path):
    """Point the "generated" storage (PDFs) at a directory of this test's own."""
    directory = tmp_path / "generated"
    settings.STORAGES = {
        **settings.STORAGES,
        "generated": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(directory)},
        },
    }
    return directory
