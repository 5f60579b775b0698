"""System checks (planner/checks.py): an insecure production configuration and an invalid
shipped rule file are refused with a message and a hint; a sound configuration passes."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.core import checks as django_checks

from planner import rulefile
from planner.checks import check_production_settings, check_shipped_rules
from planner.settings import DEV_SECRET_KEY
from tests.helpers import ROOT, rule_dict

SOUND_KEY = "k" * 10 + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ"


@pytest.fixture
def production(settings):
    """Settings as they must be in production; each test then spoils one."""
    settings.DEBUG = False
    settings.SECRET_KEY = SOUND_KEY
    settings.ALLOWED_HOSTS = ["planner.example.com"]
    return settings


def test_production_checks_refuse_insecure_configuration(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = DEV_SECRET_KEY
    settings.ALLOWED_HOSTS = ["*"]
    ids = {error.id for error in check_production_settings(None)}
    assert ids == {"planner.E001", "planner.E002", "planner.E003"}

    settings.DEBUG = False
    settings.SECRET_KEY = "k" * 10 + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ"
    settings.ALLOWED_HOSTS = ["planner.example.com"]
    assert check_production_settings(None) == []


def test_debug_on_is_refused_with_a_hint(production):
    production.DEBUG = True
    [error] = check_production_settings(None)
    assert error.id == "planner.E001"
    assert "DJANGO_DEBUG is on" in error.msg
    assert error.hint == "Set DJANGO_DEBUG=false in production."


@pytest.mark.parametrize(
    ("key", "why"),
    [
        (DEV_SECRET_KEY, "the development default"),
        ("too-short-a-key", "15 characters"),
        ("a1B2c3D4e5" * 4 + "a1B2c3D4e", "49 characters: one short"),
        ("a" * 60, "one character repeated"),
        ("abab" * 20, "two characters"),
        ("abcd" * 20, "four different characters"),
    ],
)
def test_weak_secret_keys_are_refused(production, key, why):
    production.SECRET_KEY = key
    [error] = check_production_settings(None)
    assert error.id == "planner.E002", why
    assert "DJANGO_SECRET_KEY" in error.msg
    assert "secrets.token_urlsafe" in error.hint


@pytest.mark.parametrize("key", ["a1B2c3D4e5" * 5, "abcde" * 10, secrets.token_urlsafe(64)])
def test_sound_secret_keys_pass(production, key):
    production.SECRET_KEY = key
    assert check_production_settings(None) == []


@pytest.mark.parametrize("hosts", [["*"], ["planner.example.com", "*"]])
def test_wildcard_allowed_host_is_refused(production, hosts):
    production.ALLOWED_HOSTS = hosts
    [error] = check_production_settings(None)
    assert error.id == "planner.E003"
    assert "any Host header" in error.msg


def test_production_checks_run_only_with_deploy(db, settings):
    settings.DEBUG = True
    plain = {message.id for message in django_checks.run_checks()}
    deploy = {message.id for message in django_checks.run_checks(include_deployment_checks=True)}
    assert "planner.E001" not in plain
    assert "planner.E001" in deploy


def test_system_check_is_clean_for_the_shipped_file():
    assert check_shipped_rules(None) == []


def test_system_check_reports_a_bad_shipped_file(tmp_path, monkeypatch):
    bad = tmp_path / "rules.json"
    document = {"schema": rulefile.SCHEMA_ID, "rules": [rule_dict("x-bad", condition="nope ==")]}
    bad.write_text(json.dumps(document))
    monkeypatch.setattr(rulefile, "DATA_FILE", bad)
    errors = check_shipped_rules(None)
    assert [e.id for e in errors] == ["planner.E010"]
    assert "x-bad" in errors[0].msg and "condition" in errors[0].msg


def test_a_bad_shipped_file_fails_every_command(db, tmp_path, monkeypatch):
    """The rule-file check is registered without ``deploy``: `manage.py check` reports it."""
    bad = tmp_path / "rules.json"
    bad.write_text(json.dumps({"schema": rulefile.SCHEMA_ID, "rules": [rule_dict("a", title="")]}))
    monkeypatch.setattr(rulefile, "DATA_FILE", bad)
    errors = [m for m in django_checks.run_checks() if m.id == "planner.E010"]
    assert errors and all(m.is_serious() for m in errors)
    assert "rules.json" in errors[0].msg


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "planner.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": "planner.example.com",
    }
    # Set by the browser tests' conftest for the live server; never part of a deployment.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output
