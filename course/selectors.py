"""Reads about the course as a whole: the gradebook, a learner's timeline, the charts a
grader reads, and a learner's own progress.

The database does the counting: every figure is an aggregate over submissions grouped by
learner and exercise, one query for a page of learners, never one per cell. Python only
lays the page's cells out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.shortcuts import get_object_or_404

from lessons.models import Course, Exercise, Lesson
from lessons.outline import OutlineLesson, outline_of
from sandbox.models import Comment, FailedTest, Submission, passed_q

from .models import Enrollment

User = get_user_model()
LEARNER = Enrollment.Role.LEARNER
PENDING = list(Submission.PENDING)


# --- The gradebook ---------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One learner on one exercise."""

    exercise: Exercise
    attempts: int = 0
    passed: bool = False
    pending: bool = False
    best_passed: int | None = None
    best_total: int | None = None
    last_activity: datetime | None = None
    latest_id: int | None = None

    LABELS = {"passed": "Passed", "pending": "Waiting", "failed": "Not passed", "not_started": "Not started"}

    @property
    def status(self) -> str:
        if self.passed:
            return "passed"
        if self.pending:
            return "pending"
        return "failed" if self.attempts else "not_started"

    @property
    def label(self) -> str:
        return self.LABELS[self.status]

    @property
    def best(self) -> str:
        """The best test score, "3/4"; empty when no test ever ran."""
        if self.best_total is None:
            return ""
        return f"{self.best_passed}/{self.best_total}"


@dataclass
class Row:
    learner: Any  # a User, annotated by gradebook_learners()
    cells: list[Cell]


@dataclass
class Gradebook:
    exercises: list[Exercise]
    page: Page
    rows: list[Row]


SORTS: dict[str, list[Any]] = {
    "name": ["username"],
    "-name": ["-username"],
    "passed": ["passed", "username"],
    "-passed": ["-passed", "username"],
    "activity": [F("last_activity").asc(nulls_first=True), "username"],
    "-activity": [F("last_activity").desc(nulls_last=True), "username"],
    "-attempts": ["-attempts", "username"],
}


def gradebook_exercises(*, course: Course, lesson: Lesson | None = None) -> list[Exercise]:
    """The gradebook's columns: published exercises in course order."""
    exercises = Exercise.objects.filter(course=course, published=True)
    if lesson is not None:
        exercises = exercises.filter(lesson=lesson)
    return list(
        exercises.select_related("lesson").only(
            "id", "slug", "title", "framework", "number", "version", "lesson__number", "lesson__title", "lesson__slug"
        )
    )


def _per_learner(exercise_ids: list[int], **aggregate: Any) -> Subquery:
    """One aggregate over a learner's submissions to ``exercise_ids``, as a correlated
    subquery: the database computes it only for the rows it returns (a page, when sorted
    by name) or sorts and filters on it (the whole class) without a join that multiplies
    rows."""
    ((name, expression),) = aggregate.items()
    mine = Submission.objects.filter(user_id=OuterRef("pk"), exercise_id__in=exercise_ids).order_by()
    return Subquery(mine.values("user_id").annotate(**{name: expression}).values(name)[:1])


def gradebook_learners(
    *, course: Course, exercises: list[Exercise], query: str = "", status: str = "", sort: str = "name"
) -> QuerySet:
    """The course's learners with their totals over ``exercises``, filtered and sorted by
    the database (so paging is LIMIT/OFFSET over the whole class)."""
    ids = [exercise.id for exercise in exercises]
    learners = User.objects.filter(enrollments__course=course, enrollments__role=LEARNER)
    if query:
        learners = learners.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
        )
    learners = learners.annotate(
        passed=Coalesce(_per_learner(ids, n=Count("exercise_id", filter=passed_q(), distinct=True)), 0),
        attempted=Coalesce(_per_learner(ids, n=Count("exercise_id", distinct=True)), 0),
        attempts=Coalesce(_per_learner(ids, n=Count("id")), 0),
        pending=Coalesce(_per_learner(ids, n=Count("id", filter=Q(status__in=PENDING))), 0),
        last_activity=_per_learner(ids, n=Max("created_at")),
    )
    if status == "not_started":
        learners = learners.filter(attempted=0)
    elif status == "in_progress":
        learners = learners.filter(attempted__gt=0, passed__lt=len(ids))
    elif status == "passed":
        learners = learners.filter(passed=len(ids)) if ids else learners.none()
    elif status == "pending":
        learners = learners.filter(pending__gt=0)
    learners = learners.only("id", "username", "first_name", "last_name")
    column = exercise_sort(sort)
    if column is not None:
        exercise_id, descending = column
        return _sorted_by_exercise(learners, exercise_id, descending)
    return learners.order_by(*SORTS.get(sort, SORTS["name"]))


