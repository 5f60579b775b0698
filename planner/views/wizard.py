"""The wizard: one page per catalog section, the review page and Finish."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from planner import catalog, rostercsv, tasks, teamwork, wizard
from planner.access import EDITOR, VIEWER, get_project_for_user
from planner.answers import UNANSWERED_FORMS
from planner.plans import build_plan
from planner.views.comments import comments_by_question
from planner.views.projects import plan_url

REVEALED_MESSAGE = (
    "Your answers brought up more questions on this page. Answer them, then continue."
)


def _section_or_404(section_key: str):
    try:
        return catalog.section(section_key)
    except KeyError:
        raise Http404("No such section.") from None


def _posted_version(request) -> int:
    """Return the project version the page was rendered at (-1, never current, if absent)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _section_url(project, section_key: str, check: bool = False) -> str:
    url = reverse("wizard_section", args=[project.code, section_key])
    return f"{url}?check=1" if check else url


def _extra_rows(request, source=None) -> int:
    """Return how many empty roster rows to show (more after "Add rows"), within bounds."""
    source = request.GET if source is None else source
    try:
        extra = int(source.get("rows", wizard.ROSTER_EMPTY_ROWS))
    except ValueError:
        extra = wizard.ROSTER_EMPTY_ROWS
    return min(max(extra, 1), 50)


def _error_list(rows: list[dict]) -> list[tuple[str, str]]:
    """Return the error summary's (anchor, message) pairs; roster errors point at their cell."""
    pairs = []
    for row in rows:
        if not row["visible"]:
            continue
        if row.get("error_anchors"):
            pairs.extend(row["error_anchors"])
        else:
            pairs.extend((row["anchor"], message) for message in row["errors"])
    return pairs


def _render_section(
    request, project, sec, answers, errors, *, version, notice="", status=200, import_problems=()
):
    read = catalog.read_answers(answers)
    rows = wizard.question_rows(
        sec.key,
        read.raw,
        set(read.visible),
        errors,
        extra_rows=_extra_rows(request),
        project_name=project.name,
    )
    context = {
        "project": project,
        "section": sec,
        "questions": rows,
        "error_list": _error_list(rows),
        "states": wizard.section_states(project, read),
        "previous_key": wizard.previous_section(sec.key),
        "is_last": wizard.next_section(sec.key) is None,
        "version": version,
        "notice": notice,
        "browser_answers": wizard.browser_context(sec.key, read),
        "integer_pattern": catalog.INTEGER_PATTERN,
        "unanswered_forms": " ".join(UNANSWERED_FORMS),
        "import_problems": import_problems,
        "roster_download_url": _roster_download_url(request, project, sec) if status == 200 else "",
    }
    return render(request, "planner/wizard_section.html", context, status=status)


ROSTER_DOWNLOAD_KEY = "planner.roster_download"


def _roster_download_url(request, project, sec) -> str:
    """Return the CSV download to start with this page, once, after "Save and export CSV"."""
    if sec.key != "customers" or request.session.get(ROSTER_DOWNLOAD_KEY) != str(project.code):
        return ""
    del request.session[ROSTER_DOWNLOAD_KEY]
    return reverse("roster_export", args=[project.code])


def _roster_button_redirect(request, project, section_key: str):
    """Return where the roster table's own buttons lead: back to the same page, saved."""
    if request.POST.get("action") == "add_rows":
        extra = min(_extra_rows(request, request.POST) + wizard.ROSTER_ADD_ROWS, 50)
        return redirect(f"{_section_url(project, section_key)}?rows={extra}")
    if request.POST.get("action") == "export_csv":
        # Back to the table (with the saved version, so an import next is not "stale"), which
        # starts the download of what was just saved (once: the flag is taken when shown).
        request.session[ROSTER_DOWNLOAD_KEY] = str(project.code)
        messages.success(
            request,
            "Roster saved. Your CSV download starts; if it does not, use the download link "
            "on this page.",
        )
        return redirect(_section_url(project, section_key))
    if any(key.endswith("-move-up") for key in request.POST):
        return redirect(_section_url(project, section_key))
    return None


@login_required
@require_http_methods(["GET", "POST"])
def wizard_section(request, code, section_key):
    """Show a section; on POST save it, then go back, jump, or validate and go on."""
    project = get_project_for_user(request.user, code, EDITOR)
    sec = _section_or_404(section_key)
    if request.method == "GET":
        errors = {}
        if request.GET.get("check"):
            errors = catalog.validate_section(sec.key, project.answers)
        return _render_section(
            request, project, sec, project.answers, errors, version=project.version
        )

    answers, display, revealed = wizard.read_section_post(sec.key, request.POST, project.answers)
    version = _posted_version(request)
    if request.POST.get("action") == "import_csv" and sec.key == "customers":
        return _import_roster(request, project, sec, answers, display, version)
    if not wizard.save_section(project, request.user, sec.key, answers, version):
        return _stale_section(request, project, sec, display)

    back_to_table = _roster_button_redirect(request, project, sec.key)
    if back_to_table is not None:
        return back_to_table
    goto = request.POST.get("goto")
    if goto in wizard.SECTION_KEYS:
        return redirect(_section_url(project, goto))
    if request.POST.get("action") == "back":
        previous = wizard.previous_section(sec.key)
        return redirect(_section_url(project, previous) if previous else project)

    read = catalog.read_answers(project.answers)
    errors = {q.key: list(read.errors[q.key]) for q in sec.questions if q.key in read.errors}
    if revealed:
        errors = {k: v for k, v in errors.items() if k not in revealed}
        return _render_section(
            request,
            project,
            sec,
            read,
            errors,
            version=project.version,
            notice=REVEALED_MESSAGE,
        )
    if errors:
        return _render_section(request, project, sec, read, errors, version=project.version)
    following = wizard.next_section(sec.key)
    if following:
        return redirect(_section_url(project, following))
    return redirect("wizard_review", code=project.code)


