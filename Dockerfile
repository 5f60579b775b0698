# Production image: gunicorn serving planner, WeasyPrint's libraries and fonts, non-root user.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=planner.settings \
    DJANGO_DEBUG=false \
    PLANNER_GENERATED_DIR=/app/var/generated \
    GUNICORN_BIND=0.0.0.0:8000

RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fontconfig curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
# collectstatic needs a key to import the settings; the real one comes from the environment at run time.
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-secret-build-time-placeholder-value-0123456789 \
    python manage.py collectstatic --noinput \
    && useradd --create-home --uid 10001 planner \
    && mkdir -p /app/var/generated \
    && chown -R planner:planner /app/var

USER planner
EXPOSE 8000
# The check speaks plain http on loopback with the first allowed host name (healthz is exempt
# from the https redirect), so it passes only when Django and the database answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl -fsS -H "Host: ${DJANGO_ALLOWED_HOSTS%%,*}" http://127.0.0.1:8000/healthz || exit 1

# Run migrations and load the default rules before starting (idempotent). The same image runs
# the PDF workers: `python manage.py db_worker` (see compose.yaml).
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_rules && gunicorn -c gunicorn.conf.py planner.wsgi:application"]
