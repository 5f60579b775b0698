"""Settings for the benchmarks' gunicorn: the production settings plus two changes.

- ROOT_URLCONF is ``BENCH_URLCONF`` (default ``bench.pages_urls``: planner.urls and the two
  comparison pages of bench/bench_pages.py; bench/load.py uses plain ``planner.urls``).
- STATIC_ROOT is ``BENCH_STATIC_ROOT`` (a temporary directory collected by the benchmark), so
  the benchmark never writes to the repository's staticfiles/.

Everything else (DEBUG off, secure cookies, password hashers, middleware) is production's.
"""

import os

from planner.settings import *  # noqa: F403
from planner.settings import TEMPLATES

ROOT_URLCONF = os.environ.get("BENCH_URLCONF", "bench.pages_urls")
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]

BENCH_TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BENCH_TEMPLATES]}]

# bench/load.py --fast-hasher: sign-ins without the production hasher's deliberate cost.
if os.environ.get("BENCH_PASSWORD_HASHERS"):
    PASSWORD_HASHERS = os.environ["BENCH_PASSWORD_HASHERS"].split(",")
