"""Benchmark the PDF: our full render vs WeasyPrint alone, and a cached download vs a fresh one.

Run: .venv/bin/python bench/bench_pdf.py   (targets: overhead ratio <= 1.3, cache speed-up >= 20x)
"""

import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "planner.settings.test"
DB_FILE = Path(tempfile.mkdtemp(prefix="bench-pdf-")) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.urls import reverse  # noqa: E402

from tests.helpers import signed_in_client  # noqa: E402

RUNS = 5


def median_seconds(fn, runs=RUNS):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def largest_example() -> tuple[str, dict]:
    from tests.helpers import load_examples

    examples = load_examples()
    key = max(examples, key=lambda k: len(examples[k]["expected"]["tenants"]))
    return key, examples[key]["answers"]


def render_timings(project) -> tuple[float, float, float, float]:
    """Return median seconds of (full render, WeasyPrint alone, tagged alone, plan + HTML)."""
    import weasyprint  # warm: import once, outside the timings

    from planner import pdf
    from planner.plans import build_plan

    html = pdf.plan_html(build_plan(project))
    pdf.html_to_pdf(html)  # warm fonts and caches

    def full():
        pdf.render_plan_pdf(build_plan(project))

    def weasyprint_alone():
        weasyprint.HTML(
            string=html, base_url=pdf.PDF_BASE_URL, url_fetcher=pdf.make_url_fetcher()
        ).write_pdf()

    def weasyprint_alone_tagged():
        weasyprint.HTML(
            string=html, base_url=pdf.PDF_BASE_URL, url_fetcher=pdf.make_url_fetcher()
        ).write_pdf(pdf_variant=pdf.PDF_VARIANT)

    # Interleave, rotating which goes first, so drift on a shared machine hits all alike.
    full_times, alone_times, tagged_times = [], [], []
    for run in range(RUNS):
        trio = [(full, full_times), (weasyprint_alone, alone_times)]
        trio.append((weasyprint_alone_tagged, tagged_times))
        for fn, times in trio[run % 3 :] + trio[: run % 3]:
            gc.collect()
            times.append(median_seconds(fn, 1))
    prepare_s = median_seconds(lambda: pdf.plan_html(build_plan(project)), RUNS * 4)
    medians = (statistics.median(t) for t in (full_times, alone_times, tagged_times))
    return (*medians, prepare_s)


def download_timings(user, project) -> tuple[float, float, int]:
    """Return median seconds of (fresh download, cached download) and the PDF's page count."""
    client = signed_in_client(user)
    url = reverse("plan_pdf", args=[project.code])
    cache_dir = Path(settings.PLANNER_GENERATED_DIR) / "pdf"

    def download():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        b"".join(response.streaming_content)

    def fresh_download():
        for cached in cache_dir.glob("*.pdf"):
            cached.unlink()
        download()

    download()
    fresh_s = median_seconds(fresh_download)
    download()
    cached_s = median_seconds(download, RUNS * 4)
    pages = len(__import__("pypdf").PdfReader(str(next(cache_dir.glob("*.pdf")))).pages)
    return fresh_s, cached_s, pages


def main():
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    call_command("migrate", verbosity=0)
    call_command("load_rules", verbosity=0)

    from planner.models import Project

    key, answers = largest_example()
    user = get_user_model().objects.create_user("bench", password="bench-password")
    project = Project.objects.create(owner=user, name="Benchmark project", answers=answers)

    full_s, alone_s, tagged_s, prepare_s = render_timings(project)
    fresh_s, cached_s, pages = download_timings(user, project)

    print(f"PDF benchmark: example {key} ({pages} pages), median of {RUNS} runs")
    print(f"  (a) full render (build plan + HTML + WeasyPrint): {full_s * 1000:8.1f} ms")
    print(f"  (b) WeasyPrint alone on the same HTML:            {alone_s * 1000:8.1f} ms")
    print(f"      ratio a/b: {full_s / alone_s:.3f} (target <= 1.3)")
    print(f"  (b2) WeasyPrint alone, tagged PDF/UA-1 as we write: {tagged_s * 1000:8.1f} ms")
    print(f"      ratio a/b2: {full_s / tagged_s:.3f} (our overhead over the same tagged render)")
    print(f"      of which build plan + HTML alone:             {prepare_s * 1000:8.1f} ms")
    print(f"  (c) fresh download through the view:              {fresh_s * 1000:8.1f} ms")
    print(f"      cached download through the view:             {cached_s * 1000:8.1f} ms")
    print(f"      speed-up fresh/cached: {fresh_s / cached_s:.1f}x (target >= 20x)")


if __name__ == "__main__":
    main()
