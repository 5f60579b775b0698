"""The rule change log in the admin: read-only, written by the rule admin and the commands."""

from django.contrib import admin

from planner.models import RuleChange


@admin.register(RuleChange)
class RuleChangeAdmin(admin.ModelAdmin):
    list_display = ["changed_at", "rule_key", "action", "user", "changed_fields"]
    list_filter = ["action"]
    search_fields = ["rule_key"]
    readonly_fields = ["rule_key", "user", "action", "changes", "changed_at"]

    @admin.display(description="Fields")
    def changed_fields(self, obj):
        return ", ".join(obj.changes or {})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
