"""The gradebook for 1,000 learners × 30 exercises, measured: the bare aggregate queries
a page needs (the baseline), then the whole page through Django (view, queries and
template), and the CSV export of the whole class. Prints the figures; asserts nothing.

Also the one copy of verdict data Duet keeps on purpose: the names of failing tests
(``FailedTest``), an index for the charts' "tests that fail most". It is timed against
the same answer read from the verdicts' results themselves, with no index.

    .venv/bin/python scripts/bench_gradebook.py [--runs 10] [--learners 1000] [--exercises 30]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = Path(tempfile.mkdtemp(prefix="duet-bench-gradebook-"))
os.environ.update(DUET_VAR_DIR=str(VAR), DJANGO_SETTINGS_MODULE="course.settings", DUET_PLAIN_STATIC="true")
os.environ.pop("DATABASE_URL", None)  # always a scratch SQLite file, never a real database

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from course import selectors  # noqa: E402
from course.models import Enrollment  # noqa: E402
from sandbox.models import FailedTest, Submission, Verdict  # noqa: E402
from tests.course.helpers import big_class  # noqa: E402


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and best wall time in ms, after one warm-up run."""
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times)


def give_verdicts(course) -> int:
    """Each graded submission its Verdict (4 tests and a short app log, as a real result
    has) and the names of its failing tests, as the worker records them."""
    log = "".join(f'"GET /todos/{n}/" 200\n' for n in range(40))  # about 1 KiB
    graded = list(
        Submission.objects.filter(exercise__course=course, status__in=Submission.FINAL).values_list(
            "id", "exercise_id", "status", "tests_passed"
        )
    )
    verdicts, failed = [], []
    for sid, eid, status, passed in graded:
        names = ["test_home", "test_detail", "test_post", "test_escape"]
        tests = (
            [
                {"name": name, "status": "pass" if i < (passed or 0) else "fail", "message": "expected 200"}
                for i, name in enumerate(names)
            ]
            if passed is not None
            else []
        )
        result = {"version": 2, "status": status, "message": "", "tests": tests, "app_log": log}
        verdicts.append(Verdict(submission_id=sid, status=status, result=result, exercise_version=1))
        failed += [
            FailedTest(submission_id=sid, exercise_id=eid, name=t["name"]) for t in tests if t["status"] != "pass"
        ]
    Verdict.objects.bulk_create(verdicts, batch_size=2000)
    FailedTest.objects.bulk_create(failed, batch_size=5000)
    for verdict in Verdict.objects.filter(submission__exercise__course=course).only("id", "submission_id").iterator():
        Submission.objects.filter(id=verdict.submission_id).update(verdict_id=verdict.id)
    return len(failed)


def failing_tests_without_index(course, stats, limit: int = 10) -> list[tuple[int, str, int]]:
    """What selectors.failing_tests answers, read from every current verdict's result."""
    learners: dict[tuple[int, str], set[int]] = {}
    rows = Submission.objects.filter(
        exercise_id__in=[s.exercise.id for s in stats],
        user__enrollments__course=course,
        user__enrollments__role=Enrollment.Role.LEARNER,
        verdict__isnull=False,
    ).values_list("exercise_id", "user_id", "verdict__result")
    for exercise_id, user_id, result in rows.iterator(chunk_size=2000):
        for test in result.get("tests") or []:
            if test.get("status") != "pass":
                learners.setdefault((exercise_id, test["name"]), set()).add(user_id)
    ranked = sorted(learners.items(), key=lambda item: (-len(item[1]), item[0][0], item[0][1]))
    return [(eid, name, len(users)) for (eid, name), users in ranked[:limit]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--exercises", type=int, default=30)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["testserver"]
    started = time.perf_counter()
    course = big_class(learners=args.learners, exercises=args.exercises)
    rows = Submission.objects.filter(exercise__course=course).count()
    print(
        f"data: {args.learners} learners × {args.exercises} exercises, {rows:,} submissions "
        f"(made in {time.perf_counter() - started:.1f} s, a scratch SQLite file)"
    )
    index_rows = give_verdicts(course)
    print(f"verdicts: {Verdict.objects.count():,}, failing-test index rows: {index_rows:,}")
    grader = get_user_model().objects.create_user("bench-grader")  # force_login: no password
    Enrollment.objects.create(user=grader, course=course, role=Enrollment.Role.GRADER)
    client = Client()
    client.force_login(grader)

    filters = {"query": "", "lesson": None, "status": "", "sort": "name", "per_page": settings.GRADEBOOK_PAGE_SIZE}
    exercises = selectors.gradebook_exercises(course=course)
    learners = selectors.gradebook_learners(course=course, exercises=exercises)
    page_ids = list(learners.values_list("id", flat=True)[: settings.GRADEBOOK_PAGE_SIZE])
    exercise_ids = [e.id for e in exercises]

    def bare_cells() -> object:
        return selectors.gradebook_cells(learner_ids=page_ids, exercise_ids=exercise_ids)

    def bare_learners() -> object:
        return list(selectors.gradebook_learners(course=course, exercises=exercises)[: settings.GRADEBOOK_PAGE_SIZE])

    def selector_only() -> object:
        return selectors.gradebook(course=course, filters=filters, page_number=1)

    def page(params: dict) -> Callable[[], object]:
        def get() -> object:
            response = client.get(f"/courses/{course.slug}/gradebook/", params)
            assert response.status_code == 200, response.status_code
            return response

        return get

    stats = selectors.exercise_stats(course=course, exercises=exercises)

    def failing_indexed() -> object:
        return selectors.failing_tests(course=course, stats=stats)

    def failing_scanned() -> object:
        return failing_tests_without_index(course, stats)

    indexed = [(t.exercise.id, t.name, t.learners) for t in selectors.failing_tests(course=course, stats=stats)]
    assert indexed == failing_scanned(), "the index and the results disagree"

    def export() -> object:
        response = client.get(f"/courses/{course.slug}/gradebook.csv")
        return b"".join(response.streaming_content)

    with CaptureQueriesContext(connection) as queries:
        page({})()
    print(f"the page takes {len(queries.captured_queries)} queries (session and user included)")
    print(f"{'what':58} {'median ms':>10} {'best ms':>9}")
    for name, fn in [
        ("baseline: cells aggregate for one page (50 × 30)", bare_cells),
        ("baseline: learners with totals, sorted, first page", bare_learners),
        ("selector: both, laid out as rows", selector_only),
        ("page: /gradebook/ (view + queries + template)", page({})),
        (
            "page: sorted by progress, in progress, page 3",
            page({"sort": "-passed", "status": "in_progress", "page": 3}),
        ),
        (
            "page: sorted by one exercise's column, page 5",
            page({"sort": f"exercise-{exercises[len(exercises) // 2].id}", "page": 5}),
        ),
        ("page: 100 learners per page", page({"per_page": 100})),
        (f"CSV: the whole class ({args.learners} rows)", export),
        ("charts: tests that fail most, from the FailedTest index", failing_indexed),
        ("charts: the same, read from the verdicts (no index)", failing_scanned),
    ]:
        median, best = timed(fn, args.runs)
        print(f"{name:58} {median:10.1f} {best:9.1f}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(VAR, ignore_errors=True)
