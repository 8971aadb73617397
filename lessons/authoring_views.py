"""Authoring pages: instructors edit courses, lessons and exercises in the browser,
validate exercises in the sandbox, publish, and preview as a learner.

Every view needs a login and ``can_author`` on the course; to anyone else the course's
authoring pages do not exist (404), as unknown names are. The markdown preview and image
upload belong to no course: they need an instructor of some course (or staff), else 403.
The writes themselves are in lessons.authoring.
"""

from __future__ import annotations

import copy
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST, require_safe
from markdownx.views import ImageUploadView, MarkdownifyView

from course.models import Enrollment, can_author, can_author_anywhere
from sandbox import events
from sandbox.selectors import with_last_validation
from sandbox.services import exercise_validation_request
from sandbox.streams import event_stream

from . import authoring, images
from .forms import (
    CourseCreateForm,
    CourseForm,
    ExerciseFileFormSet,
    ExerciseForm,
    ImageUploadForm,
    LessonForm,
    MemberForm,
    file_initial,
)
from .models import Course, Exercise, Lesson
from .views import course_page, exercise_page, lesson_page

MAX_PREVIEW_CHARS = 512 * 1024


def _authored_course(request: HttpRequest, course_slug: str) -> Course:
    course = get_object_or_404(Course, slug=course_slug)
    if not can_author(request.user, course):
        # A 404, not a 403: drafts and unpublished courses are no one else's business.
        raise Http404("No such course.")
    return course


def _authored_exercise(request: HttpRequest, course_slug: str, exercise_slug: str) -> Exercise:
    course = _authored_course(request, course_slug)
    return get_object_or_404(Exercise.objects.select_related("lesson", "course"), course=course, slug=exercise_slug)


def _require_author_anywhere(request: HttpRequest) -> None:
    if not can_author_anywhere(request.user):
        raise PermissionDenied("Only instructors may do this.")


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# --- Courses ---------------------------------------------------------------------------


@login_required
@require_GET
def author_home(request: HttpRequest) -> HttpResponse:
    _require_author_anywhere(request)
    courses = authoring.authorable_courses(request.user).order_by("title")
    return render(request, "lessons/authoring/home.html", {"courses": courses})


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    _require_author_anywhere(request)
    form = CourseCreateForm(request.POST or None, initial={"published": False})
    if request.method == "POST" and form.is_valid():
        course = authoring.course_create(user=request.user, course=form.save(commit=False))
        messages.success(request, f"Course “{course.title}” created; you are its instructor. Add its first lesson.")
        return redirect("lessons:author_course", course.slug)
    return render(request, "lessons/authoring/course_form.html", {"form": form, "course": None})


@login_required
@require_GET
def course_overview(request: HttpRequest, course_slug: str) -> HttpResponse:
    """Every lesson and exercise, drafts included, with where each stands."""
    course = _authored_course(request, course_slug)
    exercises = with_last_validation(Exercise.objects.all())
    lessons = course.lessons.prefetch_related(Prefetch("exercises", queryset=exercises))
    return render(request, "lessons/authoring/course_overview.html", {"course": course, "lessons": lessons})


