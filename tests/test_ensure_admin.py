from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(**kwargs) -> str:
    out = StringIO()
    call_command("ensure_admin", stdout=out, **kwargs)
    return out.getvalue()


def test_creates_a_first_administrator_once_and_says_how_to_sign_in(
    monkeypatch, settings, tmp_path
):
    settings.BASE_DIR = tmp_path
    monkeypatch.delenv("PLANNER_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("PLANNER_ADMIN_USERNAME", raising=False)
    first = run(url="http://127.0.0.1:8123/")
    password = (tmp_path / "var" / "initial-admin-password.txt").read_text().strip()
    assert "sign in at http://127.0.0.1:8123/accounts/login/ as 'admin'" in first
    assert password in first
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password(password)

    second = run()
    assert "Administrator exists: sign in at" in second and "'admin'" in second
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_uses_the_configured_username_and_password(monkeypatch, settings, tmp_path):
    settings.BASE_DIR = tmp_path
    monkeypatch.setenv("PLANNER_ADMIN_USERNAME", "root-architect")
    monkeypatch.setenv("PLANNER_ADMIN_PASSWORD", "a-long-chosen-passphrase")
    out = run()
    assert "'root-architect'" in out
    assert (
        get_user_model()
        .objects.get(username="root-architect")
        .check_password("a-long-chosen-passphrase")
    )
    assert not (tmp_path / "var" / "initial-admin-password.txt").exists()
