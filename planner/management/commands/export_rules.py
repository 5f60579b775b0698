"""Write every recommendation rule as JSON (the schema of planner/data/default_rules.json)."""

import sys

from django.core.management.base import BaseCommand

from planner.management.outpath import check_out_path, write_out
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
        out = options["out"] and check_out_path(options["out"], "rules.json")
        text = export_json()
        count = Rule.objects.count()
        if out:
            write_out(out, text.encode("utf-8", "backslashreplace"))
            self.stdout.write(f"Rules: {count} exported to {options['out']}.")
        else:
            self.stdout.write(text, ending="")
            sys.stderr.write(f"Rules: {count} exported.\n")
