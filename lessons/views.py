from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from course.models import can_review, role_in

from . import markdown
from .models import Course, Exercise, Lesson


def _course(slug: str) -> Course:
    return get_object_or_404(Course, slug=slug, published=True)


def course_detail(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = _course(course_slug)
    lessons = course.lessons.filter(published=True).prefetch_related("exercises")
    return render(
        request,
        "lessons/course_detail.html",
        {
            "course": course,
            "lessons": lessons,
            "role": role_in(request.user, course),
        },
    )


def lesson_detail(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    course = _course(course_slug)
    lesson = get_object_or_404(Lesson, course=course, slug=lesson_slug, published=True)
    lessons = list(course.lessons.filter(published=True))
    index = next(i for i, item in enumerate(lessons) if item.id == lesson.id)
    return render(
        request,
        "lessons/lesson_detail.html",
        {
            "course": course,
            "lesson": lesson,
            "exercises": lesson.exercises.filter(published=True),
            "previous": lessons[index - 1] if index > 0 else None,
            "next": lessons[index + 1] if index + 1 < len(lessons) else None,
        },
    )


@login_required
def exercise_detail(request: HttpRequest, course_slug: str, exercise_slug: str) -> HttpResponse:
    from sandbox.selectors import attempts_for, editor_files

    course = _course(course_slug)
    exercise = get_object_or_404(Exercise, course=course, slug=exercise_slug, published=True)
    if role_in(request.user, course) is None and not can_review(request.user, course):
        messages.info(request, "Enrol in the course to work on its exercises.")
        return redirect(course)
    attempts = attempts_for(user=request.user, exercise=exercise)
    files, loaded_from = editor_files(user=request.user, exercise=exercise, from_id=request.GET.get("from"))
    return render(
        request,
        "lessons/exercise_detail.html",
        {
            "course": course,
            "exercise": exercise,
            "lesson": exercise.lesson,
            "files": files,
            "loaded_from": loaded_from,
            "attempts": attempts,
            "latest": attempts[0] if attempts else None,
        },
    )


@require_GET
@cache_control(max_age=86400, public=True)
def pygments_css(request: HttpRequest) -> HttpResponse:
    return HttpResponse(markdown.pygments_css(), content_type="text/css; charset=utf-8")
