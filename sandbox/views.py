from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from course.models import can_review, role_in
from lessons.markdown import highlight
from lessons.models import Exercise
from lessons.views import visible_exercise

from .diffs import files_diff
from .forms import CommentForm, OverrideForm
from .models import Regrade, Submission
from .selectors import (
    attempts_for,
    regrade_changes,
    regrade_progress,
    submission_comments,
    submission_history,
    submission_previous,
)
from .services import (
    RegradeRefused,
    ReviewRefused,
    SubmissionRefused,
    SubmissionThrottled,
    comment_create,
    regrade_start,
    submission_create,
    verdict_override,
)

FILE_FIELD = "file:"


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def submit(request: HttpRequest, course_slug: str, exercise_slug: str) -> HttpResponse:
    exercise = visible_exercise(request, course_slug, exercise_slug)
    if role_in(request.user, exercise.course) is None and not can_review(request.user, exercise.course):
        raise PermissionDenied("Enrol in the course to submit.")
    files = {key.removeprefix(FILE_FIELD): value for key, value in request.POST.items() if key.startswith(FILE_FIELD)}
    for name, upload in request.FILES.items():
        files[name.removeprefix(FILE_FIELD)] = upload.read(10 * 1024 * 1024)
    try:
        submission = submission_create(user=request.user, exercise=exercise, files=files)
    except SubmissionThrottled as exc:
        if _wants_json(request):
            response = JsonResponse({"error": str(exc)}, status=429)
        else:
            messages.error(request, str(exc))
            response = redirect(exercise)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except SubmissionRefused as exc:
        if _wants_json(request):
            return JsonResponse({"error": str(exc)}, status=400)
        messages.error(request, str(exc))
        return redirect(exercise)
    if _wants_json(request):
        return JsonResponse(
            {
                "id": submission.id,
                "status": submission.status,
                "status_url": reverse("sandbox:status", args=[submission.id]),
                "detail_url": submission.get_absolute_url(),
            },
            status=201,
        )
    return redirect(submission)


def _visible_submission(request: HttpRequest, pk: int) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related("exercise__course", "exercise__lesson", "user"), pk=pk
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


@login_required
@require_GET
def submission_status(request: HttpRequest, pk: int) -> JsonResponse:
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
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response


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


@login_required
@require_GET
def regrade_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The progress bar's polling: counts only, cheap to ask for every second."""
    response = JsonResponse(regrade_progress(_reviewable_regrade(request, pk)))
    response["Cache-Control"] = "no-store"
    return response
