from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from course.models import can_review, role_in
from lessons.markdown import highlight
from lessons.models import Exercise

from .models import Submission
from .selectors import attempts_for
from .services import SubmissionRefused, submission_create

FILE_FIELD = "file:"


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def submit(request: HttpRequest, course_slug: str, exercise_slug: str) -> HttpResponse:
    exercise = get_object_or_404(
        Exercise.objects.select_related("course"), course__slug=course_slug, slug=exercise_slug, published=True
    )
    if role_in(request.user, exercise.course) is None and not can_review(request.user, exercise.course):
        raise PermissionDenied("Enrol in the course to submit.")
    files = {key.removeprefix(FILE_FIELD): value for key, value in request.POST.items() if key.startswith(FILE_FIELD)}
    for name, upload in request.FILES.items():
        files[name.removeprefix(FILE_FIELD)] = upload.read(10 * 1024 * 1024)
    try:
        submission = submission_create(user=request.user, exercise=exercise, files=files)
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


@login_required
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _visible_submission(request, pk)
    code = [(path, highlight(text, path)) for path, text in submission.files.items()]
    return render(
        request,
        "sandbox/submission_detail.html",
        {
            "submission": submission,
            "exercise": submission.exercise,
            "course": submission.exercise.course,
            "code": code,
            "number": submission.number_for_learner(),
            "own": submission.user_id == request.user.id,
        },
    )


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
