"""Test settings: fast hashing, plain static storage, throwaway generated-files directory."""

import tempfile
from pathlib import Path

from planner.env import env_str
from planner.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PLANNER_GENERATED_DIR = Path(tempfile.mkdtemp(prefix="planner-test-generated-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "generated": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PLANNER_GENERATED_DIR)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Downloads render inline unless a test switches to the database queue (tests/test_pdf_worker.py).
PLANNER_PDF_INLINE = True
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# A name for the test database other than Django's test_<name> (a shared PostgreSQL server).
if env_str("PLANNER_TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("PLANNER_TEST_DATABASE_NAME")}  # noqa: F405
