import pytest
from django.core.exceptions import ImproperlyConfigured

from planner.env import database_config, env_bool, env_int, env_list


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("1", True),
        ("YES", True),
        ("on", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("", False),
    ],
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", not expected) is expected


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("X_FLAG", raising=False)
    assert env_bool("X_FLAG", True) is True


def test_env_bool_rejects_other_words_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"DJANGO_DEBUG='maybe' is not a boolean: use"):
        env_bool("DJANGO_DEBUG", True)


def test_env_int_parses_and_checks_minimum(monkeypatch):
    monkeypatch.setenv("X_NUM", " 42 ")
    assert env_int("X_NUM", 1) == 42
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="is not a whole number"):
        env_int("X_NUM", 5)
    monkeypatch.setenv("X_NUM", "-1")
    with pytest.raises(ImproperlyConfigured, match="too small: use 0 or more"):
        env_int("X_NUM", 5, minimum=0)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.example, b.example,,")
    assert env_list("X_HOSTS", []) == ["a.example", "b.example"]


def test_database_url_sqlite_and_postgres():
    sqlite = database_config("sqlite:////tmp/planner.sqlite3")
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite["NAME"] == "/tmp/planner.sqlite3"
    postgres = database_config("postgres://app:secret@db.internal:5433/planner")
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert (postgres["HOST"], postgres["PORT"], postgres["NAME"]) == (
        "db.internal",
        5433,
        "planner",
    )


@pytest.mark.parametrize("url", ["mysql://root@localhost/planner", "nonsense"])
def test_database_url_unsupported_is_refused_with_a_clear_message(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL=.* is not supported: use sqlite"):
        database_config(url)


def test_settings_module_refuses_bad_debug_value(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        env={
            "DJANGO_SETTINGS_MODULE": "planner.settings",
            "DJANGO_DEBUG": "perhaps",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        cwd=str(__import__("pathlib").Path(__file__).parent.parent),
    )
    assert result.returncode != 0
    assert "DJANGO_DEBUG='perhaps' is not a boolean" in result.stderr
