"""manage.py plan: build the architecture plan from an answers file, without saving anything."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from planner import answercheck, catalog, export, rules, safejson, textsafety
from planner.answers import Answers
from planner.management.outpath import (
    check_out_path,
    config_out_path,
    write_folder,
    write_out,
)
from planner.models import Rule
from planner.plans import make_plan, plan_to_json

FORMATS = ("json", "html", "pdf", "svg", "config")
EXIT_INVALID = 2


def answer_errors(answers: object, read: Answers | None = None) -> list[str]:
    """Return every problem of an answers document, each naming its question key."""
    errors = answercheck.shape_errors(answers)
    if not isinstance(answers, dict):
        return errors
    read = read if read is not None else catalog.read_answers(answers)
    shape_wrong = {e.split(":", 1)[0] for e in errors}
    for section_errors in catalog.errors_by_section(read).values():
        for key, messages in section_errors.items():
            if key not in shape_wrong:
                errors.extend(f"{key}: {message}" for message in messages)
    return errors


class Command(BaseCommand):
    help = (
        "Build the architecture plan for an answers file (question key -> value, as the wizard "
        "stores them) with the enabled rules, and write it as JSON, HTML, PDF, SVG, or as Auth0 "
        "Deploy CLI and Terraform configuration files (config: --out names a folder, or a .zip). "
        "The answers are validated as the wizard does; any error is printed with its question key "
        "and the command exits with status 2. Nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--answers", required=True, help="Path of the answers JSON file ('-' for stdin)."
        )
        parser.add_argument(
            "--format", choices=FORMATS, default="json", help="Output format (default: json)."
        )
        parser.add_argument(
            "--out",
            help="Write to this file instead of standard output (with --format config: a folder, "
            "or a path ending in .zip for the zip).",
        )
        parser.add_argument("--name", help="Project name on the plan (default: the company name).")
        parser.add_argument("--author", default="", help="Author named on the plan.")

    def handle(self, *args, **options):
        if options["format"] == "config":
            out = config_out_path(options["out"])
        else:
            out = options["out"] and check_out_path(options["out"], f"plan.{options['format']}")
        for option in ("name", "author"):
            problem = textsafety.first_problem(options[option] or "", multiline=False)
            if problem:
                raise CommandError(f"--{option}: {problem}", returncode=EXIT_INVALID)
        answers = self._read(options["answers"])
        read = catalog.read_answers(answers) if isinstance(answers, dict) else None
        errors = answer_errors(answers, read)
        if errors or read is None:  # answer_errors reports a non-object
            raise CommandError(
                f"{len(errors)} problem(s) in the answers:\n"
                + "\n".join(f"  {e}" for e in textsafety.bounded_lines(errors)),
                returncode=EXIT_INVALID,
            )
        assert isinstance(answers, dict)  # answer_errors refused anything else
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
        if options["format"] == "config":
            self._write_config(plan, out)
            return
        content = self._render(plan, options["format"])
        if out:
            write_out(out, content)
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

    def _write_config(self, plan, out: Path) -> None:
        try:
            files = export.config_files(plan)
        except export.ExportRefused as refused:
            raise CommandError(
                f"The configuration cannot be exported: {len(refused.errors)} problem(s):\n"
                + "\n".join(f"  {e}" for e in textsafety.bounded_lines(refused.errors)),
                returncode=EXIT_INVALID,
            ) from None
        if out.suffix == ".zip":
            write_out(out, export.zip_bytes(files))
        else:
            write_folder(out, files)
        size = sum(len(content) for content in files.values())
        self.stderr.write(
            f"Wrote the configuration for {plan.name!r} to {out}: {len(files)} files "
            f"({size:,} bytes) for {len(plan.topology.tenants)} tenants."
        )

    def _read(self, source: str) -> object:
        try:
            data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        except OSError as exc:
            raise CommandError(
                f"Cannot read {source}: {exc.strerror or exc}", returncode=EXIT_INVALID
            ) from exc
        try:
            return safejson.loads(data)
        except safejson.JSONInputError as exc:
            problem = str(exc)
            raise CommandError(
                f"{source}: {problem[0].lower()}{problem[1:]}", returncode=EXIT_INVALID
            ) from None

    def _render(self, plan, fmt: str) -> bytes:
        if fmt == "json":
            return (json.dumps(plan_to_json(plan), indent=2, ensure_ascii=False) + "\n").encode()
        if fmt == "svg":
            return plan.svg.encode()
        from planner import pdf

        if fmt == "html":
            return pdf.plan_html(plan, standalone=True).encode()
        return pdf.render_plan_pdf(plan)[2]
