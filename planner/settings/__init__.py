"""Settings read from the environment, with safe development defaults (see .env.example)."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from planner.env import (
    database_config,
    env_bool,
    env_int,
    env_list,
    env_str,
    generated_storage,
    proxy_ssl_header,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEV_SECRET_KEY = "django-insecure-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "planner",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "planner.throttle.LoginThrottleMiddleware",
]

ROOT_URLCONF = "planner.urls"
WSGI_APPLICATION = "planner.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    }
]

DATABASES = {
    "default": database_config(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every sign-in (the app's and the admin's) goes through the throttled backend.
AUTHENTICATION_BACKENDS = ["planner.throttle.ThrottledModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Email: invitations and password resets. Development prints messages to the console; set
# DJANGO_EMAIL_BACKEND=smtp (and the EMAIL_* variables) to send them for real. Django 6.1
# configures mail through MAILERS (the EMAIL_BACKEND/EMAIL_HOST settings are deprecated).
_email_backend = env_str("DJANGO_EMAIL_BACKEND").strip().lower() or ("console" if DEBUG else "smtp")
MAILERS: dict[str, dict[str, object]]
if _email_backend == "console":
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
elif _email_backend == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 587, minimum=1),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": env_int("EMAIL_TIMEOUT", 10, minimum=1),
            },
        }
    }
else:
    raise ImproperlyConfigured(
        f"DJANGO_EMAIL_BACKEND={_email_backend!r} is not known: use console or smtp."
    )
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Planner <planner@localhost>")
# Invitation links last this many days.
PLANNER_INVITATION_DAYS = env_int("PLANNER_INVITATION_DAYS", 7, minimum=1)

# Sign-in throttling (planner/throttle.py): password checks allowed per username + address and
# per address across usernames within the cool-off window; counted in the database before the
# password is checked, so parallel attempts cannot overrun the limit.
PLANNER_LOGIN_FAILURE_LIMIT = env_int("PLANNER_LOGIN_FAILURE_LIMIT", 5, minimum=1)
PLANNER_LOGIN_IP_FAILURE_LIMIT = env_int("PLANNER_LOGIN_IP_FAILURE_LIMIT", 20, minimum=1)
PLANNER_LOGIN_COOLOFF_MINUTES = env_int("PLANNER_LOGIN_COOLOFF_MINUTES", 15, minimum=1)

# Behind a proxy: how many proxies in front of the app append to the client-IP header (0: none,
# use the connection's address), which header that is, and the header that says "https".
PLANNER_TRUSTED_PROXY_COUNT = env_int("PLANNER_TRUSTED_PROXY_COUNT", 0, minimum=0)
PLANNER_CLIENT_IP_HEADER = env_str("PLANNER_CLIENT_IP_HEADER", "X-Forwarded-For")
SECURE_PROXY_SSL_HEADER = proxy_ssl_header("DJANGO_SECURE_PROXY_SSL_HEADER")

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Generated files (PDFs) live in the "generated" storage: the file system by default, any
# S3-compatible store when PLANNER_S3_BUCKET is set (django-storages), so every machine sees them.
PLANNER_GENERATED_DIR = Path(env_str("PLANNER_GENERATED_DIR", str(BASE_DIR / "var" / "generated")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "generated": generated_storage(PLANNER_GENERATED_DIR),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Clean-up bounds (manage.py clean_generated): PDFs unused for this many days go, then the
# least recently used until the total is under the size bound.
PLANNER_GENERATED_MAX_AGE_DAYS = env_int("PLANNER_GENERATED_MAX_AGE_DAYS", 30, minimum=1)
PLANNER_GENERATED_MAX_MB = env_int("PLANNER_GENERATED_MAX_MB", 1024, minimum=1)

# PDFs are rendered by background workers (manage.py db_worker) from a database queue. With
# PLANNER_PDF_INLINE (default: on in DEBUG) they render inside the request instead, so the
# development server needs no worker. A worker that has not finished a render within the lease
# is taken for dead and the render is queued again, at most PLANNER_PDF_MAX_ATTEMPTS times.
PLANNER_PDF_INLINE = (
    env_bool("PLANNER_PDF_INLINE", DEBUG) if env_str("PLANNER_PDF_INLINE").strip() else DEBUG
)
PLANNER_PDF_LEASE_SECONDS = env_int("PLANNER_PDF_LEASE_SECONDS", 120, minimum=1)
PLANNER_PDF_MAX_ATTEMPTS = env_int("PLANNER_PDF_MAX_ATTEMPTS", 3, minimum=1)
PLANNER_PDF_REFRESH_SECONDS = env_int("PLANNER_PDF_REFRESH_SECONDS", 2, minimum=1)
# The waiting page and the admin warn that no worker is running once a queued render has
# waited this long.
PLANNER_PDF_WORKER_ALERT_MINUTES = env_int("PLANNER_PDF_WORKER_ALERT_MINUTES", 5, minimum=1)
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if PLANNER_PDF_INLINE
        else "django_tasks_db.DatabaseBackend"
    }
}
# Printed on the PDF cover: the consulting practice (after the author's name; empty: none) and
# the confidentiality line.
PLANNER_PRACTICE_NAME = env_str("PLANNER_PRACTICE_NAME", "")
PLANNER_CONFIDENTIALITY_NOTICE = (
    env_str("PLANNER_CONFIDENTIALITY_NOTICE")
    or "Confidential: prepared for the named customer only. Do not distribute further."
)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("REDIS_URL"),
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers. A strict policy: our own static files only, no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The customer roster posts one set of fields per row (500 rows and the empty ones, about 15
# fields each): Django's default of 1,000 fields would refuse a full roster with a 400.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 12_000

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container health check speaks plain http
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step at INFO; keep its warnings (e.g. a refused URL).
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

if DEBUG:
    import warnings

    # In development static files come from the finders; STATIC_ROOT exists after collectstatic.
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
