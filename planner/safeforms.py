"""Form pieces that keep typed text safe: names, descriptions and JSON typed in the admin."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput, JSONString

from planner import answercheck, catalog, safejson, textsafety
from planner.models import Project

__all__ = ["ProjectAdminForm", "SafeJSONField", "clean_description", "clean_name"]

INVISIBLE_NAME = (
    "The name has only invisible or formatting characters: enter a name people can read."
)


def clean_name(value: str, empty_message: str) -> str:
    """Return a one-line name without invisible characters; refuse one with nothing visible."""
    cleaned = textsafety.visible_or_empty(value or "")
    if not cleaned:
        raise ValidationError(INVISIBLE_NAME if (value or "").strip() else empty_message)
    return cleaned


def clean_description(value: str) -> str:
    """Return free text without invisible characters (line breaks kept)."""
    return textsafety.clean(value or "", multiline=True).strip()


class SafeJSONField(forms.JSONField):
    """A JSON form field read with the bounded reader: a clear message, never a 500."""

    def to_python(self, value):
        if self.disabled:
            return value
        if value in self.empty_values:
            return None
        if isinstance(value, list | dict | int | float | JSONString):
            return value
        try:
            converted = safejson.loads(value)
        except safejson.JSONInputError as exc:
            raise ValidationError(str(exc), code="invalid") from None
        return JSONString(converted) if isinstance(converted, str) else converted

    def bound_data(self, data, initial):
        if self.disabled:
            return initial
        if data is None:
            return None
        try:
            return safejson.loads(data)
        except safejson.JSONInputError:
            return InvalidJSONInput(data)


class ProjectAdminForm(forms.ModelForm):
    """The admin's project form: the answers must have the shape the wizard stores."""

    answers = SafeJSONField(
        required=False,
        help_text='An object of question keys and values, e.g. {"company_name": "Hoopla"}.',
    )
    touched_sections = SafeJSONField(
        required=False, help_text='A list of section keys, e.g. ["context", "provisioning"].'
    )

    class Meta:
        model = Project
        fields = ["owner", "name", "description", "answers", "touched_sections", "finished_at"]

    def clean_name(self):
        return clean_name(self.cleaned_data.get("name", ""), "Enter a name for the project.")

    def clean_description(self):
        return clean_description(self.cleaned_data.get("description", ""))

    def clean_answers(self):
        answers = self.cleaned_data.get("answers")
        if answers is None:
            return {}
        errors = answercheck.shape_errors(answers, bound_sizes=True)
        if errors:
            raise ValidationError(textsafety.bounded_lines(errors, limit=10))
        return answers

    def clean_touched_sections(self):
        touched = self.cleaned_data.get("touched_sections")
        if touched is None:
            return []
        known = [section.key for section in catalog.SECTIONS]
        if not isinstance(touched, list) or not all(isinstance(key, str) for key in touched):
            raise ValidationError("Enter a list of section keys: " + ", ".join(known) + ".")
        unknown = [key for key in touched if key not in known]
        if unknown:
            raise ValidationError(
                f"Unknown section key(s): {textsafety.listing(unknown)}. Use: {', '.join(known)}."
            )
        return list(dict.fromkeys(touched))
