"""Load the shipped recommendation rules (planner/data/default_rules.json) into the database."""

from django.core.management.base import BaseCommand, CommandError

from planner.rules import DATA_FILE, RuleFileError, read_rules_file, upsert_rules


class Command(BaseCommand):
    help = (
        "Load the default recommendation rules, upserting by key. Without --force only missing "
        "rules are created: a rule whose text differs from the file is kept as edited locally "
        "and reported. --force overwrites such rules with the file's version. Rules that are not "
        "in the file are never deleted. Every rule is validated first; if any is invalid nothing "
        "changes. Safe to run on every start."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", default=str(DATA_FILE), help="Rule file to load (default: the shipped one)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite rules that differ from the file (discards local edits).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )

    def handle(self, *args, **options):
        try:
            rule_dicts = read_rules_file(options["file"])
        except RuleFileError as exc:
            raise CommandError(
                f"{options['file']}: nothing loaded, {len(exc.problems)} problem(s):\n  "
                + "\n  ".join(exc.problems)
            ) from exc
        result = upsert_rules(
            rule_dicts, overwrite=options["force"], action="loaded", dry_run=options["dry_run"]
        )
        verbose = options["verbosity"] >= 2 or options["dry_run"]
        if verbose:
            for label, keys in (
                ("create", result.created),
                ("update", result.updated),
                ("differ (kept)", result.differ),
            ):
                for key in keys:
                    self.stdout.write(f"  {label}: {key}")
        elif result.differ:
            self.stdout.write(f"Edited locally (kept): {', '.join(result.differ)}")
        prefix = "Dry run, nothing changed. " if options["dry_run"] else ""
        self.stdout.write(prefix + result.summary())
