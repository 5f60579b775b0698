"""Projects in the admin."""

from django.contrib import admin

from planner.models import Project
from planner.safeforms import ProjectAdminForm


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    form = ProjectAdminForm
    list_display = ["name", "owner", "created_at", "updated_at"]
    search_fields = ["name", "owner__username"]
    readonly_fields = ["code", "created_at", "updated_at", "version"]
