"""The answer history in the admin."""

from django.contrib import admin

from planner.models import AnswerChange


@admin.register(AnswerChange)
class AnswerChangeAdmin(admin.ModelAdmin):
    list_display = ["project", "question", "user", "changed_at"]
    list_filter = ["section"]
    readonly_fields = ["project", "user", "section", "question", "old_value", "new_value"]
