"""The course page's progress box: a learner's own progress, never anyone else's (it
reads request.user only); and links to the review pages for graders and instructors."""

from __future__ import annotations

from typing import Any

from django import template

from course.models import Enrollment, can_review, role_in
from course.selectors import learner_progress

register = template.Library()


@register.inclusion_tag("course/_progress.html", takes_context=True)
def course_progress(context: template.Context) -> dict[str, Any]:
    course = context["course"]
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    # An instructor's preview shows the page as a learner who has not started sees it.
    preview = bool(context.get("preview"))
    role = context["role"] if "role" in context else role_in(user, course)
    # Progress is a learner's; graders and instructors get the review links instead.
    learning = preview or role == Enrollment.Role.LEARNER
    return {
        "show": learning,
        "course": course,
        "progress": learner_progress(course=course, user=None if preview else user) if learning else None,
        "can_review": not preview and can_review(user, course),
    }
