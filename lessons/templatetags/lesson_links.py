"""Links between learner pages that stay inside a preview when the page is one."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from lessons.models import Exercise, Lesson
from lessons.outline import Outline, OutlineExercise, OutlineLesson

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, obj: Lesson | Exercise | OutlineLesson | OutlineExercise) -> str:
    """The learner's URL of a lesson or exercise, or its preview URL inside a preview."""
    course_slug = context["course"].slug
    kind = "lesson" if isinstance(obj, Lesson | OutlineLesson) else "exercise"
    name = f"lessons:preview_{kind}" if context.get("preview") else f"lessons:{kind}"
    return reverse(name, args=[course_slug, obj.slug])


def _url_maker(context: template.Context, kind: str):
    """The learner's (or the preview's) URL of a lesson or exercise by slug: reversed once
    for the page, the slug put in its place (a slug is URL-safe: lessons.course_folder.SLUG)."""
    name = f"lessons:preview_{kind}" if context.get("preview") else f"lessons:{kind}"
    pattern = reverse(name, args=[context["course"].slug, "slug-here"])
    return lambda slug: pattern.replace("/slug-here/", f"/{slug}/")


@register.simple_tag(takes_context=True)
def course_outline(context: template.Context, outline: Outline) -> SafeString:
    """The course page's list of lessons and their exercises, each a link, built here
    rather than by template loops (the longest part of the page to render, for 14 lessons
    and 28 exercises), once per version of the course for the learner's page and once
    for the preview's: the same for every reader."""
    preview = bool(context.get("preview"))
    key = (context["course"].slug, preview)
    if (html := outline.rendered.get(key)) is None:
        html = outline.rendered[key] = _outline_html(context, outline, preview)
    return html


def _outline_html(context: template.Context, outline: Outline, preview: bool) -> SafeString:
    lesson_url, exercise_url = _url_maker(context, "lesson"), _url_maker(context, "exercise")
    items = []
    for lesson in outline.visible_lessons(preview=preview):
        exercises = format_html_join(
            "",
            '<li><a href="{}">{}</a> <span class="fw fw-{}">{}</span></li>',
            (
                (exercise_url(e.slug), e.title, e.framework, e.get_framework_display())
                for e in lesson.visible_exercises(preview=preview)
            ),
        )
        items.append(
            format_html(
                '<li><a href="{}">{}</a><ul class="exercise-list">{}</ul></li>',
                lesson_url(lesson.slug),
                lesson.title,
                exercises,
            )
        )
    return format_html('<ol class="lessons">{}</ol>', SafeString("".join(items)))