def _stale_section(request, project, sec, display):
    """Answer a save that lost to another one: the page again, as typed, with the new version."""
    project.refresh_from_db()
    return _render_section(
        request,
        project,
        sec,
        display,
        {},
        version=project.version,
        notice=wizard.STALE_MESSAGE,
        status=409,
    )


def _import_problems(upload, answers: dict) -> tuple[list, list[str]]:
    """Return (rows, problems) for an uploaded roster file checked against the other answers."""
    if upload is None:
        return [], ["Choose a CSV file to import, then press “Import CSV”."]
    if upload.size > rostercsv.MAX_BYTES:
        return [], [rostercsv.size_problem(upload.size)]
    rows, lines, problems = rostercsv.parse_csv(upload.read(rostercsv.MAX_BYTES + 1))
    if problems:
        return [], problems
    if not rows:
        return [], ["The file has a header but no customers: add one line per customer."]
    read = catalog.read_answers({**answers, "customers": rows})
    problems = []
    for error in read.errors.get("customers", ()):
        index = getattr(error, "row", -1)
        problems.append(f"Line {lines[index]}: {error}" if 0 <= index < len(lines) else error)
    return rows, problems


def _import_roster(request, project, sec, answers, display, version):
    """Replace the roster with an uploaded CSV file, whole, or change nothing and list why."""
    rows, problems = _import_problems(request.FILES.get("roster_csv"), answers)
    if problems:
        return _render_section(
            request,
            project,
            sec,
            display,
            {},
            version=version,
            status=400,
            import_problems=problems,
        )
    if not wizard.save_section(
        project, request.user, sec.key, {**answers, "customers": rows}, version
    ):
        return _stale_section(request, project, sec, display)
    count = len(rows)
    messages.success(request, f"Imported {count} roster row{'s' if count != 1 else ''}.")
    return redirect(_section_url(project, sec.key))


@login_required
def roster_export(request, code):
    """Return the saved roster as a CSV download that spreadsheets open without running it."""
    project = get_project_for_user(request.user, code)
    response = HttpResponse(
        rostercsv.export_csv((project.answers or {}).get("customers")),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="customers-{project.code}.csv"'
    return response


def _with_notes(sections: list[dict], project) -> list[dict]:
    notes = comments_by_question(project)
    for sec in sections:
        for answer in sec["answers"]:
            answer["notes"] = notes.get(answer["key"], ())
    return sections


@login_required
def wizard_review(request, code):
    """Show every visible answer by section, with Edit links and the Finish button.

    When the answers are complete, the plan's PDF is queued here already: the architect reads
    the review and then finishes, and a worker renders meanwhile the very document Finish would
    queue (same print HTML, same key), so the download after Finish is ready sooner. Answers
    changed afterwards make a new document; the unused one goes with ``clean_generated``.
    """
    project = get_project_for_user(request.user, code)
    response = _render_review(request, project)
    if getattr(project, "role", None) != VIEWER and response.status_code == 200:
        _queue_pdf_if_complete(project)
    return response


def _queue_pdf_if_complete(project) -> None:
    if settings.PLANNER_PDF_INLINE:  # development: the download renders it
        return
    if catalog.errors_by_section(catalog.read_answers(project.answers)):
        return
    the_plan = build_plan(project)
    tasks.queue_plan_pdf(the_plan, teamwork.for_print(project, the_plan))


def _render_review(request, project, *, notice: str = "", status: int = 200):
    answers = catalog.read_answers(project.answers)
    context = {
        "project": project,
        "sections": _with_notes(wizard.review_sections(answers), project),
        "conflicts": wizard.review_conflicts(answers),
        "states": wizard.section_states(project, answers),
        "plan_url": plan_url(project),
        "notice": notice,
    }
    return render(request, "planner/wizard_review.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def wizard_finish(request, code):
    """Check every section; send the person to the first problem, or finish and show the plan."""
    project = get_project_for_user(request.user, code, EDITOR)
    if request.method != "POST":
        return redirect("wizard_review", code=project.code)
    version = _posted_version(request)
    if version != project.version:
        return _render_review(request, project, notice=wizard.FINISH_STALE_MESSAGE, status=409)
    errors = catalog.errors_by_section(catalog.read_answers(project.answers))
    if errors:
        first = next(iter(errors))
        count = sum(len(keys) for keys in errors.values())
        messages.error(
            request,
            f"Some answers need attention ({count} question{'s' if count != 1 else ''}) before "
            f"the plan can be finished. Starting with “{catalog.section(first).title}”.",
        )
        return redirect(_section_url(project, first, check=True))
    if not wizard.finish(project, version):  # saved elsewhere since the check above
        project = get_project_for_user(request.user, code, EDITOR)
        return _render_review(request, project, notice=wizard.FINISH_STALE_MESSAGE, status=409)
    # Queued now, rendered by a worker while the person reads the plan: the download is instant.
    the_plan = build_plan(project)
    tasks.queue_plan_pdf(the_plan, teamwork.for_print(project, the_plan))
    return redirect(plan_url(project))


urlpatterns = [
    path(
        "projects/<uuid:code>/wizard/<slug:section_key>/",
        wizard_section,
        name="wizard_section",
    ),
    path("projects/<uuid:code>/customers.csv", roster_export, name="roster_export"),
    path("projects/<uuid:code>/review/", wizard_review, name="wizard_review"),
    path("projects/<uuid:code>/finish/", wizard_finish, name="wizard_finish"),
]