def exercise_sort(sort: str) -> tuple[int, bool] | None:
    """``exercise-<id>`` (weakest first) or ``-exercise-<id>`` (strongest first) as
    (id, descending); None for the other sorts."""
    descending = sort.startswith("-")
    name, _, number = sort.lstrip("-").partition("-")
    if name != "exercise" or not number.isdigit():
        return None
    return int(number), descending


# A cell's state as a number to sort on: not started < not passed < waiting < passed.
_NOT_STARTED, _FAILED, _WAITING, _PASSED = range(4)


def _sorted_by_exercise(learners: QuerySet, exercise_id: int, descending: bool) -> QuerySet:
    """Learners ordered by their state on one exercise, then by best score, then by fewer
    attempts (a pass in one try ranks above a pass in ten), then by name."""
    learners = learners.annotate(
        col_passes=Coalesce(_per_learner([exercise_id], n=Count("id", filter=passed_q())), 0),
        col_waiting=Coalesce(_per_learner([exercise_id], n=Count("id", filter=Q(status__in=PENDING))), 0),
        col_attempts=Coalesce(_per_learner([exercise_id], n=Count("id")), 0),
        col_best=Coalesce(_per_learner([exercise_id], n=Max("tests_passed")), -1),
    ).annotate(
        col_state=Case(
            When(col_passes__gt=0, then=Value(_PASSED)),
            When(col_waiting__gt=0, then=Value(_WAITING)),
            When(col_attempts__gt=0, then=Value(_FAILED)),
            default=Value(_NOT_STARTED),
            output_field=IntegerField(),
        )
    )
    if descending:
        return learners.order_by("-col_state", "-col_best", "col_attempts", "username")
    return learners.order_by("col_state", "col_best", "-col_attempts", "username")


def gradebook_cells(*, learner_ids: list[int], exercise_ids: list[int]) -> dict[tuple[int, int], dict[str, Any]]:
    """Attempts, pass, pending, best score, last activity and latest attempt, per (learner,
    exercise) that has any submission: one grouped query."""
    rows = (
        Submission.objects.filter(user_id__in=learner_ids, exercise_id__in=exercise_ids)
        .values("user_id", "exercise_id")
        .annotate(
            attempts=Count("id"),
            passes=Count("id", filter=passed_q()),
            waiting=Count("id", filter=Q(status__in=PENDING)),
            best_passed=Max("tests_passed"),
            best_total=Max("tests_total"),
            last_activity=Max("created_at"),
            latest_id=Max("id"),
        )
        .order_by()  # no default ordering: it would join the GROUP BY
    )
    return {(row["user_id"], row["exercise_id"]): row for row in rows}


def gradebook_rows(*, learners: Iterable[Any], exercises: list[Exercise]) -> list[Row]:
    learners = list(learners)
    cells = gradebook_cells(learner_ids=[u.id for u in learners], exercise_ids=[e.id for e in exercises])
    rows = []
    for learner in learners:
        row_cells = []
        for exercise in exercises:
            data = cells.get((learner.id, exercise.id))
            if data is None:
                row_cells.append(Cell(exercise))
                continue
            row_cells.append(
                Cell(
                    exercise,
                    attempts=data["attempts"],
                    passed=data["passes"] > 0,
                    pending=data["waiting"] > 0,
                    best_passed=data["best_passed"],
                    best_total=data["best_total"],
                    last_activity=data["last_activity"],
                    latest_id=data["latest_id"],
                )
            )
        rows.append(Row(learner, row_cells))
    return rows


