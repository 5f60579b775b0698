import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure a first administrator exists and print how to sign in. Uses "
        "PLANNER_ADMIN_USERNAME / PLANNER_ADMIN_PASSWORD when set; otherwise creates 'admin' with "
        "a random password stored in var/initial-admin-password.txt. Changes nothing when a "
        "superuser already exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="Where the app is served, for the hint."
        )

    def handle(self, *args, **options):
        login_url = options["url"].rstrip("/") + "/accounts/login/"
        users = get_user_model()
        username = os.environ.get("PLANNER_ADMIN_USERNAME", "admin")
        password_file = settings.BASE_DIR / "var" / "initial-admin-password.txt"
        admin = users.objects.filter(is_superuser=True).order_by("pk").first()
        if admin is not None:
            hint = (
                f"the password in {password_file}"
                if password_file.exists() and admin.username == username
                else "its password"
            )
            self.stdout.write(
                f"Administrator exists: sign in at {login_url} as '{admin.username}' with {hint} "
                f"(change it with: python manage.py changepassword {admin.username})."
            )
            return
        password = os.environ.get("PLANNER_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        users.objects.create_superuser(username=username, email="", password=password)
        if "PLANNER_ADMIN_PASSWORD" not in os.environ:
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created administrator: sign in at {login_url} as "
                f"'{username}' with password '{password}'"
                + (
                    f" (also saved in {password_file})."
                    if "PLANNER_ADMIN_PASSWORD" not in os.environ
                    else "."
                )
            )
        )
