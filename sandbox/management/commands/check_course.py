"""Check a content folder in the real sandbox: every exercise's reference solution must
pass and its starter must not; each of its wrong variants (variants/<slug>/) must fail
and each of its alternative solutions (alternatives/<slug>/) must pass.

    python manage.py check_course lessons/content/flask-and-django [--jobs 2] [--only SLUG]

Reads the folder (not the database), so a course can be checked before it is imported.
Exit status: 0 every exercise is good, 1 some exercise is bad, 2 the folder itself is
malformed (the message names the file and line) or the sandbox is unavailable.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from lessons.course_folder import ContentError, CourseSpec, ExerciseSpec, LessonSpec, learner_files_of, load_course
from lessons.models import sandbox_limits
from lessons.paths import Editable
from sandbox import grading
from sandbox.runner import Limits, SandboxUnavailable

SANDBOX_ATTEMPTS = 3


@contextlib.contextmanager
def machine_slot() -> Iterator[None]:
    """One of the machine's sandbox slots (as many as it has cores), shared by every
    check_course running on it: authors checking their exercises at the same time
    take turns, where running them all at once would make every run late and fail
    them on the wall clock."""
    folder = Path(settings.VAR_DIR) / "check_course"
    folder.mkdir(parents=True, exist_ok=True)
    slots = [folder / f"slot-{number}.lock" for number in range(os.cpu_count() or 1)]
    while True:
        for path in slots:
            with path.open("a") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
                return
        time.sleep(0.05)


@dataclass
class Check:
    lesson: LessonSpec
    exercise: ExerciseSpec
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.lesson.folder}/{self.exercise.slug}"

    @property
    def work(self) -> list[str]:
        """The runs this exercise needs, in the order they are reported."""
        variants = [] if self.exercise.app else [f"variant:{slug}" for slug in self.exercise.variants]
        # A tests exercise's runs each cover every variant: an alternative is tests of its own.
        return ["solution", "starter", *variants, *(f"alternative:{slug}" for slug in self.exercise.alternatives)]

    @property
    def problems(self) -> list[str]:
        found = []
        solution, starter = self.runs.get("solution"), self.runs.get("starter")
        if solution is not None and solution["status"] != "pass":
            found.append(f"the solution does not pass: {solution['message']}")
            found += [f"  {t['name']}: {t['message']}" for t in solution["tests"] if t["status"] != "pass"]
            if solution.get("staff_note"):
                found.append(f"  why the tests did not load: {solution['staff_note'][:800]}")
        if starter is not None and starter["status"] == "pass":
            found.append("the starter passes every test: there is nothing for the learner to do")
        if self.exercise.app and solution is not None:
            for entry in solution["tests"][1:]:
                if entry["status"] != "pass":
                    found.append(f"the reference tests do not catch variant {entry.get('variant')}: {entry['message']}")
        for slug, variant in self.exercise.variants.items():
            run = self.runs.get(f"variant:{slug}")
            if run is not None and run["status"] == "pass":
                found.append(f"variant {slug} passes every test: the tests do not catch it ({variant.description})")
        for slug in self.exercise.alternatives:
            run = self.runs.get(f"alternative:{slug}")
            if run is not None and run["status"] != "pass":
                found.append(f"alternative {slug} does not pass: {run['message']}")
                found += [f"  {t['name']}: {t['message']}" for t in run["tests"] if t["status"] != "pass"]
        return found


def sent_files(exercise: ExerciseSpec, which: str) -> dict[str, str]:
    """The files a learner would send to submit the starter, the solution, or a variant
    or alternative (its files laid over the solution, less those it removes)."""
    kind, _, slug = which.partition(":")
    variant = {"variant": exercise.variants, "alternative": exercise.alternatives}.get(kind, {}).get(slug)
    rule = Editable.of(exercise.doc.meta["editable"])
    return learner_files_of(rule, exercise.starter, {} if kind == "starter" else exercise.solution, variant)


def app_files(exercise: ExerciseSpec, which: str) -> dict[str, str]:
    """What a submission of ``which`` runs with: the app, the learner's files in it."""
    rule = Editable.of(exercise.doc.meta["editable"])
    return rule.app_files(exercise.starter, sent_files(exercise, which))


def grade_tests_exercise(exercise: ExerciseSpec, which: str) -> dict[str, Any]:
    """Run a tests exercise's reference tests (or its starter's, or an alternative's)
    against its app and every variant, as a learner's submission of them would be run."""
    rule = Editable.of(exercise.doc.meta["editable"])
    tests = sent_files(exercise, which)
    app = {**exercise.app, **{path: text for path, text in exercise.starter.items() if not rule.covers(path)}}
    return grading.grade_tests_files(
        framework=exercise.doc.meta["framework"],
        entrypoint=exercise.doc.meta["entrypoint"],
        app=app,
        variants=list(exercise.variants.values()),
        tests=tests,
        limits=Limits(**sandbox_limits(exercise.doc.meta.get("limits"))),
        setup=list(exercise.doc.meta.get("setup") or []),
        labels={"duet.check": exercise.slug},
    )


def grade(exercise: ExerciseSpec, which: str) -> dict[str, Any]:
    """One run of ``which`` (solution, starter, variant:…, alternative:…) in the sandbox."""
    if exercise.app:
        return grade_tests_exercise(exercise, which)
    return grading.grade_files(
        framework=exercise.doc.meta["framework"],
        entrypoint=exercise.doc.meta["entrypoint"],
        app_files=app_files(exercise, which),
        test_files=exercise.tests,
        limits=Limits(**sandbox_limits(exercise.doc.meta.get("limits"))),
        setup=list(exercise.doc.meta.get("setup") or []),
        labels={"duet.check": exercise.slug},
    )


