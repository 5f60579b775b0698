"""Import recommendation rules from a rule file, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from planner.rules import RuleFileError, read_rules_file, upsert_rules


class Command(BaseCommand):
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
        try:
            rule_dicts = read_rules_file(options["path"])
        except RuleFileError as exc:
            raise CommandError(
                f"{options['path']}: nothing imported, {len(exc.problems)} problem(s):\n  "
                + "\n  ".join(exc.problems)
            ) from exc
        result = upsert_rules(
            rule_dicts, overwrite=True, action="imported", dry_run=options["dry_run"]
        )
        if options["dry_run"] or options["verbosity"] >= 2:
            for label, keys in (("create", result.created), ("update", result.updated)):
                for key in keys:
                    self.stdout.write(f"  {label}: {key}")
        prefix = "Dry run, nothing changed. " if options["dry_run"] else ""
        self.stdout.write(prefix + result.summary())
