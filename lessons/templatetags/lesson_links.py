"""Links between learner pages that stay inside a preview when the page is one."""

from django import template
from django.urls import reverse

from lessons.models import Exercise, Lesson

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, obj: Lesson | Exercise) -> str:
    """The learner's URL of a lesson or exercise, or its preview URL inside a preview."""
    course_slug = context["course"].slug
    kind = "lesson" if isinstance(obj, Lesson) else "exercise"
    name = f"lessons:preview_{kind}" if context.get("preview") else f"lessons:{kind}"
    return reverse(name, args=[course_slug, obj.slug])
