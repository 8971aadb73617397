"""The course as a whole: who takes part in which course, and in what role; who signed up
from where."""

from __future__ import annotations

import contextlib
import ipaddress
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Enrollment(models.Model):
    class Role(models.TextChoices):
        LEARNER = "learner", "Learner"
        INSTRUCTOR = "instructor", "Instructor"
        GRADER = "grader", "Grader"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey("lessons.Course", on_delete=models.CASCADE, related_name="enrollments")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.LEARNER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="one_enrollment_per_course")]

    def __str__(self) -> str:
        return f"{self.user} in {self.course} as {self.role}"


ROLES_CACHE = "_duet_roles"


def roles_of(user) -> dict[int, str]:
    """The user's role in each course they take part in, by course id: one query, kept on
    the user object (as Django's ModelBackend keeps its permissions, ``_perm_cache``), so
    that a page asking three times (its view, its progress box, its menu) asks the
    database once. request.user is a new object on each request; whatever changes someone's
    enrollments calls ``forget_roles`` on the object it holds."""
    if not user.is_authenticated:
        return {}
    roles = getattr(user, ROLES_CACHE, None)
    if roles is None:
        roles = dict(Enrollment.objects.filter(user=user).values_list("course_id", "role"))
        setattr(user, ROLES_CACHE, roles)
    return roles


def forget_roles(user) -> None:
    """Drop ``roles_of``'s copy on this user object: its enrollments have just changed."""
    with contextlib.suppress(AttributeError):
        delattr(user, ROLES_CACHE)


def role_in(user, course) -> str | None:
    """The user's role in the course, or None."""
    return roles_of(user).get(course.id)


def can_review(user, course) -> bool:
    """Staff, and the course's instructors and graders, may see every learner's work."""
    if not user.is_authenticated:
        return False
    return user.is_staff or role_in(user, course) in (Enrollment.Role.INSTRUCTOR, Enrollment.Role.GRADER)


def can_work_on(user, course) -> bool:
    """Whoever is enrolled in the course (in any role), and staff, may open its exercises,
    keep drafts and submit."""
    if not user.is_authenticated:
        return False
    return user.is_staff or role_in(user, course) is not None


def can_author(user, course) -> bool:
    """Staff, and the course's instructors, may edit its lessons and exercises."""
    if not user.is_authenticated:
        return False
    return user.is_staff or role_in(user, course) == Enrollment.Role.INSTRUCTOR


def can_author_anywhere(user) -> bool:
    """Staff, and anyone who instructs some course: they may create courses and use the
    markdown preview and image upload, which belong to no course in particular."""
    if not user.is_authenticated:
        return False
    return user.is_staff or Enrollment.Role.INSTRUCTOR in roles_of(user).values()


def client_address(request) -> str | None:
    """The address a request came from, for the per-address throttles (sign-ups, sandbox
    work). REMOTE_ADDR: the shipped setup serves gunicorn directly, with no reverse proxy
    in front. Behind one, every client would share the proxy's address: read the client's
    from the proxy's header here instead (and likewise for django-axes, see settings)."""
    address = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None  # not an IP address (a Unix socket, say): no per-address limit applies


class Signup(models.Model):
    """One account made on the sign-up page: from which address, and when. Counted to
    throttle sign-ups per address; kept afterwards, so staff can see which accounts came
    from one address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="signup")
    address = models.GenericIPAddressField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    WINDOW = timedelta(hours=1)

    class Meta:
        indexes = [models.Index(fields=["address", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} from {self.address} at {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def seconds_until_allowed(cls, address: str | None) -> int:
        """0 when ``address`` may sign up once more (at most SIGNUP_RATE an hour), else how
        many seconds until its oldest sign-up of the hour drops out of the count. Counted
        in the database, so every web process agrees."""
        if address is None:
            return 0
        since = timezone.now() - cls.WINDOW
        recent = list(
            cls.objects.filter(address=address, created_at__gte=since)
            .order_by("created_at")
            .values_list("created_at", flat=True)[: settings.SIGNUP_RATE]
        )
        if len(recent) < settings.SIGNUP_RATE:
            return 0
        return max(1, int((recent[0] + cls.WINDOW - timezone.now()).total_seconds()) + 1)