def shared_pairs(course: CourseSpec) -> int:
    """Lessons whose shared tests/ grade a Flask and a Django exercise alike."""
    pairs = 0
    for lesson in course.lessons:
        frameworks = [e.doc.meta["framework"] for e in lesson.exercises if e.tests_shared]
        pairs += min(frameworks.count("flask"), frameworks.count("django"))
    return pairs


class Command(BaseCommand):
    help = "Grade every exercise's solution (must pass) and starter (must not) in the real sandbox."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="the course folder, e.g. lessons/content/flask-and-django")
        parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="sandbox runs at once")
        parser.add_argument("--only", action="append", default=[], metavar="SLUG", help="check only these exercises")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print every result as JSON")

    def handle(self, *args, folder: Path, jobs: int, only: list[str], as_json: bool, **options):
        started = time.monotonic()
        try:
            course = load_course(folder)
        except ContentError as exc:
            self.stderr.write(f"check_course: {exc}")
            sys.exit(2)
        checks = [Check(lesson, ex) for lesson in course.lessons for ex in lesson.exercises]
        if only:
            unknown = sorted(set(only) - {c.exercise.slug for c in checks})
            if unknown:
                self.stderr.write(f"check_course: no exercise named {', '.join(unknown)} in {folder}")
                sys.exit(2)
            checks = [c for c in checks if c.exercise.slug in only]
        width = len(str(len(checks)))
        done = 0

        def run(item: tuple[Check, str]) -> None:
            check, which = item
            exercise = check.exercise
            began = time.monotonic()
            for attempt in range(1, SANDBOX_ATTEMPTS + 1):
                try:
                    with machine_slot():
                        check.runs[which] = grade(exercise, which)
                    if which.startswith("variant:") and check.runs[which]["status"] == "error":
                        # An error counts as a catch only when it comes again: an app that
                        # was slow to start on a busy machine has not been caught by anything.
                        with machine_slot():
                            check.runs[which] = grade(exercise, which)
                    break
                except SandboxUnavailable as exc:
                    # As the worker does: an outage is retried, never blamed on the exercise.
                    if attempt == SANDBOX_ATTEMPTS:
                        raise
                    self.stderr.write(f"check_course: {check.name} {which}: {exc}; trying again")
                    time.sleep(attempt)
            check.seconds[which] = time.monotonic() - began

        work = [(c, w) for c in checks for w in c.work]
        try:
            with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
                # map() yields in order: an exercise is reported once its last run is back
                for (check, which), _ in zip(work, pool.map(run, work), strict=True):
                    if which == check.work[-1]:
                        done += 1
                        self.stdout.write(self.line(check, done, len(checks), width))
        except SandboxUnavailable as exc:
            self.stderr.write(f"check_course: the sandbox is unavailable: {exc}")
            sys.exit(2)

        bad = [c for c in checks if c.problems]
        elapsed = time.monotonic() - started
        frameworks = [c.exercise.doc.meta["framework"] for c in checks]
        summary = (
            f"{len(course.lessons)} lessons, {len(checks)} exercises "
            f"(flask {frameworks.count('flask')}, django {frameworks.count('django')}), "
            f"{shared_pairs(course)} Flask/Django pairs share one test file; "
            f"{len(checks) - len(bad)} good, {len(bad)} bad; {elapsed:.1f} s with {jobs} at once"
        )
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "summary": summary,
                        "exercises": {
                            c.exercise.slug: {"problems": c.problems, "seconds": c.seconds, **c.runs} for c in checks
                        },
                    },
                    indent=2,
                )
            )
        self.stdout.write(summary)
        if bad:
            self.stderr.write("bad exercises: " + ", ".join(c.name for c in bad))
            sys.exit(1)

    def line(self, check: Check, done: int, total: int, width: int) -> str:
        def part(which: str) -> str:
            result = check.runs[which]
            passed = sum(t["status"] == "pass" for t in result["tests"])
            return f"{which} {result['status'].upper()} {passed}/{len(result['tests'])} ({check.seconds[which]:.1f} s)"

        framework = check.exercise.doc.meta["framework"]
        verdict = "ok" if not check.problems else "BAD"
        text = (
            f"[{done:>{width}}/{total}] {verdict:3} {check.name} ({framework}): {part('solution')}, {part('starter')}"
        )
        if check.exercise.app:
            # A tests exercise: what the reference tests made of each variant, and the starter's.
            by_run = {which: {t.get("variant"): t for t in check.runs[which]["tests"][1:]} for which in check.work}
            for slug, variant in check.exercise.variants.items():
                marks = [
                    f"{which} {'caught' if by_run[which].get(slug, {}).get('status') == 'pass' else 'MISSED'}"
                    for which in check.work
                ]
                text += f"\n      variant:{slug}: {', '.join(marks)}; {variant.description}"
        for slug, variant in check.exercise.variants.items() if not check.exercise.app else ():
            caught = "caught" if check.runs[f"variant:{slug}"]["status"] != "pass" else "MISSED"
            text += f"\n      {part(f'variant:{slug}')}: {caught}, {variant.description}"
        for slug, alternative in check.exercise.alternatives.items():
            text += f"\n      {part(f'alternative:{slug}')}: {alternative.description}"
        for problem in check.problems:
            text += f"\n      {problem}"
        return text
