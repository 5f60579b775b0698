"""Forms for projects (the wizard's questions are rendered from the catalog, not by forms)."""

from django import forms

from planner.models import Project
from planner.safeforms import clean_description, clean_name


class ProjectForm(forms.ModelForm):
    """Name and describe a project."""

    class Meta:
        model = Project
        fields = ["name", "description"]
        labels = {"name": "Project name", "description": "Description (optional)"}
        help_texts = {
            "name": "Something you and your colleagues will recognise, such as the product name.",
            "description": "What the plan is for, who it is for; shown on the project page.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_name(self):
        return clean_name(self.cleaned_data["name"], "Enter a name for the project.")

    def clean_description(self):
        return clean_description(self.cleaned_data["description"])
