"""Sign-in throttling that holds under concurrency, and the client's address behind proxies.

Each password check is counted in the database *before* the password is checked, inside one
transaction that locks the counter rows (IMMEDIATE on SQLite, row locks on PostgreSQL). So any
number of parallel attempts gets at most the limit of password checks: the rest are refused with
429 and Retry-After. A successful sign-in gives its own slot back (not the others': resetting the
count would let a burst that contains the right password run past the limit). Two keys are
counted: a username at an address, and the address across all usernames.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone

from planner.models import LoginThrottle

UNKNOWN_ADDRESS = "unknown"


def client_ip(request) -> str:
    """Return the client's address: REMOTE_ADDR, or the header entry our trusted proxies added."""
    remote = request.META.get("REMOTE_ADDR") or UNKNOWN_ADDRESS
    count = settings.PLANNER_TRUSTED_PROXY_COUNT
    if not count:
        return remote
    meta_name = "HTTP_" + settings.PLANNER_CLIENT_IP_HEADER.upper().replace("-", "_")
    values = [v.strip() for v in request.META.get(meta_name, "").split(",") if v.strip()]
    if not values:
        return remote
    # Each trusted proxy appends the address it saw: the entry `count` from the right was added
    # by our outermost proxy; anything left of it came from the client and may be forged.
    candidate = values[-count] if len(values) >= count else values[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _user_key(username: str, ip: str) -> str:
    digest = hashlib.sha256(username.casefold().encode("utf-8", "surrogatepass")).hexdigest()
    return f"user:{digest[:40]}:{ip}"


def _ip_key(ip: str) -> str:
    return f"ip:{ip}"


def _window() -> timedelta:
    return timedelta(minutes=settings.PLANNER_LOGIN_COOLOFF_MINUTES)


def reserve_attempt(username: str, ip: str) -> int | None:
    """Count one password check; return None if allowed, else the seconds until it would be."""
    now = timezone.now()
    window = _window()
    limits = [
        (_user_key(username, ip), settings.PLANNER_LOGIN_FAILURE_LIMIT, username[:150]),
        (_ip_key(ip), settings.PLANNER_LOGIN_IP_FAILURE_LIMIT, ""),
    ]
    retry_after = 0
    with transaction.atomic():
        rows = []
        for key, limit, name in limits:
            row, _ = LoginThrottle.objects.select_for_update().get_or_create(
                key=key,
                defaults={
                    "username": name,
                    "ip_address": ip[:64],
                    "window_start": now,
                    "last_attempt_at": now,
                },
            )
            if row.window_start + window <= now:
                row.attempts, row.window_start = 0, now
            if row.attempts >= limit:
                seconds = (row.window_start + window - now).total_seconds()
                retry_after = max(retry_after, math.ceil(seconds), 1)
            rows.append(row)
        if not retry_after:
            for row in rows:
                row.attempts += 1
        for row in rows:
            row.last_attempt_at = now
            row.save()
    return retry_after or None


def release_attempt(username: str, ip: str) -> None:
    """Give back a successful sign-in's own slot (only its own: the limit keeps holding)."""
    LoginThrottle.objects.filter(
        key__in=[_user_key(username, ip), _ip_key(ip)], attempts__gt=0
    ).update(attempts=F("attempts") - 1)


def unlock(*, username: str | None = None, ip: str | None = None) -> int:
    """Delete the counters for a username and/or an address (all when neither); return how many."""
    rows = LoginThrottle.objects.all()
    if username is not None:
        rows = rows.filter(username__iexact=username)
    if ip is not None:
        rows = rows.filter(ip_address=ip)
    return rows.delete()[0]


class ThrottledModelBackend(ModelBackend):
    """Django's model backend with every password check counted first (see module docstring)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if request is None or username is None or password is None:
            return super().authenticate(request, username, password, **kwargs)
        ip = client_ip(request)
        retry_after = reserve_attempt(str(username), ip)
        if retry_after is not None:
            request.login_retry_after = retry_after
            return None
        user = super().authenticate(request, username, password, **kwargs)
        if user is not None:
            release_attempt(str(username), ip)
        return user


class LoginThrottleMiddleware:
    """Answer a refused sign-in with 429, Retry-After and a page saying how long to wait."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        retry_after = getattr(request, "login_retry_after", None)
        if retry_after is None:
            return response
        response = render(
            request,
            "registration/locked_out.html",
            {"retry_minutes": math.ceil(retry_after / 60)},
            status=429,
        )
        response["Retry-After"] = str(retry_after)
        return response
