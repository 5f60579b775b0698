"""Load the shipped recommendation rules (planner/data/default_rules.json) into the database."""

from planner.management.rulefile import RuleFileCommand
from planner.rulefile import DATA_FILE, upsert_rules


class Command(RuleFileCommand):
    help = (
        "Load the default recommendation rules, upserting by key. Without --force missing rules "
        "are created and rules still exactly as an earlier release shipped them (never edited) "
        "are upgraded in place; a rule edited locally is kept and reported. --force overwrites "
        "such rules with the file's version. Rules that are not in the file are never deleted. "
        "Every rule is validated first; if any is invalid nothing changes. "
        "Safe to run on every start."
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
        rule_dicts = self.read_rule_file(options["file"], "loaded")
        result = upsert_rules(
            rule_dicts,
            overwrite=options["force"],
            action="loaded",
            dry_run=options["dry_run"],
            upgrade=True,
        )
        self.report(result, options, kept=True)
