"""The course as a whole: the home page, sign-up and enrolment; and, for its graders and
instructors, the review pages: the gradebook (and its CSV), charts, a learner's timeline."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.paginator import Paginator
from django.db import transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseServerError,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.views.decorators.http import require_GET, require_POST

from lessons.models import Course

from . import exports, selectors
from .forms import GradebookFilterForm, SignupForm
from .models import Enrollment, Signup, can_review, client_address, forget_roles, roles_of


def home(request: HttpRequest) -> HttpResponse:
    courses = Course.objects.filter(published=True)
    enrolled = set(roles_of(request.user))  # the menu asks the same, from the same query
    return render(request, "course/home.html", {"courses": courses, "enrolled": enrolled})


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        address = client_address(request)
        # Before the form is checked: a refused sign-up costs no password hashing.
        if wait := Signup.seconds_until_allowed(address):
            return _signup_throttled(request, wait)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)  # hashes the password outside the transaction
        with transaction.atomic():
            # Again, in the transaction that adds the row: on SQLite (whose transactions
            # take the write lock at once) two sign-ups cannot both take the last place.
            if wait := Signup.seconds_until_allowed(address):
                return _signup_throttled(request, wait)
            user.save()
            Signup.objects.create(user=user, address=address)
        # Named, because django-axes adds a backend that only watches logins.
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}! Pick a course to start.")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


def _signup_throttled(request: HttpRequest, wait: int) -> HttpResponse:
    """429, in words, with Retry-After; the username typed stays in the form, unchecked."""
    minutes = -(-wait // 60)
    response = render(
        request,
        "registration/signup.html",
        {
            "form": SignupForm(initial={"username": request.POST.get("username", "")[:150]}),
            "throttled": (
                f"{settings.SIGNUP_RATE} accounts have been made from your network address in the last hour, "
                f"the most Duet allows. Please try again in {minutes} minute{'s' if minutes != 1 else ''}, "
                "or ask your course's staff for an account."
            ),
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """What django-axes answers a locked-out login (AXES_LOCKOUT_CALLABLE): 429, the
    reason in words, and when to come back, also as Retry-After."""
    cooloff = int(settings.AXES_COOLOFF_TIME.total_seconds())
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    response = render(
        request,
        "registration/locked_out.html",
        {"username": username[:150], "failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": -(-cooloff // 60)},
        status=429,
    )
    response["Retry-After"] = str(cooloff)
    return response


@login_required
@require_POST
def enrol(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = get_object_or_404(Course, slug=course_slug, published=True)
    Enrollment.objects.get_or_create(user=request.user, course=course)
    forget_roles(request.user)
    messages.success(request, f"You are enrolled in {course.title}.")
    return redirect(course)


# --- Review: the gradebook, a learner's timeline, charts (graders and instructors) ------


def _reviewable_course(request: HttpRequest, course_slug: str) -> Course:
    """The course, if the user may review its learners' work; to anyone else its review
    pages do not exist (404), and neither may the course, if it is unpublished."""
    course = get_object_or_404(Course, slug=course_slug)
    if not can_review(request.user, course):
        raise Http404("No such course.")
    return course


def _query_without(request: HttpRequest, *names: str) -> str:
    """The page's query string less some parameters, for links that set them anew."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@login_required
@require_GET
def gradebook(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = _reviewable_course(request, course_slug)
    form = GradebookFilterForm(request.GET, course=course)
    filters = form.filters()
    book = selectors.gradebook(course=course, filters=filters, page_number=request.GET.get("page"))
    return render(
        request,
        "course/gradebook.html",
        {
            "course": course,
            "form": form,
            "filters": filters,
            "book": book,
            "page_query": _query_without(request, "page"),
            "sort_query": _query_without(request, "page", "sort"),
            "csv_query": _query_without(request, "page", "per_page"),
        },
    )


@login_required
@require_GET
def gradebook_csv(request: HttpRequest, course_slug: str) -> StreamingHttpResponse:
    course = _reviewable_course(request, course_slug)
    filters = GradebookFilterForm(request.GET, course=course).filters()
    response = StreamingHttpResponse(
        exports.gradebook_csv(course=course, filters=filters), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{course.slug}-gradebook.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def gradebook_charts(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = _reviewable_course(request, course_slug)
    form = GradebookFilterForm(request.GET, course=course)
    filters = form.filters()
    exercises = selectors.gradebook_exercises(course=course, lesson=filters["lesson"])
    stats = selectors.exercise_stats(course=course, exercises=exercises)
    histogram = selectors.attempts_histogram(course=course, exercises=exercises)
    return render(
        request,
        "course/gradebook_charts.html",
        {
            "course": course,
            "form": form,
            "stats": stats,
            "max_mean": max([s.mean_attempts for s in stats], default=0) or 1,
            "histogram": histogram,
            "max_histogram": max([n for _, n in histogram], default=0) or 1,
            "failing": selectors.failing_tests(course=course, stats=stats),
        },
    )


@login_required
@require_GET
def learner_timeline(request: HttpRequest, course_slug: str, user_id: int) -> HttpResponse:
    course = _reviewable_course(request, course_slug)
    learner = selectors.course_learner(course=course, user_id=user_id)
    page = Paginator(selectors.learner_timeline(course=course, learner=learner), 100).get_page(request.GET.get("page"))
    return render(request, "course/learner_timeline.html", {"course": course, "learner": learner, "page": page})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 for a request it would not read (handler400), in words a person can act
    on: a body too large (answered 413) or with too many fields, on any page. The submit
    view says the same for its own stricter limits; this covers every other form."""
    status = 400
    if isinstance(exception, RequestDataTooBig):
        status = 413
        message = (
            f"What you sent is larger than Duet takes in one request "
            f"({settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024:,} KiB of form data). Nothing was saved: "
            "go back, make it smaller (or split it), and send it again."
        )
    elif isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        message = (
            f"What you sent has too many fields or files (at most {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} "
            f"fields and {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files in one request). Nothing was saved."
        )
    else:
        message = "Duet could not read this request. Nothing was saved: go back and try again."
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"error": message}, status=status)
    return render(request, "400.html", {"message": message, "status": status}, status=status)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form Django would not take (its token was missing or old) gets
    the site's 403 page, or JSON for a page's script, saying what to do about it."""
    message = (
        "Duet could not confirm that this form was sent from one of its own pages, so it did not accept it. "
        "This happens when a page has been open for a long time, or after you logged in or out in another "
        "tab. Reload the page and try again."
    )
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"error": message}, status=403)
    context = {"csrf_failure": True, "message": message, "reason": reason}
    return render(request, "403.html", context, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 500.html with the site's name and nothing else. No request context (its
    processors read the session and the user) and no query: what failed may be the database."""
    return HttpResponseServerError(loader.render_to_string("500.html", {"site_name": settings.SITE_NAME}))
