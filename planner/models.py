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
    # The answers as they were when Finish last succeeded: "finished" belongs to that version.
    finished_answers = models.JSONField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The creator becomes the first owner member, however the project is created (views,
        # commands, tests): a project without an owner member could never be reached or shared.
        # A full save (e.g. an administrator changing the owner in the admin) keeps the owner
        # field's user an owner member too; the wizard's saves name their fields and skip this.
        update_fields = kwargs.get("update_fields")
        super().save(*args, **kwargs)
        if update_fields is None or "owner" in update_fields:
            Membership.objects.update_or_create(
                project=self, user_id=self.owner_id, defaults={"role": "owner"}
            )

    def get_absolute_url(self):
        return reverse("project_detail", args=[self.code])

    @property
    def is_finished(self) -> bool:
        """Whether the current answers are the ones that were finished (an edit then a revert
        finds them finished again)."""
        return self.finished_at is not None and self.finished_answers == (self.answers or {})

    def answers_changed_since_finished(self) -> int:
        """Return how many answers differ from the finished version (0 when never finished)."""
        if self.finished_answers is None:
            return 0
        old, new = self.finished_answers, self.answers or {}
        return sum(1 for key in {**old, **new} if old.get(key) != new.get(key))


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


ROLE_CHOICES = [("viewer", "Viewer"), ("editor", "Editor"), ("owner", "Owner")]
ROLE_RANK = {"viewer": 0, "editor": 1, "owner": 2}
ROLE_HELP = {
    "viewer": "reads the project, downloads the plan and comments",
    "editor": "also answers questions and saves milestones",
    "owner": "also shares, transfers and deletes the project",
}


class Membership(models.Model):
    """A user's role on a project; every project keeps at least one owner."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=ROLE_CHOICES)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_user")
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self):
        return f"{self.user} ({self.role}) on {self.project_id}"


class SharingChange(models.Model):
    """Who changed whose role on a project, and when (role None: removed)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sharing_changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    member = models.CharField(max_length=254)  # username or invited email: outlives the account
    old_role = models.CharField(max_length=10, blank=True)
    new_role = models.CharField(max_length=10, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.member}: {self.old_role or '-'} → {self.new_role or '-'}"


class Invitation(models.Model):
    """An emailed invitation to create an account and join a project with a role.

    The link carries a signed token naming this row; it expires after
    PLANNER_INVITATION_DAYS and works once (``accepted_at``).
    """

    email = models.EmailField()
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=10, choices=ROLE_CHOICES)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.email} to {self.project_id} as {self.role}"


class Milestone(models.Model):
    """A named, frozen version of a project's plan: never changed after it is saved.

    It keeps the answers, the enabled rules' full content, the plan JSON, the plan page and the
    PDF exactly as they were, so they read the same after answers or rules change.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=120)
    note = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answers = models.JSONField(default=dict)
    rules = models.JSONField(default=list)  # the enabled rules' content, in rule-file form
    ruleset_version = models.CharField(max_length=80)
    fingerprint = models.CharField(max_length=80)
    finished = models.BooleanField(default=False)
    complete = models.BooleanField(default=False)
    plan_json = models.TextField()  # the exact bytes served as the milestone's JSON
    page_html = models.TextField()  # the plan's sections as rendered when saved
    svg = models.TextField(blank=True)  # the topology diagram as drawn when saved
    pdf = models.BinaryField()  # empty until a worker has rendered it (then never changed)
    pdf_filename = models.CharField(max_length=200)
    # While a worker renders the PDF: its print key and exact print document; both emptied once
    # the rendered bytes are in ``pdf``. Kept here (not only in PlanPdf) so a clean-up of the
    # generated files before the copy only means rendering the same document again.
    pdf_key = models.CharField(max_length=64, blank=True, db_index=True)
    pdf_html = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_milestone_number")
        ]

    def __str__(self):
        return f"Milestone {self.number}: {self.name}"

    @property
    def pdf_pending(self) -> bool:
        """Return whether the PDF is still being rendered."""
        return bool(self.pdf_key)


class ChecklistTick(models.Model):
    """One implementation-checklist item's state on a project, and who set it when.

    One row per item, written with an upsert: members ticking different items at once never
    overwrite each other (there is no shared list to read, change and write back).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="checklist_ticks")
    item = models.CharField(max_length=80)  # the rule key of the checklist item
    done = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "item"], name="one_tick_per_item")
        ]

    def __str__(self):
        return f"{self.item}: {'done' if self.done else 'open'}"


class QuestionComment(models.Model):
    """A member's note on one question of a project; notes are added, never overwritten."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    question = models.CharField(max_length=60)
    text = models.TextField(max_length=4000)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.question}: {self.text[:40]}"


class LoginThrottle(models.Model):
    """Password checks counted for one key (a username at an address, or an address)."""

    key = models.CharField(max_length=200, unique=True)
    username = models.CharField(max_length=150, blank=True)  # blank for a per-address key
    ip_address = models.CharField(max_length=64)
    attempts = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()
    last_attempt_at = models.DateTimeField()

    def __str__(self):
        return self.key


class PlanPdf(models.Model):
    """One PDF per exact print document: rendered once, by whichever worker claims it."""

    QUEUED, RENDERING, READY, FAILED = "queued", "rendering", "ready", "failed"
    STATUS_CHOICES = [(s, s.title()) for s in (QUEUED, RENDERING, READY, FAILED)]

    key = models.CharField(max_length=64, unique=True)  # sha256 of the HTML and stylesheet
    html = models.TextField(blank=True)  # what the worker renders; emptied once rendered
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=QUEUED)
    file_name = models.CharField(max_length=200, blank=True)  # in the "generated" storage
    size = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    renders = models.PositiveSmallIntegerField(default=0)  # completed renders (should be 1)
    worker = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.key[:12]} {self.status}"
