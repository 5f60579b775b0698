"""gunicorn settings for production (the Dockerfile, compose.yaml) and the load test.

PDFs are rendered by background workers (manage.py db_worker), never in a request, so every
thread here serves pages. Bind to loopback unless told otherwise: outside a container the app
belongs behind a proxy on the same machine; the Docker image sets GUNICORN_BIND=0.0.0.0:8000.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
