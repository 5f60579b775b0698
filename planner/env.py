"""Read typed settings from the environment, refusing bad values with a clear message."""

import os
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from dj_database_url import DBConfig

SQLITE_BUSY_TIMEOUT_SECONDS = 20
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """Return the variable's value, or the default when it is not set."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Return a boolean from true/false, yes/no, on/off or 1/0."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use true or false (also accepted: 1/0, yes/no, on/off)."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Return an integer, at least `minimum` when given."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a whole number: use e.g. {default}."
        ) from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is too small: use {minimum} or more.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated list, blanks dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_config(url: str) -> "DBConfig":
    """Return Django's DATABASES entry for a sqlite:// or postgres:// URL."""
    import dj_database_url

    if not url.startswith(("sqlite:", "postgres:", "postgresql:", "pgsql:")):
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r} is not supported: use sqlite:///path/to/db.sqlite3 "
            "or postgres://user:password@host:5432/name."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL could not be read: {error}") from error
    if config["ENGINE"].endswith("sqlite3"):
        # WAL lets readers work while one connection writes; the busy timeout makes a writer wait
        # for the lock instead of failing with "database is locked"; IMMEDIATE takes the write
        # lock when a transaction starts, so two transactions never deadlock upgrading a read.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
            "transaction_mode": "IMMEDIATE",
        }
    return config


def proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """Return Django's SECURE_PROXY_SSL_HEADER from "Header-Name: value", or None when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    header, sep, value = raw.partition(":")
    header, value = header.strip(), value.strip()
    if not sep or not header or not value or not all(c.isalnum() or c == "-" for c in header):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not 'Header-Name: value': use e.g. 'X-Forwarded-Proto: https', "
            "and set it only when a proxy you run always sets that header."
        )
    return "HTTP_" + header.upper().replace("-", "_"), value


def generated_storage(directory) -> dict:
    """Return the STORAGES entry for generated files: S3 when PLANNER_S3_BUCKET is set."""
    bucket = env_str("PLANNER_S3_BUCKET").strip()
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(directory)},
        }
    options: dict[str, object] = {
        "bucket_name": bucket,
        "location": env_str("PLANNER_S3_PREFIX", "generated"),
    }
    for option, variable in (
        ("endpoint_url", "PLANNER_S3_ENDPOINT_URL"),
        ("region_name", "PLANNER_S3_REGION"),
        ("access_key", "PLANNER_S3_ACCESS_KEY_ID"),
        ("secret_key", "PLANNER_S3_SECRET_ACCESS_KEY"),
    ):
        if env_str(variable).strip():
            options[option] = env_str(variable).strip()
    # Generated files are private: no public ACL, downloads go through our views.
    options["default_acl"] = "private"
    options["querystring_auth"] = True
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
