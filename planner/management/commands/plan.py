"""manage.py plan: build the architecture plan from an answers file, without saving anything."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from planner import catalog, rules
from planner.answers import Answers
from planner.models import Rule
from planner.plans import make_plan, plan_to_json

FORMATS = ("json", "html", "pdf", "svg")
EXIT_INVALID = 2

_TYPE_CHECKS = {
    "single": (lambda v: isinstance(v, str), "a string (one choice value)"),
    "multi": (
        lambda v: isinstance(v, list) and all(isinstance(item, str) for item in v),
        "a list of strings (choice values)",
    ),
    "text": (lambda v: isinstance(v, str), "a string"),
    "int": (lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number"),
    "roster": (lambda v: isinstance(v, list), "a list of customer rows (JSON objects)"),
}


def answer_errors(answers: object, read: Answers | None = None) -> list[str]:
    """Return every problem of an answers document, each naming its question key."""
    if not isinstance(answers, dict):
        return ["The answers must be a JSON object mapping question keys to values."]
    read = read if read is not None else catalog.read_answers(answers)
    errors = []
    for key, value in answers.items():
        question = catalog.QUESTIONS.get(key)
        if question is None:
            errors.append(f"{key}: unknown question key.")
            continue
        check, expected = _TYPE_CHECKS[question.type]
        if value is not None and not check(value):
            errors.append(f"{key}: expected {expected}, got {json.dumps(value)}.")
    typed_wrong = {e.split(":", 1)[0] for e in errors}
    for section_errors in catalog.errors_by_section(read).values():
        for key, messages in section_errors.items():
            if key not in typed_wrong:
                errors.extend(f"{key}: {message}" for message in messages)
    return errors


class Command(BaseCommand):
    help = (
        "Build the architecture plan for an answers file (question key -> value, as the wizard "
        "stores them) with the enabled rules, and write it as JSON, HTML, PDF or SVG. The "
        "answers are validated as the wizard does; any error is printed with its question key "
        "and the command exits with status 2. Nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--answers", required=True, help="Path of the answers JSON file ('-' for stdin)."
        )
        parser.add_argument(
            "--format", choices=FORMATS, default="json", help="Output format (default: json)."
        )
        parser.add_argument("--out", help="Write to this file instead of standard output.")
        parser.add_argument("--name", help="Project name on the plan (default: the company name).")
        parser.add_argument("--author", default="", help="Author named on the plan.")

    def handle(self, *args, **options):
        answers = self._read(options["answers"])
        read = catalog.read_answers(answers)
        errors = answer_errors(answers, read)
        if errors:
            raise CommandError(
                f"{len(errors)} problem(s) in the answers:\n" + "\n".join(f"  {e}" for e in errors),
                returncode=EXIT_INVALID,
            )
        ruleset = None
        try:
            has_rules = Rule.objects.exists()
        except DatabaseError:  # not migrated yet: still useful for scripting
            has_rules = False
        if not has_rules:
            self.stderr.write("No rules in the database: using the default rule set.")
            ruleset = rules.CompiledRuleset.from_file()
        name = options["name"] or answers.get("company_name") or "Architecture plan"
        plan = make_plan(read, name=name, author=options["author"], ruleset=ruleset)
        content = self._render(plan, options["format"])
        out = options["out"]
        if out:
            Path(out).write_bytes(content)
            self.stderr.write(
                f"Wrote the {options['format']} plan for {plan.name!r} to {out}: "
                f"{len(plan.topology.tenants)} tenants, {len(plan.recommendations)} "
                f"recommendations, {len(plan.warnings)} warnings."
            )
        elif options["format"] == "pdf":
            self.stdout.flush()
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            self.stdout.write(content.decode(), ending="")

    def _read(self, source: str) -> object:
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(
                f"Cannot read {source}: {exc.strerror or exc}", returncode=EXIT_INVALID
            ) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{source} is not UTF-8 text (byte {exc.start}): save the answers as UTF-8 JSON.",
                returncode=EXIT_INVALID,
            ) from exc
        try:
            return json.loads(text)
        except ValueError as exc:
            raise CommandError(
                f"{source} is not valid JSON: {exc}", returncode=EXIT_INVALID
            ) from exc

    def _render(self, plan, fmt: str) -> bytes:
        if fmt == "json":
            return (json.dumps(plan_to_json(plan), indent=2, ensure_ascii=False) + "\n").encode()
        if fmt == "svg":
            return plan.svg.encode()
        from planner import pdf

        if fmt == "html":
            return pdf.plan_html(plan, standalone=True).encode()
        return pdf.render_plan_pdf(plan)[2]