@login_required
def course_edit(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = _authored_course(request, course_slug)
    form = CourseForm(request.POST or None, instance=copy.copy(course))
    if request.method == "POST" and form.is_valid():
        authoring.course_update(course=form.save(commit=False), changed=set(form.changed_data))
        messages.success(request, "Course saved.")
        return redirect("lessons:author_course", course.slug)
    return render(request, "lessons/authoring/course_form.html", {"form": form, "course": course})


@login_required
def course_people(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = _authored_course(request, course_slug)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, role = form.cleaned_data["username"], form.cleaned_data["role"]
        try:
            added = authoring.course_member_set(course=course, user=user, role=role)
        except authoring.MemberRefused as exc:
            form.add_error("role", str(exc))
        else:
            verb = "added as" if added else "is now"
            messages.success(request, f"{user.username} {verb} {Enrollment.Role(role).label.lower()}.")
            return redirect("lessons:author_people", course.slug)
    people = Paginator(
        Enrollment.objects.filter(course=course).select_related("user").order_by("role", "user__username"), 50
    ).get_page(request.GET.get("page"))
    return render(request, "lessons/authoring/people.html", {"course": course, "form": form, "people": people})


# --- Lessons ---------------------------------------------------------------------------


@login_required
def lesson_create(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = _authored_course(request, course_slug)
    following = (course.lessons.aggregate(n=Max("number"))["n"] or 0) + 1
    form = LessonForm(request.POST or None, course=course, initial={"number": following, "published": False})
    if request.method == "POST" and form.is_valid():
        lesson = form.save(commit=False)
        lesson.course = course
        authoring.lesson_save(lesson=lesson, changed=set(form.changed_data))
        messages.success(request, f"Lesson “{lesson.title}” created as {lesson.folder}.")
        return redirect("lessons:author_lesson", course.slug, lesson.slug)
    return render(request, "lessons/authoring/lesson_form.html", {"form": form, "course": course, "lesson": None})


@login_required
def lesson_edit(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    course = _authored_course(request, course_slug)
    lesson = get_object_or_404(Lesson, course=course, slug=lesson_slug)
    form = LessonForm(request.POST or None, instance=copy.copy(lesson), course=course)
    if request.method == "POST" and form.is_valid():
        lesson = authoring.lesson_save(lesson=form.save(commit=False), changed=set(form.changed_data))
        messages.success(request, "Lesson saved.")
        return redirect("lessons:author_lesson", course.slug, lesson.slug)
    return render(
        request,
        "lessons/authoring/lesson_form.html",
        {"form": form, "course": course, "lesson": lesson, "exercises": lesson.exercises.all()},
    )


# --- Exercises -------------------------------------------------------------------------

NEW_EXERCISE = {
    "kind": Exercise.Kind.APP,
    "framework": Exercise.Framework.FLASK,
    "entrypoint": "app:app",
    "editable_paths": "app.py",
}
SKELETON_STARTER = """from flask import Flask

app = Flask(__name__)


def home():
    return "Hello!"
"""
SKELETON_TESTS = '''def test_home_page_answers(client):
    """GET / answers 200 OK"""
    response = client.get("/")
    assert response.status_code == 200, f"GET / answered {response.status_code}, expected 200."
'''
# A new exercise starts as a small Flask app that validates as it is: the solution
# routes the home page, the starter forgets to.
NEW_EXERCISE_FILES = {
    ("starter", "app.py"): SKELETON_STARTER,
    ("solution", "app.py"): SKELETON_STARTER.replace("def home", '@app.route("/")\ndef home'),
    ("tests", "test_home.py"): SKELETON_TESTS,
}


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _exercise_forms(
    data: Any, course: Course, exercise: Exercise, initial: dict | None, files: dict
) -> tuple[ExerciseForm, ExerciseFileFormSet, bool]:
    form = ExerciseForm(data, instance=exercise, course=course, initial=initial)
    form_ok = data is not None and form.is_valid()
    editable = form.cleaned_data.get("editable_paths") if form_ok else None
    kind = form.cleaned_data.get("kind") if form_ok else None
    # Bound, the rows are what was posted: with initial data too, a row posted unchanged
    # would count as an empty extra row and be dropped.
    formset = ExerciseFileFormSet(
        data, initial=None if data is not None else file_initial(files), editable=editable, kind=kind
    )
    return form, formset, form_ok and formset.is_valid()


@login_required
def exercise_create(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    course = _authored_course(request, course_slug)
    lesson = get_object_or_404(Lesson, course=course, slug=lesson_slug)
    following = (lesson.exercises.aggregate(n=Max("number"))["n"] or 0) + 1
    initial = {**NEW_EXERCISE, "lesson": lesson, "number": following}
    data = _posted(request)
    form, formset, ok = _exercise_forms(data, course, Exercise(course=course), initial, NEW_EXERCISE_FILES)
    if ok:
        exercise = authoring.exercise_create(course=course, data=form.exercise_data(), files=formset.exercise_files())
        messages.success(request, "Exercise created as a draft (version 1). Validate it, then publish it.")
        return redirect("lessons:author_exercise", course.slug, exercise.slug)
    return render(
        request,
        "lessons/authoring/exercise_form.html",
        {"form": form, "formset": formset, "course": course, "lesson": lesson, "exercise": None},
    )


@login_required
def exercise_edit(request: HttpRequest, course_slug: str, exercise_slug: str) -> HttpResponse:
    exercise = _authored_exercise(request, course_slug, exercise_slug)
    course = exercise.course
    data = _posted(request)
    files = {(f.kind, f.path): f.content for f in exercise.files.all()}
    form, formset, ok = _exercise_forms(data, course, copy.copy(exercise), None, files)
    if ok:
        try:
            saved = authoring.exercise_update(
                exercise_id=exercise.id,
                data=form.exercise_data(),
                files=formset.exercise_files(),
                based_on_version=form.cleaned_data.get("based_on_version"),
            )
        except authoring.ExerciseConflict as exc:
            form.add_error(None, str(exc))
        else:
            _report_save(request, saved)
            return redirect("lessons:author_exercise", course.slug, saved.exercise.slug)
    return render(
        request,
        "lessons/authoring/exercise_form.html",
        {"form": form, "formset": formset, "course": course, "lesson": exercise.lesson, "exercise": exercise}
        | _status_context(exercise),
    )


def _report_save(request: HttpRequest, saved: authoring.ExerciseSaved) -> None:
    version = saved.exercise.version
    if not saved.new_version:
        messages.success(request, "Exercise saved (same version: nothing that grades it changed).")
        return
    text = f"Saved as version {version}: validate it before learners are graded by it."
    if saved.unpublished:
        text += f" It is a draft again until version {version} validates; learners' submissions are all kept."
    messages.warning(request, text)
    if saved.tests_unshared:
        messages.info(request, "Its tests were shared with the lesson's other exercises; it now has its own copy.")


def _status_context(exercise: Exercise) -> dict[str, Any]:
    return {
        "exercise": exercise,
        "validation": exercise.validations.select_related("requested_by").first(),
        "is_validated": exercise.validated_version == exercise.version,
    }


@login_required
@require_POST
def exercise_validate(request: HttpRequest, course_slug: str, exercise_slug: str) -> HttpResponse:
    exercise = _authored_exercise(request, course_slug, exercise_slug)
    validation = exercise_validation_request(exercise=exercise, user=request.user)
    args = [exercise.course.slug, exercise.slug, validation.id]
    status_url = reverse("lessons:author_validation", args=args)
    if _wants_json(request):
        stream_url = reverse("lessons:author_validation_stream", args=args)
        return JsonResponse(
            {"id": validation.id, "status": validation.status, "status_url": status_url, "stream_url": stream_url},
            status=202,
        )
    messages.info(request, f"Validation of version {validation.version} queued: this page shows its result.")
    return redirect("lessons:author_exercise", exercise.course.slug, exercise.slug)


def _validation_state(request: HttpRequest, course_slug: str, exercise_slug: str, pk: int) -> dict[str, Any]:
    """The exercise's status box with this validation (the status view's JSON, and each
    event of its stream)."""
    exercise = _authored_exercise(request, course_slug, exercise_slug)
    validation = get_object_or_404(exercise.validations.select_related("requested_by"), pk=pk)
    context = {**_status_context(exercise), "validation": validation}
    return {
        "id": validation.id,
        "status": validation.status,
        "final": validation.is_final,
        "html": render_to_string("lessons/authoring/_exercise_status.html", context, request=request),
    }


@login_required
@require_GET
def validation_status(request: HttpRequest, course_slug: str, exercise_slug: str, pk: int) -> JsonResponse:
    response = JsonResponse(_validation_state(request, course_slug, exercise_slug, pk))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
async def validation_stream(request: HttpRequest, course_slug: str, exercise_slug: str, pk: int) -> HttpResponse:
    """The status box, pushed as the validation moves on (Server-Sent Events)."""
    state = partial(_validation_state, request, course_slug, exercise_slug, pk)
    return await event_stream(request, events.validation_channel(pk), state, done=lambda data: data["final"])


@login_required
@require_POST
def exercise_publish(request: HttpRequest, course_slug: str, exercise_slug: str) -> HttpResponse:
    exercise = _authored_exercise(request, course_slug, exercise_slug)
    published = request.POST.get("published") == "1"
    try:
        authoring.exercise_publish(exercise=exercise, published=published)
    except authoring.ExerciseNotValidated as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "Published: learners see it now." if published else "Back to draft: learners no longer see it."
        )
    return redirect("lessons:author_exercise", exercise.course.slug, exercise.slug)


# --- Preview as a learner ----------------------------------------------------------------


@login_required
@require_GET
def course_preview(request: HttpRequest, course_slug: str) -> HttpResponse:
    return course_page(request, _authored_course(request, course_slug), preview=True)


@login_required
@require_GET
def lesson_preview(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    course = _authored_course(request, course_slug)
    return lesson_page(request, course, get_object_or_404(Lesson, course=course, slug=lesson_slug), preview=True)


@login_required
@require_GET
def exercise_preview(request: HttpRequest, course_slug: str, exercise_slug: str) -> HttpResponse:
    exercise = _authored_exercise(request, course_slug, exercise_slug)
    return exercise_page(request, exercise.course, exercise, preview=True)


# --- markdownx: live preview and image upload, behind our permission checks -------------


@method_decorator(login_required, name="dispatch")
class MarkdownPreviewView(MarkdownifyView):
    """markdownx's preview, rendered by lessons.markdown.render (MARKDOWNX_MARKDOWNIFY_FUNCTION):
    sanitized exactly as the saved page will be."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_author_anywhere(request)
        content = request.POST.get("content")
        if content is None or len(content) > MAX_PREVIEW_CHARS:
            return HttpResponseBadRequest("Send the markdown as “content” (at most 512 KiB).")
        return super().post(request, *args, **kwargs)


@method_decorator(login_required, name="dispatch")
class ImageUploadAuthorView(ImageUploadView):
    """markdownx's upload protocol (a JSON ``image_code`` to insert), but our form: only
    images Pillow verifies as PNG, JPEG, GIF or WebP, size-capped, stored under a random
    name (lessons.images). Errors come back as JSON with a message to show."""

    form_class = ImageUploadForm
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_author_anywhere(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: ImageUploadForm) -> JsonResponse:
        try:
            url = images.image_store(data=form.cleaned_data["image"], user=self.request.user)
        except images.ImageRefused as exc:  # over the uploader's quota
            return JsonResponse({"error": str(exc), "image": [str(exc)]}, status=400)
        return JsonResponse({"image_code": f"![]({url})"}, status=201)

    def form_invalid(self, form: ImageUploadForm) -> JsonResponse:
        message = " ".join(form.errors.get("image", ["The upload could not be read."]))
        return JsonResponse({"error": message, "image": [message]}, status=400)


markdown_preview = MarkdownPreviewView.as_view()
image_upload = ImageUploadAuthorView.as_view()


@require_safe
@cache_control(max_age=31536000, public=True, immutable=True)
def lesson_image(request: HttpRequest, name: str) -> FileResponse:
    """An uploaded image, in production too. Names are random and never reused, so the
    file may be cached for good; lesson pages are public, and so are their images."""
    path = images.image_path(name)
    if path is None:
        raise Http404("No such image.")
    response = FileResponse(path.open("rb"), content_type=images.CONTENT_TYPES[path.suffix.lstrip(".")])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    # Opened on its own, the file is an image and nothing more: no scripts, no plugins.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response
