"""Forms for projects (the wizard's questions are rendered from the catalog, not by forms)."""

from django import forms
from django.contrib.auth.forms import UserCreationForm

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


ROLE_FIELD_CHOICES = [
    ("viewer", "Viewer: reads, downloads, comments"),
    ("editor", "Editor: also answers and saves milestones"),
    ("owner", "Owner: also shares, transfers and deletes"),
]


class AddMemberForm(forms.Form):
    """Share a project with someone who has an account, or invite them by email."""

    who = forms.CharField(
        label="Username or email",
        max_length=254,
        error_messages={"required": "Enter a username or an email address."},
        help_text="A colleague with an account joins at once; an email address without an "
        "account gets an invitation link (valid for 7 days).",
    )
    role = forms.ChoiceField(label="Role", choices=ROLE_FIELD_CHOICES, initial="viewer")

    def clean_who(self):
        who = self.cleaned_data["who"].strip()
        if not who:
            raise forms.ValidationError("Enter a username or an email address.")
        return who


class RoleForm(forms.Form):
    """Change one member's role."""

    role = forms.ChoiceField(label="Role", choices=ROLE_FIELD_CHOICES)


class InvitedSignUpForm(UserCreationForm):
    """Choose a username and password to accept an invitation (the email comes from it)."""

    class Meta(UserCreationForm.Meta):
        fields = ("username",)
        help_texts = {"username": "What you sign in with: letters, digits and @ . + - _ only."}

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.email = email


class MilestoneForm(forms.Form):
    """Name a milestone, and say what it is for."""

    name = forms.CharField(
        label="Milestone name",
        max_length=120,
        error_messages={"required": "Enter a name for the milestone."},
        help_text="E.g. “Sent to the customer for review”.",
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter a name for the milestone.")
        return name


class CommentForm(forms.Form):
    """Add a note to one question of the project."""

    question = forms.ChoiceField(label="Question")
    text = forms.CharField(
        label="Note",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the note."},
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        question = self.fields["question"]
        assert isinstance(question, forms.ChoiceField)
        question.choices = questions
        self.fields["question"].error_messages["invalid_choice"] = (
            "Choose one of the questionnaire's questions."
        )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the note.")
        return text
