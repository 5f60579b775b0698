"""Projects in the admin, with their members (roles) inline."""

from django import forms
from django.contrib import admin

from planner import sharing
from planner.models import Membership, Project
from planner.safeforms import ProjectAdminForm


class MembershipFormSet(forms.BaseInlineFormSet):
    """The owner field's user stays an owner member, so a project always keeps an owner."""

    def clean(self):
        super().clean()
        owner_id = self.instance.owner_id
        for form in self.forms:
            user = form.cleaned_data.get("user") if hasattr(form, "cleaned_data") else None
            if user is None or user.pk != owner_id:
                continue
            if form.cleaned_data.get("DELETE") or form.cleaned_data.get("role") != "owner":
                raise forms.ValidationError(
                    f"{user.get_username()} is the project's owner (the Owner field above) and "
                    "stays an owner member. To hand the project over, choose the new owner in "
                    "the Owner field first, save, then change this member."
                )


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    fk_name = "project"
    fields = ["user", "role", "added_by", "added_at"]
    readonly_fields = ["added_by", "added_at"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    form = ProjectAdminForm
    inlines = [MembershipInline]
    list_display = ["name", "owner", "created_at", "updated_at"]
    search_fields = ["name", "owner__username"]
    readonly_fields = ["code", "created_at", "updated_at", "version"]

    def save_formset(self, request, form, formset, change):
        """Save member changes and record each with the administrator who made it."""
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        project = form.instance
        before = dict(Membership.objects.filter(project=project).values_list("pk", "role"))
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            name, role = membership.user.get_username(), before.get(membership.pk, "")
            membership.delete()
            sharing.record_change(project, request.user, name, role, "")
        for membership in memberships:
            if membership.pk is None:
                # Saving the project already made a new owner field's user a member: update.
                existing = Membership.objects.filter(project=project, user=membership.user).first()
                membership.pk = existing.pk if existing else None
                membership.added_by = existing.added_by if existing else request.user
                before.setdefault(membership.pk, existing.role if existing else "")
            old = before.get(membership.pk, "")
            membership.save()
            if old != membership.role:
                sharing.record_change(
                    project, request.user, membership.user.get_username(), old, membership.role
                )
        formset.save_m2m()
