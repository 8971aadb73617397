"""Learner pages: a course, its lessons and exercises. The page builders here also serve
the instructor's "preview as a learner" (lessons.authoring_views), so a preview is the
learner's page itself, drafts included, not a look-alike."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from course.models import Enrollment, can_author, can_work_on, role_in
from course.page_cache import cached_page
from sandbox.selectors import attempts_for, starter_workspace, workspace_for

from . import markdown
from .models import Course, Exercise, Lesson
from .outline import outline_of


def _course(slug: str) -> Course:
    return get_object_or_404(Course, slug=slug, published=True)


def course_page(request: HttpRequest, course: Course, *, preview: bool = False) -> HttpResponse:
    return render(
        request,
        "lessons/course_detail.html",
        {
            "course": course,
            "outline": outline_of(course),
            # A preview shows the page as a learner enrolled in the course sees it.
            "role": Enrollment.Role.LEARNER if preview else role_in(request.user, course),
            "preview": preview,
            "can_author_course": not preview and can_author(request.user, course),
        },
    )


def lesson_page(request: HttpRequest, course: Course, lesson: Lesson, *, preview: bool = False) -> HttpResponse:
    lessons = outline_of(course).visible_lessons(preview=preview)
    index = next((i for i, item in enumerate(lessons) if item.id == lesson.id), None)
    if index is None:  # the lesson is newer than the course row this request read
        lessons = outline_of(course, fresh=True).visible_lessons(preview=preview)
        index = next(i for i, item in enumerate(lessons) if item.id == lesson.id)
    exercises = lessons[index].visible_exercises(preview=preview)
    return render(
        request,
        "lessons/lesson_detail.html",
        {
            "course": course,
            "lesson": lesson,
            "exercises": exercises,
            "previous": lessons[index - 1] if index > 0 else None,
            "next": lessons[index + 1] if index + 1 < len(lessons) else None,
            "preview": preview,
            "can_author_course": not preview and can_author(request.user, course),
        },
    )


def exercise_page(
    request: HttpRequest,
    course: Course,
    exercise: Exercise,
    *,
    preview: bool = False,
    posted: dict[str, str] | None = None,
) -> HttpResponse:
    """The exercise and its workspace; ``posted`` are files a refused submission sent,
    which the editor then holds, so that nothing typed is lost."""
    if preview:
        # What a learner who has not submitted yet sees: the starter, no attempts.
        attempts, workspace = [], starter_workspace(exercise)
    else:
        attempts = attempts_for(user=request.user, exercise=exercise)
        workspace = workspace_for(user=request.user, exercise=exercise, from_id=request.GET.get("from"), posted=posted)
    return render(
        request,
        "lessons/exercise_detail.html",
        {
            "course": course,
            "exercise": exercise,
            "lesson": exercise.lesson,
            "workspace": workspace,
            "attempts": attempts,
            "latest": attempts[0] if attempts else None,
            "preview": preview,
            "can_author_course": not preview and can_author(request.user, course),
        },
    )


@cached_page
def course_detail(request: HttpRequest, course_slug: str) -> HttpResponse:
    return course_page(request, _course(course_slug))


@cached_page
def lesson_detail(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    course = _course(course_slug)
    lesson = get_object_or_404(Lesson, course=course, slug=lesson_slug, published=True)
    return lesson_page(request, course, lesson)


def visible_exercise(request: HttpRequest, course_slug: str, exercise_slug: str) -> Exercise:
    """The exercise, for its page and for submitting to it: it, its lesson and its course
    must all be published, but for staff and the course's instructors. To anyone else a
    draft does not exist (404), so not even its lesson's title shows."""
    exercise = get_object_or_404(
        Exercise.objects.select_related("course", "lesson"), course__slug=course_slug, slug=exercise_slug
    )
    exercise.lesson.course = exercise.course  # the same row: the page's links ask it for its slug
    published = exercise.published and exercise.lesson.published and exercise.course.published
    if not published and not can_author(request.user, exercise.course):
        raise Http404("No such exercise.")
    return exercise


@cached_page
@login_required
def exercise_detail(request: HttpRequest, course_slug: str, exercise_slug: str) -> HttpResponse:
    exercise = visible_exercise(request, course_slug, exercise_slug)
    course = exercise.course
    if not can_work_on(request.user, course):
        messages.info(request, "Enrol in the course to work on its exercises.")
        return redirect(course)
    return exercise_page(request, course, exercise)


@require_GET
@cache_control(max_age=86400, public=True)
def pygments_css(request: HttpRequest) -> HttpResponse:
    return HttpResponse(markdown.pygments_css(), content_type="text/css; charset=utf-8")
