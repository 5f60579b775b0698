"""Rendered PDFs in the admin: read-only, with a "Retry" action for failed renders."""

from django.conf import settings
from django.contrib import admin, messages
from django.template.defaultfilters import filesizeformat

from planner import tasks
from planner.models import PlanPdf

PDF_FIELDS: tuple[str, ...] = (
    "key",
    "status",
    "file_name",
    "size",
    "attempts",
    "renders",
    "worker",
    "lease_until",
    "error",
    "created_at",
    "rendered_at",
    "last_used_at",
)


@admin.register(PlanPdf)
class PlanPdfAdmin(admin.ModelAdmin):
    list_display = [
        "short_key",
        "status",
        "attempts",
        "renders",
        "file_size",
        "worker",
        "created_at",
        "rendered_at",
        "last_used_at",
        "short_error",
    ]
    list_filter = ["status", "renders", "created_at", "rendered_at", "last_used_at"]
    search_fields = ["key", "worker", "error"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    # The stored HTML can be large and says nothing an administrator needs: left out.
    fields = readonly_fields = PDF_FIELDS
    actions = ["retry"]

    @admin.display(description="Key", ordering="key")
    def short_key(self, obj):
        return obj.key[:12]

    @admin.display(description="Size", ordering="size")
    def file_size(self, obj):
        return filesizeformat(obj.size) if obj.size else ""

    @admin.display(description="Error")
    def short_error(self, obj):
        return obj.error[:120]

    @admin.action(description="Retry the selected failed PDFs", permissions=["change"])
    def retry(self, request, queryset):
        failed = queryset.filter(status=PlanPdf.FAILED).count()
        queued = tasks.retry_failed(queryset)
        skipped = queryset.count() - queued
        self.message_user(
            request,
            f"Queued {queued} failed PDF{'s' if queued != 1 else ''} again"
            + (f"; {skipped} left as they were (only failed PDFs are retried)." if skipped else ".")
            + ("" if queued == failed else " Some had changed meanwhile: reload the list."),
            messages.SUCCESS if queued else messages.WARNING,
        )

    def changelist_view(self, request, extra_context=None):
        idle = tasks.workers_idle_minutes()
        if idle is not None:
            self.message_user(
                request,
                f"No worker has picked up a PDF for {idle} minutes: start "
                "`python manage.py db_worker` (see the README, PDFs and workers). "
                f"Warned after {settings.PLANNER_PDF_WORKER_ALERT_MINUTES} minutes "
                "(PLANNER_PDF_WORKER_ALERT_MINUTES).",
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The list answers for the "Retry" action; no PDF is edited by hand.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
