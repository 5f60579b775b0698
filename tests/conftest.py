"""The small cast: an owner with a project, another signed-in user, a staff user."""

import os

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from planner.models import Project

PASSWORD = "correct-horse-battery-staple"  # noqa: S105

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
def owner_client(owner):
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def other_client(other_user):
    client = Client()
    client.force_login(other_user)
    return client


@pytest.fixture
def staff_client(staff_user):
    client = Client()
    client.force_login(staff_user)
    return client


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
