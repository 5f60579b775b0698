"""Sign-in throttling: per username + address and per address, 429 with Retry-After, unlocking,
the client's address behind proxies, and the limit holding under parallel attempts (issue 10,
break 1) against a real gunicorn on SQLite or PostgreSQL."""

import http.cookiejar
import re
import sys
import threading
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from planner import throttle
from planner.models import LoginThrottle
from tests import processes
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.7"


def attempt(client, username, password, ip=ADDRESS, **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )


def test_locked_answer_is_429_with_retry_after(owner, settings):
    settings.PLANNER_LOGIN_COOLOFF_MINUTES = 15
    client = Client()
    for _ in range(settings.PLANNER_LOGIN_FAILURE_LIMIT):
        assert attempt(client, "olivia", "wrong").status_code == 200
    response = attempt(client, "olivia", PASSWORD)
    assert response.status_code == 429
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    assert b"Wait about 15 minutes" in response.content


def test_one_address_trying_many_usernames_is_throttled(django_user_model, settings):
    settings.PLANNER_LOGIN_IP_FAILURE_LIMIT = 20
    django_user_model.objects.create_user(username="victim", password=PASSWORD)
    client = Client()
    statuses = [attempt(client, f"user{n}", "wrong").status_code for n in range(30)]
    assert statuses[:20] == [200] * 20
    assert statuses[20:] == [429] * 10
    # The address is paused for every username, including a real one with its right password…
    assert attempt(client, "victim", PASSWORD).status_code == 429
    # …but not for the same people elsewhere.
    assert attempt(Client(), "victim", PASSWORD, ip="198.51.100.1").status_code == 302


def test_successful_sign_in_gives_its_slot_back(owner, settings):
    settings.PLANNER_LOGIN_IP_FAILURE_LIMIT = 3
    for _ in range(10):  # an office signing in all day is never throttled
        client = Client()
        assert attempt(client, "olivia", PASSWORD).status_code == 302
    assert LoginThrottle.objects.get(key=f"ip:{ADDRESS}").attempts == 0


def test_the_window_ends(owner, settings):
    client = Client()
    for _ in range(settings.PLANNER_LOGIN_FAILURE_LIMIT):
        attempt(client, "olivia", "wrong")
    assert attempt(client, "olivia", PASSWORD).status_code == 429
    past = timedelta(minutes=settings.PLANNER_LOGIN_COOLOFF_MINUTES, seconds=1)
    for row in LoginThrottle.objects.all():
        row.window_start -= past
        row.save()
    assert attempt(client, "olivia", PASSWORD).status_code == 302


def test_admin_sign_in_is_throttled_too(staff_user, settings):
    client = Client()
    for _ in range(settings.PLANNER_LOGIN_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "sam", "password": "wrong"}, REMOTE_ADDR=ADDRESS)
    response = client.post(
        "/admin/login/", {"username": "sam", "password": PASSWORD}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_unlock_command(owner, other_user, settings, capsys):
    for name in ("olivia", "mallory"):
        for _ in range(settings.PLANNER_LOGIN_FAILURE_LIMIT):
            attempt(Client(), name, "wrong")
    call_command("unlock_logins", "--username", "OLIVIA")
    assert "Cleared 1 sign-in counter." in capsys.readouterr().out
    assert attempt(Client(), "olivia", PASSWORD).status_code == 302
    assert attempt(Client(), "mallory", PASSWORD).status_code == 429
    call_command("unlock_logins", "--ip", ADDRESS)
    assert attempt(Client(), "mallory", PASSWORD).status_code == 302
    with pytest.raises(CommandError, match="Say what to unlock"):
        call_command("unlock_logins")
    call_command("unlock_logins", "--all")
    assert not LoginThrottle.objects.exists()


@pytest.mark.parametrize(
    ("proxies", "header", "meta", "expected"),
    [
        (0, "X-Forwarded-For", {"HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.9"),
        (1, "X-Forwarded-For", {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, "1.2.3.4"),
        (2, "X-Forwarded-For", {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4, 10.0.0.2"}, "1.2.3.4"),
        (1, "X-Real-IP", {"HTTP_X_REAL_IP": "2001:db8::1"}, "2001:db8::1"),
        (1, "X-Forwarded-For", {}, "10.0.0.9"),
        (1, "X-Forwarded-For", {"HTTP_X_FORWARDED_FOR": "not-an-address"}, "10.0.0.9"),
    ],
)
def test_client_ip_behind_proxies(settings, proxies, header, meta, expected):
    settings.PLANNER_TRUSTED_PROXY_COUNT = proxies
    settings.PLANNER_CLIENT_IP_HEADER = header
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", **meta)
    assert throttle.client_ip(request) == expected


def test_behind_a_proxy_users_do_not_share_one_address(owner, settings):
    settings.PLANNER_TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.PLANNER_LOGIN_FAILURE_LIMIT):
        attempt(Client(), "olivia", "wrong", ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9")
    locked = attempt(
        Client(), "olivia", PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert locked.status_code == 429
    fine = attempt(Client(), "olivia", PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert fine.status_code == 302


# --- break 1: parallel attempts against a real server ---------------------------------------

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One client with its own cookies, ready to post the sign-in form."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )
        with self.opener.open(base + "/accounts/login/", timeout=30) as page:
            self.token = CSRF_FIELD.search(page.read()).group(1).decode()

    def sign_in(self, username, password) -> int:
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": self.token}
        ).encode()
        try:
            with self.opener.open(self.base + "/accounts/login/", data, timeout=120) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_parallel_wrong_passwords_are_all_counted(tmp_path):
    """40 simultaneous attempts (39 wrong, 1 right): no 500s, at most the limit checked."""
    limit, parallel = 5, 40
    with processes.scratch_database(tmp_path) as url:
        env = processes.app_env(
            url,
            tmp_path,
            PLANNER_LOGIN_FAILURE_LIMIT=str(limit),
            PLANNER_LOGIN_IP_FAILURE_LIMIT="1000",
            WEB_CONCURRENCY="2",
            GUNICORN_THREADS="16",
        )
        processes.manage(env, "migrate", "--noinput")
        processes.manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth.models import User; "
            f"User.objects.create_user('olivia', password='{PASSWORD}')",
        )
        port = processes.free_port()
        env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
        server = processes.start(
            env,
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "planner.wsgi:application",
            log=tmp_path / "gunicorn.log",
        )
        try:
            base = f"http://127.0.0.1:{port}"
            processes.wait_for_http(base + "/healthz", server)
            browsers = [Browser(base) for _ in range(parallel)]
            statuses = [None] * parallel
            start = threading.Barrier(parallel)

            def run(index):
                start.wait()
                password = PASSWORD if index == parallel // 2 else "wrong"
                try:
                    statuses[index] = browsers[index].sign_in("olivia", password)
                except OSError as exc:  # a timeout or a dropped connection counts against us
                    statuses[index] = type(exc).__name__

            threads = [threading.Thread(target=run, args=(i,)) for i in range(parallel)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            processes.stop(server)
        log = (tmp_path / "gunicorn.log").read_text(errors="replace")
        assert 500 not in statuses, log[-3000:]
        checked = [s for s in statuses if s != 429]
        signed_in = statuses.count(302)
        # Each success gives back only its own slot: checks stay within the limit.
        assert signed_in <= 1, statuses
        assert len(checked) <= limit + signed_in, statuses
        assert set(statuses) <= {200, 302, 429}, statuses