def gradebook(*, course: Course, filters: dict[str, Any], page_number: Any = 1) -> Gradebook:
    """One page of the gradebook: learners × exercises, as the filters ask."""
    exercises = gradebook_exercises(course=course, lesson=filters["lesson"])
    learners = gradebook_learners(
        course=course, exercises=exercises, query=filters["query"], status=filters["status"], sort=filters["sort"]
    )
    page = Paginator(learners, filters["per_page"]).get_page(page_number)
    return Gradebook(exercises, page, gradebook_rows(learners=page.object_list, exercises=exercises))


def gradebook_all_rows(
    *, course: Course, exercises: list[Exercise], filters: dict[str, Any], chunk: int = 500
) -> Iterator[Row]:
    """Every learner the filters select (the CSV export), ``chunk`` learners per query, so
    memory stays flat however big the class."""
    learners = gradebook_learners(
        course=course, exercises=exercises, query=filters["query"], status=filters["status"], sort=filters["sort"]
    )
    paginator = Paginator(learners, chunk)
    for number in paginator.page_range:
        yield from gradebook_rows(learners=paginator.page(number).object_list, exercises=exercises)


# --- One learner ------------------------------------------------------------------------


def course_learner(*, course: Course, user_id: int) -> Any:
    """Someone enrolled in the course (any role), or 404."""
    return get_object_or_404(User.objects.filter(enrollments__course=course), id=user_id)


def learner_timeline(*, course: Course, learner: Any) -> QuerySet:
    """The learner's submissions in the course, oldest first, each with its attempt number
    at its exercise and its comment count, numbered by the database."""
    comments = (
        Comment.objects.filter(submission=OuterRef("pk"))
        .order_by()
        .values("submission")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Submission.objects.filter(user=learner, exercise__course=course)
        .select_related("exercise__lesson")
        .defer("files", "exercise__instructions", "exercise__instructions_html", "exercise__front_matter")
        .annotate(
            number=Window(RowNumber(), partition_by=[F("exercise_id")], order_by=F("id").asc()),
            comment_count=Subquery(comments),
        )
        .order_by("created_at", "id")
    )


# --- Charts ----------------------------------------------------------------------------


def _learner_submissions(course: Course, exercise_ids: list[int]) -> QuerySet:
    return Submission.objects.filter(
        exercise_id__in=exercise_ids, user__enrollments__course=course, user__enrollments__role=LEARNER
    )


@dataclass
class ExerciseStats:
    exercise: Exercise
    attempted: int = 0
    passed: int = 0
    attempts_to_pass: int = 0  # submissions up to and including each learner's first pass, summed

    @property
    def pass_rate(self) -> int:
        return round(100 * self.passed / self.attempted) if self.attempted else 0

    @property
    def mean_attempts(self) -> float:
        return round(self.attempts_to_pass / self.passed, 1) if self.passed else 0.0


def _first_pass() -> Subquery:
    return Subquery(
        Submission.objects.filter(user_id=OuterRef("user_id"), exercise_id=OuterRef("exercise_id"))
        .filter(passed_q())
        .order_by("id")
        .values("id")[:1]
    )


