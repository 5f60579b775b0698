"""The rule admin: edit with inline validation, preview on a project, impact, history, files."""

from __future__ import annotations

import threading
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from planner import catalog, conditions, rulecheck, rulefile, rules, textsafety, wizard
from planner.access import admin_visible_projects
from planner.markdown import render_markdown
from planner.models import SECTION_ORDER, Project, Rule, RuleChange

MAX_IMPORT_BYTES = 2 * 1024 * 1024
IMPACT_PROJECT_LIST = 10


# --------------------------------------------------------------------------------------------
# References as "Title | URL" lines


def references_to_lines(references) -> str:
    """Return references as one "Title | URL" line each."""
    return "\n".join(
        f"{ref.get('title', '')} | {ref.get('url', '')}"
        for ref in references or []
        if isinstance(ref, dict)
    )


def lines_to_references(text: str) -> tuple[list[dict], list[str]]:
    """Parse "Title | URL" lines; return (references, errors)."""
    references, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        title, bar, url = line.rpartition("|")
        if not bar or not title.strip() or not url.strip():
            errors.append(f"Line {number}: write Title | https://… (a title, a bar, a URL).")
            continue
        references.append({"title": title.strip(), "url": url.strip()})
    return references, errors


class RuleForm(forms.ModelForm):
    references_text = forms.CharField(
        label="References",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}),
        help_text="One per line: Title | https://auth0.com/docs/…",
    )

    class Meta:
        model = Rule
        fields = [
            "key",
            "section",
            "priority",
            "position",
            "enabled",
            "title",
            "condition",
            "recommendation",
            "rationale",
        ]
        widgets = {
            "condition": forms.Textarea(
                attrs={"rows": 3, "class": "vLargeTextField rule-condition", "spellcheck": "false"}
            ),
        }
        help_texts = {
            "condition": (
                'e.g. user_isolation == "isolated" and not enterprise. '
                "See the question reference for every key and value."
            ),
            "recommendation": (
                "Markdown. {question_key} or {fact} inserts the answer; {{ and }} are literal "
                "braces. Raw HTML is shown as text."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["references_text"] = references_to_lines(self.instance.references)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        references, reference_errors = lines_to_references(cleaned.get("references_text", ""))
        for message in reference_errors:
            self.add_error("references_text", message)
        cleaned["references"] = references
        errors = rulefile.validate_rule_fields(
            key=cleaned.get("key") if "key" not in self.errors else None,
            condition=cleaned.get("condition", self.data.get("condition", "")),
            recommendation=cleaned.get("recommendation", ""),
            rationale=cleaned.get("rationale", ""),
            references=references,
        )
        for name, field_messages in rulecheck.rule_content_errors(
            {**cleaned, "references": references}
        ).items():
            errors.setdefault(name, []).extend(field_messages)
        field_for = {"references": "references_text"}
        for name, field_messages in errors.items():
            target = field_for.get(name, name)
            if target in self.errors:
                continue  # the field's own validation already said what is wrong
            for message in field_messages:
                self.add_error(target, message)
        return cleaned

    def save(self, commit=True):
        self.instance.references = self.cleaned_data["references"]
        return super().save(commit)


# --------------------------------------------------------------------------------------------
# Impact: on how many saved projects each rule fires

_impact_lock = threading.Lock()
_impact_cache: dict[str, Any] = {"stamp": None, "values": None, "counts": None}


def _projects_stamp() -> tuple:
    from django.db.models import Count, Max

    row = Project.objects.aggregate(n=Count("id"), latest=Max("updated_at"), top=Max("id"))
    return (row["n"], row["latest"], row["top"])


def project_values() -> list[tuple[Project, dict]]:
    """Return (project, effective answers + facts) for every saved project, cached."""
    stamp = _projects_stamp()
    with _impact_lock:
        if _impact_cache["stamp"] != stamp or _impact_cache["values"] is None:
            projects = Project.objects.only("id", "code", "name", "answers").order_by("name")
            _impact_cache["values"] = [(p, rules.values_for(p.answers)) for p in projects]
            _impact_cache["stamp"] = stamp
            _impact_cache["counts"] = None
        return _impact_cache["values"]


def impact_counts() -> dict[str, int]:
    """Return the number of saved projects each rule (enabled or not) fires on."""
    rule_stamp = rules.rules_stamp()
    values = project_values()
    cached = _impact_cache["counts"]
    if cached is not None and cached[0] == rule_stamp:
        return cached[1]
    schema = catalog.condition_schema()
    counts: dict[str, int] = {}
    for rule in Rule.objects.only("key", "condition"):
        try:
            condition = conditions.compile(rule.condition, schema)
        except conditions.ConditionError:
            continue
        counts[rule.key] = sum(1 for _, v in values if condition.evaluate(v))
    _impact_cache["counts"] = (rule_stamp, counts)
    return counts


def projects_fired_on(condition_text: str) -> tuple[list[tuple[Project, dict]], int]:
    """Return (project, values) of the saved projects a condition fires on, and how many
    projects there are."""
    values = project_values()
    try:
        condition = conditions.compile(condition_text, catalog.condition_schema())
    except conditions.ConditionError:
        return [], len(values)
    return [(p, v) for p, v in values if condition.evaluate(v)], len(values)


# --------------------------------------------------------------------------------------------
# Import form


class ImportForm(forms.Form):
    file = forms.FileField(label="Rule file (JSON)", help_text="As written by Export.")


# --------------------------------------------------------------------------------------------
# Admins


PREVIEW_BUTTON = "_preview"


class PreviewOnly:
    """A bound rule form that validates (showing its errors) but never counts as valid."""

    def is_valid(self) -> bool:
        super().is_valid()  # type: ignore[misc]
        return False


def _condition_errors(condition: str) -> list[str]:
    return (
        rulefile.validate_rule_fields(
            condition=condition, recommendation="x", rationale="x", references=[]
        ).get("condition")
        or []
    )


def _questions_involved(condition: str, values: dict) -> list[dict[str, str]]:
    """Return the questions a (firing) condition involves on one project's values."""
    try:
        _, reasons = rules.evaluate_rule(Rule(condition=condition), values)
    except conditions.ConditionError:
        return []
    return wizard.questions_involved(reasons)


def _deleted(content: dict) -> dict:
    return {name: [value, None] for name, value in content.items()}


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    form = RuleForm
    list_display = ["key", "title", "section", "priority", "enabled", "impact"]
    list_display_links = ["key"]
    list_filter = ["section", "priority", "enabled"]
    search_fields = ["key", "title", "condition"]
    list_per_page = 100
    actions = ["enable_rules", "disable_rules", "export_rules"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["key", "title", ("section", "priority", "position"), "enabled"]}),
        ("When", {"fields": ["condition"]}),
        ("What and why", {"fields": ["recommendation", "rationale", "references_text"]}),
    ]

    class Media:
        css = {"all": ["css/admin-rules.css"]}
        js = ["js/admin-rules.js"]

    # --- list ---------------------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if getattr(request, "_rules_changelist", False):
            counts = impact_counts()
            queryset = queryset.annotate(
                impact_count=Case(
                    *(When(key=key, then=Value(n)) for key, n in counts.items()),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
        return queryset

    def get_ordering(self, request):
        return [_section_rank().asc(), "position", "key"]  # the plan's section order

    def changelist_view(self, request, extra_context=None):
        request._rules_changelist = True
        if request.method == "GET":
            warn_broken_rules(self, request)
        extra_context = {**(extra_context or {}), "project_count": len(project_values())}
        return super().changelist_view(request, extra_context)

    @admin.display(description="Impact (projects)", ordering="impact_count")
    def impact(self, obj):
        return getattr(obj, "impact_count", "")

    # --- change page --------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            warn_broken_rules(self, request, object_id)
        # "Preview" posts the whole form: it is validated and shown again as typed, never saved.
        request._rule_preview = request.method == "POST" and PREVIEW_BUTTON in request.POST
        extra_context = {**(extra_context or {}), **self._page_context(request, object_id)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if getattr(request, "_rule_preview", False):
            return type(form_class.__name__, (PreviewOnly, form_class), {})
        return form_class

    def _impact(self, request, condition: str, conflict: bool) -> dict:
        """The projects a condition fires on; for a conflict rule, with the questions involved."""
        fired_on, total = projects_fired_on(condition)
        visible = set(admin_visible_projects(request.user).values_list("id", flat=True))
        named = [(project, v) for project, v in fired_on if project.id in visible]
        shown = named[:IMPACT_PROJECT_LIST]
        return {
            "impact_projects": [project for project, _ in shown],
            "impact_count": len(fired_on),
            "impact_more": max(0, len(fired_on) - min(len(named), IMPACT_PROJECT_LIST)),
            "project_count": total,
            "impact_conflict": conflict,
            "impact_conflicts": [
                {"project": project, "questions": _questions_involved(condition, v)}
                for project, v in shown
            ]
            if conflict
            else [],
        }

    def _page_context(self, request, object_id) -> dict:
        rule = self.get_object(request, object_id) if object_id else None
        context: dict = {"reference_url": reverse("admin:planner_rule_reference")}
        if request._rule_preview:
            typed = request.POST.get("condition", "")
            conflict = request.POST.get("priority") == "conflict"
            context.update(self._impact(request, typed, conflict), impact_as_typed=True)
            context["impact_errors"] = _condition_errors(typed)
        elif rule is not None:
            context.update(self._impact(request, rule.condition, rule.priority == "conflict"))
        if rule is not None:
            context.update(
                rule_history=[
                    _history_row(change)
                    for change in RuleChange.objects.filter(rule_key=rule.key)
                    .select_related("user")
                    .order_by("-changed_at", "-id")[:50]
                ],
            )
        context["preview"] = self._preview(request, rule)
        # Who may post the form previews it as typed; view-only staff preview the saved rule.
        context["preview_posts_form"] = (
            self.has_change_permission(request, rule) if rule else self.has_add_permission(request)
        )
        return context

    def _preview_input(self, request, rule: Rule | None) -> tuple[str, str | None, str, str]:
        """Return (project code, condition, recommendation, priority) to preview: as typed when
        posted."""
        if request._rule_preview:
            post = request.POST
            return (
                post.get("preview_project", ""),
                post.get("condition", ""),
                post.get("recommendation", ""),
                post.get("priority", ""),
            )
        text = request.GET.get("preview_condition")
        saved = rule.condition if rule else ""
        return (
            request.GET.get("preview_project", ""),
            saved if text is None else text,
            rule.recommendation if rule else "",
            rule.priority if rule else "",
        )

    def _preview(self, request, rule: Rule | None) -> dict:
        """The "preview against a project" form and, when asked, its result."""
        projects = admin_visible_projects(request.user).only("code", "name").order_by("name", "id")
        code, condition, recommendation, priority = self._preview_input(request, rule)
        asked = bool(code) or request._rule_preview or "preview_condition" in request.GET
        preview: dict = {
            "projects": projects,
            "selected": code,
            "condition": condition or "",
            "conflict": priority == "conflict",
        }
        if not asked:
            return preview
        project = projects.filter(code=code).first() if _is_uuid(code) else None
        if project is None:
            preview["errors"] = ["Choose a saved project."]
            return preview
        preview["project"] = project
        condition_errors = _condition_errors(preview["condition"])
        if condition_errors:
            preview["errors"] = condition_errors
            return preview
        values = rules.values_for(project.answers)
        fired, reasons = rules.evaluate_rule(Rule(condition=preview["condition"]), values)
        preview.update(fired=fired, reasons=reasons, ran=True)
        if preview["conflict"]:
            preview["questions"] = wizard.questions_involved(reasons)
        if fired and recommendation:
            preview["recommendation_html"] = render_markdown(
                rules.interpolate(recommendation, values)
            )
        return preview

    # --- recording every change ---------------------------------------------------------

    def save_model(self, request, obj, form, change):
        old = None
        if change:
            previous = Rule.objects.filter(pk=obj.pk).first()
            old = rules.rule_content(previous) if previous else None
        super().save_model(request, obj, form, change)
        delta = rulefile.diff(old, rules.rule_content(obj))
        if delta:
            action = "changed" if change else "created"
            rulefile.record_change(obj.key, action, delta, request.user)

    def delete_model(self, request, obj):
        content = rules.rule_content(obj)
        super().delete_model(request, obj)
        rulefile.record_change(content["key"], "deleted", _deleted(content), request.user)

    def delete_queryset(self, request, queryset):
        contents = [rules.rule_content(rule) for rule in queryset]
        super().delete_queryset(request, queryset)
        RuleChange.objects.bulk_create(
            RuleChange(rule_key=c["key"], user=request.user, action="deleted", changes=_deleted(c))
            for c in contents
        )

    # --- actions ------------------------------------------------------------------------

    def _set_enabled(self, request, queryset, enabled: bool) -> None:
        to_change = list(queryset.exclude(enabled=enabled).values_list("key", flat=True))
        Rule.objects.filter(key__in=to_change).update(enabled=enabled, updated_at=timezone.now())
        action = "enabled" if enabled else "disabled"
        RuleChange.objects.bulk_create(
            RuleChange(
                rule_key=key,
                user=request.user,
                action=action,
                changes={"enabled": [not enabled, enabled]},
            )
            for key in to_change
        )
        self.message_user(request, f"{len(to_change)} rule(s) {action}.", messages.SUCCESS)

    @admin.action(description="Enable selected rules", permissions=["change"])
    def enable_rules(self, request, queryset):
        self._set_enabled(request, queryset, True)

    @admin.action(description="Disable selected rules", permissions=["change"])
    def disable_rules(self, request, queryset):
        self._set_enabled(request, queryset, False)

    @admin.action(description="Export selected rules as JSON", permissions=["view"])
    def export_rules(self, request, queryset):
        return _json_download(rulefile.export_json(queryset))

    # --- extra pages --------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("reference/", wrap(self.reference_view), name="planner_rule_reference"),
            path("import/", wrap(self.import_view), name="planner_rule_import"),
            path("export/", wrap(self.export_all_view), name="planner_rule_export"),
            *super().get_urls(),
        ]

    def _context(self, request, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "media": self.media,
        }

    def reference_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self._context(request, "Question reference"),
            "sections": [
                {
                    "section": section,
                    "questions": [_question_entry(q) for q in section.questions],
                }
                for section in catalog.SECTIONS
            ],
            "facts": [_fact_entry(name, info) for name, info in catalog.FACTS.items()],
        }
        return TemplateResponse(request, "admin/planner/rule/reference.html", context)

    def export_all_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return _json_download(rulefile.export_json())

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        problems: list[str] = []
        problem_count = 0
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                if upload.size > MAX_IMPORT_BYTES:
                    problems = [f"The file is larger than {MAX_IMPORT_BYTES // 1024} KB."]
                    problem_count = 1
                else:
                    try:
                        rule_dicts = rulefile.parse_rules_bytes(upload.read())
                    except rulefile.RuleFileError as exc:
                        problems = textsafety.bounded_lines(exc.problems)
                        problem_count = len(exc.problems)
                    else:
                        result = rulefile.upsert_rules(
                            rule_dicts, overwrite=True, action="imported", user=request.user
                        )
                        self.message_user(request, result.summary(), messages.SUCCESS)
                        return redirect("admin:planner_rule_changelist")
        else:
            form = ImportForm()
        context = {
            **self._context(request, "Import rules"),
            "form": form,
            "problems": problems,
            "problem_count": problem_count,
        }
        return TemplateResponse(request, "admin/planner/rule/import.html", context)


def warn_broken_rules(model_admin, request, object_id=None) -> None:
    """Tell staff which enabled rules cannot run (plans leave them out) and why."""
    broken = [rule for rule in rules.current_ruleset().rules if rule.error]
    if object_id is not None:
        if not str(object_id).isdigit():
            return
        key = Rule.objects.filter(pk=object_id).values_list("key", flat=True).first()
        for rule in broken:
            if rule.key == key:
                model_admin.message_user(
                    request,
                    f"This rule cannot run, so plans leave it out: {rule.error}",
                    messages.WARNING,
                )
    elif broken:
        model_admin.message_user(
            request,
            f"{len(broken)} enabled rule(s) cannot run, so plans leave them out: "
            f"{textsafety.listing([rule.key for rule in broken])}. Open each to see why.",
            messages.WARNING,
        )


def _section_rank() -> Case:
    return Case(
        *(When(section=key, then=Value(rank)) for key, rank in SECTION_ORDER.items()),
        default=Value(len(SECTION_ORDER)),
        output_field=IntegerField(),
    )


def _history_row(change: RuleChange) -> dict:
    pairs = change.changes if isinstance(change.changes, dict) else {}
    initial = bool(pairs) and all(
        isinstance(pair, list) and pair and pair[0] is None for pair in pairs.values()
    )
    return {"change": change, "initial": initial, "pairs": pairs}


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _json_download(text: str) -> HttpResponse:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rules-{stamp}.json"'
    return response


def _snippet(key: str, kind: str, value: str | None = None) -> str:
    if kind == "single":
        return f'{key} == "{value}"'
    if kind == "multi":
        return f'"{value}" in {key}'
    if kind == "int":
        return f"{key} > 1"
    if kind == "bool":
        return key
    if kind == "roster":
        return f"count({key}) > 0"
    return f"answered({key})"


def _question_entry(question) -> dict:
    first = question.choices[0].value if question.choices else None
    return {
        "question": question,
        "snippet": _snippet(question.key, question.type, first),
        "choices": [
            {"choice": c, "snippet": _snippet(question.key, question.type, c.value)}
            for c in question.choices
        ],
    }


def _fact_entry(name: str, info) -> dict:
    return {"name": name, "info": info, "snippet": _snippet(name, info.kind)}
