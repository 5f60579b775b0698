"""gunicorn settings for production (the Dockerfile) and the load test.

Threaded workers: a PDF render keeps its thread busy for seconds, and with sync workers every
other request would queue behind it; with threads the other pages keep being served. PDF
renders themselves are bounded machine-wide by PLANNER_PDF_RENDER_SLOTS (planner/pdf.py).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
