from django.contrib import admin

from planner.models import AnswerChange, Project
from planner.safeforms import ProjectAdminForm


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    form = ProjectAdminForm
    list_display = ["name", "owner", "created_at", "updated_at"]
    search_fields = ["name", "owner__username"]
    readonly_fields = ["code", "created_at", "updated_at", "version"]


@admin.register(AnswerChange)
class AnswerChangeAdmin(admin.ModelAdmin):
    list_display = ["project", "question", "user", "changed_at"]
    list_filter = ["section"]
    readonly_fields = ["project", "user", "section", "question", "old_value", "new_value"]


from planner import rules_admin  # noqa: E402,F401

# The rule list and forms need the width more than the app list needs a permanent sidebar.
admin.site.enable_nav_sidebar = False
