"""What load_rules and import_rules share: reading a rule file and reporting an upsert."""

from django.core.management.base import BaseCommand, CommandError

from planner import textsafety
from planner.management.outpath import EXIT_INVALID
from planner.rulefile import RuleFileError, UpsertResult, read_rules_file


class RuleFileCommand(BaseCommand):
    def read_rule_file(self, path: str, verb: str) -> list[dict]:
        """Return the file's rules, or fail listing every problem ("nothing <verb>")."""
        try:
            return read_rules_file(path)
        except RuleFileError as exc:
            raise CommandError(
                f"{path}: nothing {verb}, {len(exc.problems)} problem(s):\n  "
                + "\n  ".join(textsafety.bounded_lines(exc.problems)),
                returncode=EXIT_INVALID,
            ) from None

    def report(self, result: UpsertResult, options, *, kept: bool = False) -> None:
        """Print the keys touched (dry run or -v 2) and the one-line summary."""
        groups = [
            ("create", result.created),
            ("update", result.updated),
            ("upgrade", result.upgraded),
        ]
        if kept:
            groups.append(("differ (kept)", result.differ))
        if options["dry_run"] or options["verbosity"] >= 2:
            for label, keys in groups:
                for key in keys:
                    self.stdout.write(f"  {label}: {key}")
        elif kept and result.differ:
            self.stdout.write(f"Edited locally (kept): {', '.join(result.differ)}")
        prefix = "Dry run, nothing changed. " if options["dry_run"] else ""
        self.stdout.write(prefix + result.summary())
