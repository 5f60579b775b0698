"""Sign-in throttle counters in the admin: read-only; deleting rows unlocks those sign-ins."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.utils import timezone

from planner.models import LoginThrottle


def _limit(row: LoginThrottle) -> int:
    if row.key.startswith("ip:"):
        return settings.PLANNER_LOGIN_IP_FAILURE_LIMIT
    return settings.PLANNER_LOGIN_FAILURE_LIMIT


def _window_start_after():
    return timezone.now() - timedelta(minutes=settings.PLANNER_LOGIN_COOLOFF_MINUTES)


class KindFilter(admin.SimpleListFilter):
    title = "counted for"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("user", "a username at an address"), ("ip", "an address (all usernames)")]

    def queryset(self, request, queryset):
        if self.value() == "user":
            return queryset.filter(key__startswith="user:")
        if self.value() == "ip":
            return queryset.filter(key__startswith="ip:")
        return queryset


class CurrentWindowFilter(admin.SimpleListFilter):
    title = "window"
    parameter_name = "window"

    def lookups(self, request, model_admin):
        return [("current", "current (still counting)"), ("expired", "expired")]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.filter(window_start__gt=_window_start_after())
        if self.value() == "expired":
            return queryset.filter(window_start__lte=_window_start_after())
        return queryset


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "username",
        "ip_address",
        "attempts",
        "blocked",
        "window_start",
        "last_attempt_at",
    ]
    list_filter = [KindFilter, CurrentWindowFilter, "last_attempt_at"]
    search_fields = ["username", "ip_address"]
    ordering = ["-last_attempt_at"]
    readonly_fields = [
        "key",
        "username",
        "ip_address",
        "attempts",
        "window_start",
        "last_attempt_at",
    ]

    @admin.display(description="Counted for")
    def kind(self, obj):
        return "address" if obj.key.startswith("ip:") else "username at address"

    @admin.display(description="Blocked now", boolean=True)
    def blocked(self, obj):
        return obj.attempts >= _limit(obj) and obj.window_start > _window_start_after()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
