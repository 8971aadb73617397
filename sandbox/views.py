import json
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from course.models import can_review, can_work_on, client_address
from lessons.markdown import highlight
from lessons.models import Exercise
from lessons.views import exercise_page, visible_exercise

from . import events
from .diffs import files_diff
from .forms import CommentForm, OverrideForm
from .models import Regrade, Submission
from .projects import project_zip
from .selectors import (
    attempts_for,
    regrade_changes,
    regrade_progress,
    submission_comments,
    submission_history,
    submission_previous,
    workspace_for,
)
from .services import (
    RegradeRefused,
    ReviewRefused,
    SubmissionRefused,
    SubmissionThrottled,
    comment_create,
    draft_discard,
    draft_from_attempt,
    draft_reset,
    draft_save,
    regrade_start,
    submission_create,
    submission_files_clean,
    verdict_override,
)
from .streams import event_stream

FILE_FIELD = "file:"


def _wants_json(request: HttpRequest) -> bool:
    """The page's script asks for JSON (static/js/exercise.js); a plain form post, for HTML."""
    return "application/json" in request.headers.get("Accept", "")


@csrf_exempt  # checked in _submit, once the body is known to be readable: see below
@login_required
@require_POST
def submit(request: HttpRequest, course_slug: str, exercise_slug: str) -> HttpResponse:
    """Django reads a request's body on the first look at request.POST, and the CSRF
    middleware looks first (for the token), so a body too large or with too many fields
    would fail there, as a bare "Bad Request (400)". This view is therefore exempt from
    the middleware: it finds the exercise, reads the body within its limits and says in
    words what is wrong with it, and only then checks the CSRF token (``_submit``)."""
    exercise = _workspace_exercise(request, course_slug, exercise_slug)
    if problem := _unreadable_body(request, exercise):
        return _refused(request, exercise, *problem)
    return _submit(request, exercise)


def _workspace_exercise(request: HttpRequest, course_slug: str, exercise_slug: str) -> Exercise:
    """The exercise whose workspace this is: hidden (404) while it is a draft, and refused
    (403) to anyone neither enrolled in its course nor reviewing it."""
    exercise = visible_exercise(request, course_slug, exercise_slug)
    if not can_work_on(request.user, exercise.course):
        raise PermissionDenied("Enrol in the course to work on its exercises.")
    return exercise


