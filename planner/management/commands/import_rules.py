"""Import recommendation rules from a rule file, all or nothing."""

from planner.management.rulefile import RuleFileCommand
from planner.rulefile import upsert_rules


class Command(RuleFileCommand):
    help = (
        "Import rules from a JSON rule file (schema planner.rules/1, as written by export_rules). "
        "Every rule is validated first; if any has errors they are listed and nothing changes. "
        "Rules are upserted by key: new keys are created, existing ones overwritten; rules not "
        "in the file are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The rule file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )

    def handle(self, *args, **options):
        rule_dicts = self.read_rule_file(options["path"], "imported")
        result = upsert_rules(
            rule_dicts, overwrite=True, action="imported", dry_run=options["dry_run"]
        )
        self.report(result, options)
