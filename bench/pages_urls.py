"""URLconf of the page benchmark: the app's URLs plus two comparison pages.

- ``bench/bare/``: a plain page (base.html and ~2 KB of static text), login required.
- ``bench/crispy/<code>/<section>/``: the same questions as a wizard section, rendered as one
  plain Django form by crispy-forms (Bootstrap 5 pack) inside the same base.html, initial values
  from the project's answers. Login required, the project fetched like the wizard does.
"""

from functools import cache

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import include, path

from planner import catalog
from planner.access import get_project_for_user


@cache
def section_form_class(section_key: str) -> type[forms.Form]:
    """Return a plain Form class with one field per question of the section."""
    fields = {}
    for q in catalog.section(section_key).questions:
        common = {"label": q.label, "help_text": q.help, "required": q.required}
        choices = [(c.value, c.label) for c in q.choices]
        if q.type == "single":
            field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        elif q.type == "multi":
            field = forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        elif q.type == "int":
            field = forms.IntegerField(min_value=q.min_value, max_value=q.max_value, **common)
        else:
            field = forms.CharField(max_length=q.max_length, **common)
        fields[q.key] = field
    return type(f"{section_key.title()}Form", (forms.Form,), fields)


@login_required
def bare(request):
    return render(request, "bench/bare.html")


@login_required
def crispy(request, code, section_key):
    project = get_project_for_user(request.user, code)
    try:
        form_class = section_form_class(section_key)
    except KeyError:
        raise Http404("No such section.") from None
    keys = set(form_class.base_fields)
    form = form_class(initial={k: v for k, v in project.answers.items() if k in keys})
    context = {"form": form, "project": project, "section": catalog.section(section_key)}
    return render(request, "bench/crispy.html", context)


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/crispy/<uuid:code>/<slug:section_key>/", crispy, name="bench_crispy"),
    path("", include("planner.urls")),
]
