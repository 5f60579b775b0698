"""Write every recommendation rule as JSON (the schema of planner/data/default_rules.json)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from planner.models import Rule
from planner.rulefile import export_json


class Command(BaseCommand):
    help = (
        "Export all recommendation rules, enabled or not, as a rule file (schema planner.rules/1) "
        "that import_rules and load_rules --file accept. Writes to standard output unless --out."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", help="File to write (default: standard output).")

    def handle(self, *args, **options):
        text = export_json()
        count = Rule.objects.count()
        if options["out"]:
            Path(options["out"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"Rules: {count} exported to {options['out']}.")
        else:
            self.stdout.write(text, ending="")
            sys.stderr.write(f"Rules: {count} exported.\n")