def _unreadable_body(request: HttpRequest, exercise: Exercise) -> tuple[str, int] | None:
    """Why the body cannot be taken, and the status to answer (413, 400); None if it was
    read. A Content-Length over the limit is refused before a byte of the body is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    file_kib, total_kib = settings.SUBMISSION_MAX_FILE_BYTES // 1024, settings.SUBMISSION_MAX_TOTAL_BYTES // 1024
    too_big = (
        "{size} more than Duet takes in one submission: a file may be at most "
        f"{file_kib} KiB and all of them {total_kib} KiB. Nothing was saved; make your files "
        "smaller and submit again."
    )
    if length > settings.SUBMISSION_MAX_REQUEST_BYTES:
        return too_big.format(size=f"Your submission is {length // 1024:,} KiB,"), 413
    try:
        request.POST, request.FILES  # noqa: B018 (Django parses the body on first access)
    except RequestDataTooBig:
        return too_big.format(size="Your submission is"), 413
    except (TooManyFieldsSent, TooManyFilesSent):
        listing = ", ".join(exercise.editable) or "(none)"
        return (
            f"Your submission has too many fields or files (a form may carry at most "
            f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields and {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files); "
            f"this exercise takes one per file: {listing}. Nothing was saved.",
            400,
        )
    except MultiPartParserError:
        return "Your submission could not be read (the form data was malformed). Nothing was saved.", 400
    return None


def _submit(request: HttpRequest, exercise: Exercise) -> HttpResponse:
    """The body is readable: check the CSRF token as the middleware would, and refuse in
    the page's own words, with the posted code, when it is out of date (a long session,
    a log-in in another tab); then submit."""
    rejected = CsrfViewMiddleware(lambda request: HttpResponse()).process_view(request, None, (), {})
    if rejected is not None and _wants_json(request):
        return rejected  # the site's CSRF refusal, in JSON: reload the page (the draft is kept)
    if rejected is not None:
        return _refused(
            request,
            exercise,
            "This page's security token is out of date (were you logged out, or did you log in "
            "again in another tab?). Nothing was submitted; your code is below: submit it again.",
            403,
            posted=_posted_text(request, exercise),
        )
    try:
        files = _submitted_files(request, exercise)
        submission = submission_create(
            user=request.user, exercise=exercise, files=files, client_address=client_address(request)
        )
    except SubmissionThrottled as exc:
        return _refused(
            request, exercise, str(exc), 429, retry_after=exc.retry_after, posted=_posted_text(request, exercise)
        )
    except SubmissionRefused as exc:
        return _refused(request, exercise, str(exc), 400, posted=_posted_text(request, exercise))
    # The draft is now an attempt (unless the learner typed on while it was sent): the
    # workspace opens on it as the latest.
    draft_discard(user=request.user, exercise=exercise, submitted=submission.files)
    if _wants_json(request):
        return JsonResponse(
            {
                "id": submission.id,
                "status": submission.status,
                "status_url": reverse("sandbox:status", args=[submission.id]),
                "stream_url": reverse("sandbox:stream", args=[submission.id]),
                "detail_url": submission.get_absolute_url(),
            },
            status=201,
        )
    return redirect(submission)


def _submitted_files(request: HttpRequest, exercise: Exercise) -> dict[str, str | bytes]:
    """The files sent, by name: text fields, and uploads (which win). Every name is checked
    against the exercise before any upload is read, and of an upload no more is read than
    a file may hold, and one byte to tell it is over."""
    files: dict[str, str | bytes] = dict(_text_fields(request))
    uploads = {key.removeprefix(FILE_FIELD): upload for key, upload in request.FILES.items()}
    # The service's own check of names, on empty contents: it refuses an unknown name in
    # the same words as ever, and nothing has been read yet.
    submission_files_clean(exercise=exercise, files=dict.fromkeys([*files, *uploads], ""))
    limit = settings.SUBMISSION_MAX_FILE_BYTES
    for name, upload in uploads.items():
        if upload.size is not None and upload.size > limit:
            raise SubmissionRefused(
                f"{name} is {upload.size // 1024:,} KiB; a file may be at most {limit // 1024} KiB."
            )
        files[name] = upload.read(limit + 1)
    return files


def _refused(
    request: HttpRequest,
    exercise: Exercise,
    message: str,
    status: int,
    *,
    retry_after: int | None = None,
    posted: dict[str, str] | None = None,
) -> HttpResponse:
    """A submission refused, in words: JSON for the page's script, else the exercise page
    itself with the message. Nothing the learner saved is lost: the editor holds the code
    that was ``posted`` when the body could be read, else their draft or last attempt."""
    if _wants_json(request):
        response = JsonResponse({"error": message}, status=status)
    else:
        messages.error(request, message)
        response = exercise_page(request, exercise.course, exercise, posted=posted)
        response.status_code = status
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _posted_text(request: HttpRequest, exercise: Exercise) -> dict[str, str] | None:
    """The editable files a refused form post carried as text, to show again. Only called
    once the body has been read within its limits (``_unreadable_body``)."""
    posted = {path: text.replace("\r\n", "\n") for path, text in _text_fields(request).items()}
    rule = exercise.editable_rule
    return {path: text for path, text in posted.items() if rule.covers(path)} or None


def _text_fields(request: HttpRequest) -> dict[str, str]:
    """The files a form post carried as text fields (``file:<path>``), by path."""
    return {key.removeprefix(FILE_FIELD): value for key, value in request.POST.items() if key.startswith(FILE_FIELD)}


# --- The workspace: drafts and downloads ------------------------------------------------


def _json_body(request: HttpRequest) -> dict | None:
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


@login_required
@require_POST
def draft_save_view(request: HttpRequest, course_slug: str, exercise_slug: str) -> HttpResponse:
    """The workspace's autosave: a JSON body ``{"files": {path: text}}``, the whole map of
    the learner's files. Answers ``{"saved_at": …}``, or 4xx with ``{"error": …}`` in words.
    (The CSRF middleware checks the X-CSRFToken header; it never reads a JSON body.)"""
    exercise = _workspace_exercise(request, course_slug, exercise_slug)
    try:
        data = _json_body(request)
    except RequestDataTooBig:
        return JsonResponse({"error": "Your files are too large to keep as a draft; make them smaller."}, status=413)
    files = data.get("files") if data else None
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        return JsonResponse({"error": 'A draft is sent as JSON: {"files": {"path": "text", …}}.'}, status=400)
    try:
        draft = draft_save(user=request.user, exercise=exercise, files=files)
    except SubmissionRefused as exc:
        return JsonResponse({"error": f"Draft not saved: {exc}"}, status=400)
    response = JsonResponse({"saved_at": draft.updated_at.isoformat()})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def draft_reset_view(request: HttpRequest, course_slug: str, exercise_slug: str) -> HttpResponse:
    """Reset to starter: GET asks first (the page without JavaScript); POST with
    ``confirmed`` makes the starter the learner's draft, and answers its files (JSON) or
    goes back to the exercise, whose editor then holds the starter. Attempts are kept."""
    exercise = _workspace_exercise(request, course_slug, exercise_slug)
    if request.method == "GET" or not request.POST.get("confirmed"):
        return render(request, "sandbox/reset_confirm.html", {"exercise": exercise, "course": exercise.course})
    draft = draft_reset(user=request.user, exercise=exercise)
    if _wants_json(request):
        return JsonResponse({"files": draft.files})
    messages.success(request, "Every file is back to the starter. Your attempts are kept below.")
    return redirect(exercise)


@login_required
@require_POST
def draft_load(request: HttpRequest, course_slug: str, exercise_slug: str) -> HttpResponse:
    """Open in editor, confirmed: one of the learner's attempts becomes their draft."""
    exercise = _workspace_exercise(request, course_slug, exercise_slug)
    submission_id = request.POST.get("from", "")
    if (
        not submission_id.isdigit()
        or draft_from_attempt(user=request.user, exercise=exercise, submission_id=int(submission_id)) is None
    ):
        raise Http404("No such attempt.")
    messages.success(request, "The editor holds that attempt now; your draft was replaced by it.")
    return redirect(exercise)


