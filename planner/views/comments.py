"""Notes per question: any member (viewers too) adds one; all members read them."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from planner import catalog
from planner.access import VIEWER, get_project_for_user
from planner.forms import CommentForm
from planner.models import QuestionComment


def question_choices():
    """Return (key, "Section: label") of every question, in catalog order."""
    return [(q.key, f"{sec.title}: {q.label}") for sec in catalog.SECTIONS for q in sec.questions]


def comments_by_question(project) -> dict[str, list[QuestionComment]]:
    """Return the project's notes grouped by question key, oldest first."""
    grouped = defaultdict(list)
    for comment in project.comments.select_related("user"):
        grouped[comment.question].append(comment)
    return dict(grouped)


@login_required
@require_http_methods(["GET", "POST"])
def comments(request, code):
    """List the notes by question; members add one with the form."""
    project = get_project_for_user(request.user, code, VIEWER)
    initial = {"question": request.GET.get("question", "")}
    form = CommentForm(request.POST or None, questions=question_choices(), initial=initial)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["question"]
        QuestionComment.objects.create(
            project=project, question=key, text=form.cleaned_data["text"], user=request.user
        )
        messages.success(request, "Note added.")
        return redirect(reverse("project_comments", args=[project.code]) + f"#notes-{key}")
    labels = dict(question_choices())
    grouped = comments_by_question(project)
    rows = [
        {"key": key, "label": labels.get(key, key), "comments": grouped[key]}
        for key, _ in question_choices()
        if key in grouped
    ]
    rows += [{"key": k, "label": k, "comments": v} for k, v in grouped.items() if k not in labels]
    status = 400 if request.method == "POST" else 200
    context = {"project": project, "form": form, "rows": rows}
    return render(request, "planner/comments.html", context, status=status)


urlpatterns = [
    path("projects/<uuid:code>/notes/", comments, name="project_comments"),
]
