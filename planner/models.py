"""Projects (answer sets), their answer history, and the recommendation rules."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from planner.questions import SECTION_TITLES

SECTION_CHOICES = list(SECTION_TITLES)
# "conflict": a contradiction between answers (or the roster and the answers) to resolve or
# accept consciously; listed apart from, and before, the recommendations (docs/rule-file.md).
PRIORITY_CHOICES = [
    ("conflict", "Conflict"),
    ("must", "Must"),
    ("should", "Should"),
    ("consider", "Consider"),
]
PRIORITY_ORDER = {"conflict": 0, "must": 1, "should": 2, "consider": 3}
RECOMMENDATION_PRIORITIES = ("must", "should", "consider")
SECTION_ORDER = {key: index for index, (key, _) in enumerate(SECTION_CHOICES)}


class Project(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="projects"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    answers = models.JSONField(default=dict, blank=True)
    touched_sections = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("project_detail", args=[self.code])


class AnswerChange(models.Model):
    """One answer changed by one user at one time: the project's answer history."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    section = models.CharField(max_length=40)
    question = models.CharField(max_length=60)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.question} on {self.project_id}"


class Rule(models.Model):
    key = models.SlugField(max_length=80, unique=True)
    section = models.CharField(max_length=20, choices=SECTION_CHOICES)
    title = models.CharField(max_length=200)
    recommendation = models.TextField(help_text="Markdown; {question_key} inserts an answer.")
    rationale = models.TextField(help_text="Markdown.")
    priority = models.CharField(max_length=10, choices=PRIORITY_CHOICES)
    references = models.JSONField(default=list, blank=True)
    condition = models.TextField(help_text="A condition over the answers and facts.")
    enabled = models.BooleanField(default=True)
    position = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["section", "position", "key"]

    def __str__(self):
        return self.key


class RuleChange(models.Model):
    """Who changed which rule, when, and what (field: [old, new])."""

    rule_key = models.CharField(max_length=80, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=20)  # created, changed, deleted, imported, enabled…
    changes = models.JSONField(default=dict, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.action} {self.rule_key}"