@login_required
@require_GET
def project_download(request: HttpRequest, course_slug: str, exercise_slug: str) -> HttpResponse:
    """Download my project: the learner's current files and the read-only ones, zipped."""
    exercise = _workspace_exercise(request, course_slug, exercise_slug)
    workspace = workspace_for(user=request.user, exercise=exercise)
    response = HttpResponse(project_zip(exercise, workspace), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{exercise.slug}.zip"'
    response["Cache-Control"] = "no-store"
    return response


def _visible_submission(request: HttpRequest, pk: int) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related("exercise__course", "exercise__lesson", "user", "verdict"), pk=pk
    )
    if submission.user_id != request.user.id and not can_review(request.user, submission.exercise.course):
        # Someone else's work: answer as if it did not exist.
        raise Http404("No such submission.")
    return submission


def _reviewed_submission(request: HttpRequest, pk: int) -> Submission:
    """A submission the user may review: hidden (404) from whoever may not see it, refused
    (403) to its own learner, who sees it but may not judge it."""
    submission = _visible_submission(request, pk)
    if not can_review(request.user, submission.exercise.course):
        raise PermissionDenied("Only the course's graders and instructors can do this.")
    return submission


def _detail(
    request: HttpRequest,
    submission: Submission,
    *,
    comment_form: CommentForm | None = None,
    override_form: OverrideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    reviewer = can_review(request.user, submission.exercise.course)
    previous = submission_previous(submission)
    return render(
        request,
        "sandbox/submission_detail.html",
        {
            "submission": submission,
            "exercise": submission.exercise,
            "course": submission.exercise.course,
            "code": [(path, highlight(text, path)) for path, text in submission.files.items()],
            "number": submission.number_for_learner(),
            "own": submission.user_id == request.user.id,
            "reviewer": reviewer,
            "previous": previous,
            "diff": [f for f in files_diff(previous.files, submission.files) if f.changed] if previous else [],
            "history": submission_history(submission),
            "comments": submission_comments(submission),
            "comment_form": comment_form or (CommentForm() if reviewer else None),
            "override_form": override_form or (OverrideForm.for_submission(submission) if reviewer else None),
        },
        status=status,
    )


@login_required
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible_submission(request, pk))


