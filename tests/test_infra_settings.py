"""Settings for running on more than one machine: SQLite under concurrency, proxies, the
generated-files storage (file system or S3), the shared cache, gunicorn's bind address."""

import os
import runpy
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

from planner.env import database_config, generated_storage, proxy_ssl_header

ROOT = Path(__file__).resolve().parent.parent


def test_sqlite_waits_for_locks_and_writes_immediately():
    options = database_config("sqlite:////tmp/x.sqlite3")["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5
    assert options["transaction_mode"] == "IMMEDIATE"


def test_proxy_ssl_header_only_when_configured(monkeypatch):
    monkeypatch.delenv("X_SSL", raising=False)
    assert proxy_ssl_header("X_SSL") is None
    monkeypatch.setenv("X_SSL", "X-Forwarded-Proto: https")
    assert proxy_ssl_header("X_SSL") == ("HTTP_X_FORWARDED_PROTO", "https")
    for bad in ("X-Forwarded-Proto", "X Forwarded: https", ": https"):
        monkeypatch.setenv("X_SSL", bad)
        with pytest.raises(ImproperlyConfigured, match="is not 'Header-Name: value'"):
            proxy_ssl_header("X_SSL")


def _settings_in_subprocess(env: dict, expression: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PLANNER_"))}
    result = subprocess.run(
        [sys.executable, "-c", f"import planner.settings as s; print({expression})"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_production_trusts_no_forwarded_proto_unless_told():
    production = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 60}
    assert _settings_in_subprocess(production, "s.SECURE_PROXY_SSL_HEADER") == "None"
    told = {**production, "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https"}
    assert _settings_in_subprocess(told, "s.SECURE_PROXY_SSL_HEADER") == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_generated_files_on_disk_by_default_and_s3_when_configured(monkeypatch, tmp_path):
    monkeypatch.delenv("PLANNER_S3_BUCKET", raising=False)
    assert generated_storage(tmp_path) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }
    monkeypatch.setenv("PLANNER_S3_BUCKET", "plans")
    monkeypatch.setenv("PLANNER_S3_ENDPOINT_URL", "http://minio.internal:9000")
    s3 = generated_storage(tmp_path)
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "plans"
    assert s3["OPTIONS"]["endpoint_url"] == "http://minio.internal:9000"
    assert s3["OPTIONS"]["default_acl"] == "private"


def test_gunicorn_binds_loopback_unless_told(monkeypatch):
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["bind"] == "127.0.0.1:8000"
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:8000")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["bind"] == "0.0.0.0:8000"
    assert "GUNICORN_BIND=0.0.0.0:8000" in (ROOT / "Dockerfile").read_text()


def test_redis_cache_when_redis_url_is_set(settings):
    """REDIS_URL selects Django's Redis cache; checked against the local Redis when it runs."""
    url = os.environ.get("PLANNER_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")
    assert (
        _settings_in_subprocess({"REDIS_URL": url}, "s.CACHES['default']['BACKEND']")
        == "django.core.cache.backends.redis.RedisCache"
    )
    settings.CACHES = {
        "default": settings.CACHES["default"],
        "redis": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url},
    }
    cache = caches["redis"]
    key = f"planner-test-{uuid.uuid4()}"
    try:
        cache.set(key, "shared", 30)
    except Exception as exc:  # noqa: BLE001 - no Redis on this machine
        pytest.skip(f"no Redis at {url}: {exc}")
    assert cache.get(key) == "shared"
    cache.delete(key)
