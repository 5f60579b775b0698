"""Bound the generated files (PDFs) by age and total size; remove files no row refers to."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from planner.models import PlanPdf
from planner.tasks import generated_storage

PDF_DIR = "pdf"


class Command(BaseCommand):
    help = (
        "Delete generated PDFs unused for --max-age-days, then the least recently used until the "
        "total is within --max-mb (or --max-bytes), and files no PDF record refers to. Safe to "
        "run at any time, e.g. daily from cron; a deleted PDF is rendered again when asked for."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-age-days",
            type=int,
            default=settings.PLANNER_GENERATED_MAX_AGE_DAYS,
            help="Remove PDFs not downloaded for this many days (PLANNER_GENERATED_MAX_AGE_DAYS).",
        )
        parser.add_argument(
            "--max-mb",
            type=int,
            default=settings.PLANNER_GENERATED_MAX_MB,
            help="Keep at most this many megabytes of PDFs (PLANNER_GENERATED_MAX_MB).",
        )
        parser.add_argument("--max-bytes", type=int, help="The size bound in bytes instead.")

    def handle(self, *args, max_age_days, max_mb, max_bytes=None, **options):
        if max_age_days < 1 or max_mb < 1 or (max_bytes is not None and max_bytes < 0):
            raise CommandError("--max-age-days and --max-mb must be 1 or more, --max-bytes 0+.")
        limit = max_bytes if max_bytes is not None else max_mb * 1024 * 1024
        now = timezone.now()
        storage = generated_storage()
        doomed = []
        # Renders in progress are never touched; everything else is judged by its last use.
        settled = PlanPdf.objects.filter(
            Q(status__in=[PlanPdf.READY, PlanPdf.FAILED])
            | Q(lease_until__lt=now - timedelta(days=1))
        )
        total = 0
        for row in settled.order_by("-last_used_at", "-id"):
            too_old = row.last_used_at < now - timedelta(days=max_age_days)
            if too_old or total + row.size > limit:
                doomed.append(row)
            else:
                total += row.size
        freed = 0
        for row in doomed:
            if row.file_name:
                storage.delete(row.file_name)
            freed += row.size
            row.delete()
        known = set(PlanPdf.objects.exclude(file_name="").values_list("file_name", flat=True))
        strays = 0
        if storage.exists(PDF_DIR):
            for name in storage.listdir(PDF_DIR)[1]:
                path = f"{PDF_DIR}/{name}"
                if path not in known:
                    storage.delete(path)
                    strays += 1
        self.stdout.write(
            f"Removed {len(doomed)} PDF{'s' if len(doomed) != 1 else ''} "
            f"({freed // 1024} KiB) and {strays} stray file{'s' if strays != 1 else ''}; "
            f"kept {PlanPdf.objects.count()} ({total // 1024} KiB)."
        )
