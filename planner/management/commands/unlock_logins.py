"""Clear sign-in throttling counters, for a username, an address, or everyone."""

from django.core.management.base import BaseCommand, CommandError

from planner import throttle


class Command(BaseCommand):
    help = (
        "Unlock sign-in after repeated failures: --username NAME (at every address), "
        "--ip ADDRESS (every username there and the address itself), or --all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", help="Username to unlock (case-insensitive).")
        parser.add_argument("--ip", help="Client address to unlock.")
        parser.add_argument("--all", action="store_true", help="Clear every counter.")

    def handle(self, *args, username=None, ip=None, all=False, **options):
        if not (username or ip or all):
            raise CommandError("Say what to unlock: --username NAME, --ip ADDRESS or --all.")
        if all and (username or ip):
            raise CommandError("--all clears everything: use it without --username or --ip.")
        removed = throttle.unlock(username=username, ip=ip)
        self.stdout.write(f"Cleared {removed} sign-in counter{'s' if removed != 1 else ''}.")