@login_required
@require_POST
def submission_comment(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _reviewed_submission(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment_create(submission_id=submission.id, author=request.user, body=form.cleaned_data["body"])
        except ReviewRefused as exc:
            form.add_error("body", str(exc))
    if not form.is_valid():
        # Shown again with what was typed, so nothing is lost.
        return _detail(request, submission, comment_form=form, status=400)
    messages.success(request, "Your comment is on the page; the learner sees it.")
    return redirect(f"{submission.get_absolute_url()}#comments")


@login_required
@require_POST
def submission_override(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _reviewed_submission(request, pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            entry = verdict_override(
                submission_id=submission.id,
                by=request.user,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
            )
        except ReviewRefused as exc:
            form.add_error(None, str(exc))
    if not form.is_valid():
        return _detail(request, submission, override_form=form, status=400)
    messages.success(
        request, f"Verdict changed from {entry.get_from_status_display()} to {entry.get_to_status_display()}."
    )
    return redirect(f"{submission.get_absolute_url()}#verdict")


def _submission_state(request: HttpRequest, pk: int) -> dict:
    """What the page shows of a submission's status, for this viewer (the status view's
    JSON, and each event of its stream)."""
    submission = _visible_submission(request, pk)
    data = {
        "id": submission.id,
        "status": submission.status,
        "status_label": submission.get_status_display(),
        "final": submission.is_final,
        "html": render_to_string("sandbox/_result.html", {"submission": submission}, request=request),
    }
    if submission.is_final and submission.user_id == request.user.id:
        data["attempts_html"] = render_to_string(
            "sandbox/_attempts.html",
            {
                "attempts": attempts_for(user=request.user, exercise=submission.exercise),
                "exercise": submission.exercise,
            },
            request=request,
        )
    return data


@login_required
@require_GET
def submission_status(request: HttpRequest, pk: int) -> JsonResponse:
    response = JsonResponse(_submission_state(request, pk))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
async def submission_stream(request: HttpRequest, pk: int) -> HttpResponse:
    """The status, pushed as it changes (Server-Sent Events), until the verdict."""
    state = partial(_submission_state, request, pk)
    return await event_stream(request, events.submission_channel(pk), state, done=lambda data: data["final"])


# --- Regrades (graders and instructors) -------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def exercise_regrade(request: HttpRequest, course_slug: str, exercise_slug: str) -> HttpResponse:
    """GET: the exercise's regrades so far and a button; POST: start one."""
    exercise = get_object_or_404(
        Exercise.objects.select_related("course"), course__slug=course_slug, slug=exercise_slug
    )
    if not can_review(request.user, exercise.course):
        # As for every review page: hidden (404) from whoever may not review the course.
        raise Http404("No such exercise.")
    if request.method == "POST":
        try:
            regrade = regrade_start(exercise=exercise, user=request.user)
        except RegradeRefused as exc:
            messages.error(request, str(exc))
            return redirect(exc.running or request.path)
        messages.success(request, f"Regrading {regrade.total} submissions with version {regrade.version}.")
        return redirect(regrade)
    submissions = exercise.submissions.aggregate(
        graded=Count("id", filter=Q(status__in=Submission.FINAL)),
        pending=Count("id", filter=Q(status__in=Submission.PENDING)),
    )
    return render(
        request,
        "sandbox/exercise_regrade.html",
        {
            "exercise": exercise,
            "course": exercise.course,
            "counts": submissions,
            "regrades": exercise.regrades.select_related("requested_by")[:20],
        },
    )


def _reviewable_regrade(request: HttpRequest, pk: int) -> Regrade:
    regrade = get_object_or_404(Regrade.objects.select_related("exercise__course", "requested_by"), pk=pk)
    if not can_review(request.user, regrade.exercise.course):
        raise Http404("No such regrade.")
    return regrade


@login_required
@require_GET
def regrade_detail(request: HttpRequest, pk: int) -> HttpResponse:
    regrade = _reviewable_regrade(request, pk)
    return render(
        request,
        "sandbox/regrade_detail.html",
        {
            "regrade": regrade,
            "exercise": regrade.exercise,
            "course": regrade.exercise.course,
            "progress": regrade_progress(regrade),
            "changes": regrade_changes(regrade),
        },
    )


def _regrade_state(request: HttpRequest, pk: int) -> dict:
    return regrade_progress(_reviewable_regrade(request, pk))


@login_required
@require_GET
def regrade_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The progress bar's polling: counts only, cheap to ask for every second."""
    response = JsonResponse(_regrade_state(request, pk))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
async def regrade_stream(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar's counts, pushed as items finish (Server-Sent Events)."""
    state = partial(_regrade_state, request, pk)
    return await event_stream(request, events.regrade_channel(pk), state, done=lambda data: data["complete"])


@login_required
@require_GET
def grading_status_view(request: HttpRequest) -> HttpResponse:
    """The site's staff only: the queue, the workers, the last hour's verdicts and errors."""
    if not request.user.is_staff:
        raise PermissionDenied("The grading status is for the site's staff.")
    from .health import grading_status

    return render(request, "sandbox/grading_status.html", {"status": grading_status()})