def exercise_stats(*, course: Course, exercises: list[Exercise]) -> list[ExerciseStats]:
    """Per exercise: learners who tried, who passed, and the attempts they needed to pass
    (every submission up to each learner's first pass). Two grouped queries."""
    ids = [exercise.id for exercise in exercises]
    submissions = _learner_submissions(course, ids)
    rates = {
        row["exercise_id"]: row
        for row in submissions.values("exercise_id")
        .annotate(attempted=Count("user_id", distinct=True), passed=Count("user_id", distinct=True, filter=passed_q()))
        .order_by()
    }
    tries = dict(
        submissions.annotate(first_pass=_first_pass())
        .filter(id__lte=F("first_pass"))
        .values("exercise_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("exercise_id", "n")
    )
    return [
        ExerciseStats(
            exercise,
            attempted=rates.get(exercise.id, {}).get("attempted", 0),
            passed=rates.get(exercise.id, {}).get("passed", 0),
            attempts_to_pass=tries.get(exercise.id, 0),
        )
        for exercise in exercises
    ]


def attempts_histogram(*, course: Course, exercises: list[Exercise], top: int = 5) -> list[tuple[str, int]]:
    """How many attempts learners needed for their first pass: 1, 2, … and "5+" (``top``),
    counted over every (learner, exercise) that passed."""
    ids = [exercise.id for exercise in exercises]
    upto = (
        Submission.objects.filter(
            user_id=OuterRef("user_id"), exercise_id=OuterRef("exercise_id"), id__lte=OuterRef("id")
        )
        .order_by()
        .values("user_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    counts = (
        _learner_submissions(course, ids)
        .annotate(first_pass=_first_pass())
        .filter(id=F("first_pass"))
        .annotate(tries=Subquery(upto))
        .values("tries")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("tries", "n")
    )
    buckets = dict.fromkeys(range(1, top + 1), 0)
    for tries, n in counts:
        buckets[min(tries, top)] += n
    return [(f"{k}+" if k == top else str(k), n) for k, n in buckets.items()]


@dataclass
class FailingTest:
    exercise: Exercise
    name: str
    learners: int
    attempted: int

    @property
    def share(self) -> int:
        return round(100 * self.learners / self.attempted) if self.attempted else 0


def failing_tests(*, course: Course, stats: list[ExerciseStats], limit: int = 10) -> list[FailingTest]:
    """The tests that trip the most learners (in the current verdicts of their attempts)."""
    by_id = {s.exercise.id: s for s in stats}
    rows = (
        FailedTest.objects.filter(
            exercise_id__in=list(by_id),
            submission__user__enrollments__course=course,
            submission__user__enrollments__role=LEARNER,
        )
        .values("exercise_id", "name")
        .annotate(learners=Count("submission__user_id", distinct=True))
        .order_by("-learners", "exercise_id", "name")[:limit]
    )
    return [
        FailingTest(
            by_id[row["exercise_id"]].exercise, row["name"], row["learners"], by_id[row["exercise_id"]].attempted
        )
        for row in rows
    ]


# --- A learner's own progress ----------------------------------------------------------


@dataclass
class LessonProgress:
    lesson: OutlineLesson
    total: int = 0
    attempted: int = 0
    passed: int = 0

    @property
    def state(self) -> str:
        if not self.total:
            return "reading"
        if self.passed == self.total:
            return "passed"
        return "in_progress" if self.attempted else "not_started"

    @property
    def state_label(self) -> str:
        return {
            "reading": "No exercises",
            "passed": "Passed",
            "in_progress": "In progress",
            "not_started": "Not started",
        }[self.state]


@dataclass
class CourseProgress:
    lessons: list[LessonProgress] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(lesson.total for lesson in self.lessons)

    @property
    def passed(self) -> int:
        return sum(lesson.passed for lesson in self.lessons)

    @property
    def percent(self) -> int:
        return round(100 * self.passed / self.total) if self.total else 0


def learner_progress(*, course: Course, user: Any | None) -> CourseProgress:
    """``user``'s progress in the course, lesson by lesson (None: someone who has not
    started, as a preview shows it): the course's outline (lessons.outline, read once per
    version) and one query for the user's attempts, whatever the course's size."""
    lessons = outline_of(course).visible_lessons()
    exercises = {e.id: lesson.id for lesson in lessons for e in lesson.visible_exercises()}
    mine: dict[int, int] = {}
    if user is not None and user.is_authenticated and exercises:
        mine = dict(
            Submission.objects.filter(user=user, exercise_id__in=list(exercises))
            .values("exercise_id")
            .annotate(passes=Count("id", filter=passed_q()))
            .order_by()
            .values_list("exercise_id", "passes")
        )
    by_lesson = {lesson.id: LessonProgress(lesson) for lesson in lessons}
    for exercise_id, lesson_id in exercises.items():
        entry = by_lesson[lesson_id]
        entry.total += 1
        if exercise_id in mine:
            entry.attempted += 1
            entry.passed += mine[exercise_id] > 0
    return CourseProgress(list(by_lesson.values()))
