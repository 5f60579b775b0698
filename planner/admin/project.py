"""Projects in the admin."""

from django.contrib import admin

from planner.models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "created_at", "updated_at"]
    search_fields = ["name", "owner__username"]
    readonly_fields = ["code", "created_at", "updated_at", "version"]
