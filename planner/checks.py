"""System checks: refuse an insecure production configuration with a clear message."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from planner.settings import DEV_SECRET_KEY


@register(Tags.security, deploy=True)
def check_production_settings(app_configs, **kwargs):
    """Return errors for settings that must not reach production."""
    errors = []
    if settings.DEBUG:
        errors.append(
            Error(
                "DJANGO_DEBUG is on: error pages would show settings and source code.",
                hint="Set DJANGO_DEBUG=false in production.",
                id="planner.E001",
            )
        )
    key = settings.SECRET_KEY
    if key == DEV_SECRET_KEY or len(key) < 50 or len(set(key)) < 5:
        errors.append(
            Error(
                "DJANGO_SECRET_KEY is missing, the development default, or too short.",
                hint=(
                    "Set DJANGO_SECRET_KEY to a random value of at least 50 characters, e.g. "
                    "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
                ),
                id="planner.E002",
            )
        )
    if "*" in settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "DJANGO_ALLOWED_HOSTS contains '*': any Host header would be accepted.",
                hint="List the host names the app is served under, comma-separated.",
                id="planner.E003",
            )
        )
    return errors


@register()
def check_shipped_rules(app_configs, **kwargs):
    """Return an error for every invalid rule in the shipped rule file (no database access)."""
    from planner.rulefile import DATA_FILE, RuleFileError, read_rules_file

    try:
        read_rules_file(DATA_FILE)
    except RuleFileError as exc:
        return [
            Error(
                f"Shipped rule file {DATA_FILE.name}: {problem}",
                hint=(
                    "Fix planner/data/default_rules.json (docs/rule-file.md lists the rule fields)."
                ),
                id="planner.E010",
            )
            for problem in exc.problems
        ]
    return []


@register()
def check_show_if(app_configs, **kwargs):
    """Return an error for every question whose show_if does not compile or looks ahead."""
    from planner.catalog import show_if_errors

    return [
        Error(
            f"Question {key}: show_if: {message}",
            hint=(
                "Fix the question's show_if in planner/questions.py: it may name only questions "
                "asked before it (and facts), with their listed choice values."
            ),
            id="planner.E011",
        )
        for key, messages in show_if_errors().items()
        for message in messages
    ]
