"""The tracked implementation checklist: members with the editor role tick items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from planner import checklist
from planner.access import EDITOR, VIEWER, get_project_for_user, require_role
from planner.plans import build_plan


@login_required
@require_http_methods(["GET", "POST"])
def checklist_page(request, code):
    """Show the checklist with who ticked what; on POST set one item done or not done."""
    project = get_project_for_user(request.user, code, VIEWER)
    plan = build_plan(project)
    if request.method == "POST":
        require_role(project, EDITOR)
        item = request.POST.get("item", "")
        if item not in checklist.item_keys(plan):
            messages.error(
                request,
                "That checklist item is no longer in the plan (the answers or rules changed). "
                "Nothing was saved; the list below is current.",
            )
            return redirect("project_checklist", code=project.code)
        done = request.POST.get("done") == "1"
        # A box saved as it was shown is no change: a stale page never undoes a colleague's tick.
        if request.POST.get("was") in ("0", "1") and (request.POST["was"] == "1") == done:
            messages.info(request, "Nothing changed: tick or untick the item, then save.")
        else:
            checklist.set_item(project, request.user, item, done)
        return redirect(reverse("project_checklist", args=[project.code]) + f"#item-{item}")
    groups = checklist.tracked(project, plan)
    done, total = checklist.progress(groups)
    context = {
        "project": project,
        "groups": groups,
        "done": done,
        "total": total,
        "can_tick": getattr(project, "role", None) != VIEWER,
    }
    return render(request, "planner/checklist.html", context)


urlpatterns = [
    path("projects/<uuid:code>/checklist/", checklist_page, name="project_checklist"),
]
