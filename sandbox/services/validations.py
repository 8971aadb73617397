"""Validating an exercise: its solution must pass and its starter must not, nor any of
its wrong variants, while each alternative solution must pass, in the real sandbox,
through the queue. A validation is a job like a submission (``jobs``); this is
the one service the authoring pages call (``exercise_validation_request``).

A valid outcome marks the exercise's ``validated_version``, which publishing requires,
but only if no newer version was saved while the sandbox ran.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from lessons.course_folder import learner_files_of, stored_variants
from lessons.models import Exercise, ExerciseFile

from .. import events, grading
from ..models import ExerciseValidation
from . import jobs

log = logging.getLogger(__name__)
Validation = ExerciseValidation.Status


def validation_verdict(
    version: int, solution: dict[str, Any], starter: dict[str, Any], others: dict[str, dict] | None = None
) -> tuple[str, str]:
    """Valid when the solution passes, the starter does not, every wrong variant fails
    and every alternative passes, as check_course judges. ``others``: by "variant:<slug>"
    or "alternative:<slug>", ``{"description", "result"}``."""
    others = others or {}
    problems = []
    if solution["status"] != "pass":
        problems.append(f"The solution does not pass: {solution.get('message', '')}")
    if starter["status"] == "pass":
        problems.append("The starter passes every test: there is nothing left for the learner to do.")
    for which, other in sorted(others.items()):
        kind, _, slug = which.partition(":")
        status = other["result"]["status"]
        if kind == "variant" and status == "pass":
            problems.append(f"The wrong variant {slug} passes every test: the tests do not catch it.")
        if kind == "alternative" and status != "pass":
            problems.append(f"The alternative solution {slug} does not pass: {other['result'].get('message', '')}")
    if problems:
        return Validation.INVALID, " ".join(problems)
    tests = starter.get("tests") or []
    failing = sum(t.get("status") != "pass" for t in tests)
    starter_part = f"fails {failing} of {len(tests)}" if tests else f"does not pass ({starter.get('message', '')})"
    variants = sum(which.startswith("variant:") for which in others)
    alternatives = len(others) - variants
    extra = ""
    if variants:
        extra += f"; {variants} wrong variant{'s' if variants > 1 else ''} fail{'' if variants > 1 else 's'}"
    if alternatives:
        extra += f"; {alternatives} alternative{'s' if alternatives > 1 else ''} pass{'' if alternatives > 1 else 'es'}"
    return (
        Validation.VALID,
        f"Version {version} is valid: the solution passes all {len(solution['tests'])} tests and the starter "
        f"{starter_part}{extra}.",
    )


def validation_runs(exercise: Exercise) -> dict[str, dict[str, str]]:
    """What Validate grades, by name: the solution, the starter, each alternative, and of
    an exercise where the learner writes the app each wrong variant (a tests exercise runs
    its variants within each of its other runs)."""
    rule, starter = exercise.editable_rule, exercise.starter_files()
    solution = exercise.files_of(ExerciseFile.Kind.SOLUTION)
    runs = {"solution": learner_files_of(rule, starter, solution), "starter": exercise.editable_starter()}
    kinds = ("variants", "alternatives") if exercise.kind == Exercise.Kind.APP else ("alternatives",)
    for kind in kinds:
        for variant in stored_variants(exercise.files_of(kind), kind):
            runs[f"{kind[:-1]}:{variant.slug}"] = learner_files_of(rule, starter, solution, variant)
    return runs


def _descriptions(exercise: Exercise) -> dict[str, str]:
    return {
        f"{kind[:-1]}:{variant.slug}": variant.description
        for kind in ("variants", "alternatives")
        for variant in stored_variants(exercise.files_of(kind), kind)
    }


def _record(*, validation_id: int, status: str, message: str, **results: Any) -> bool:
    """Write the outcome once: only a running row takes it."""
    return (
        ExerciseValidation.objects.filter(id=validation_id, status=Validation.RUNNING).update(
            status=status, message=message, finished_at=timezone.now(), **results
        )
        == 1
    )


class ValidationJob(jobs.JobKind):
    name = "validation"
    model = ExerciseValidation
    # The solution, the starter and up to MAX_VARIANTS of each kind, two at a time: the
    # lease (and the time limit inside it) of four runs in a row. A variant is usually
    # caught in a second; an exercise whose runs all take the wall limit can overrun.
    runs = 4
    unavailable_message = (
        "The sandbox is unavailable right now, so nothing was checked. Please press Validate again in a minute."
    )
    crashed_message = (
        "The grader failed while validating this exercise, so nothing was decided. This is a fault in "
        "Duet, not in the exercise; it has been logged. Please press Validate again later."
    )

    def exercise_id(self, job: ExerciseValidation) -> int:
        return job.exercise_id

    def grade(self, job: ExerciseValidation, exercise: Exercise) -> jobs.Outcome:
        if exercise.version != job.version:
            return jobs.Outcome(None, exercise.version, "superseded")
        runs = validation_runs(exercise)
        labels = {"duet.validation": str(job.id)}
        pool = ThreadPoolExecutor(max_workers=2)
        try:
            futures = {
                which: pool.submit(
                    grading.grade,
                    exercise,
                    files,
                    name=f"duet-val-{job.id}-{job.attempts}-{which.replace(':', '-')}",
                    labels=labels,
                )
                for which, files in runs.items()
            }
            results = {which: future.result() for which, future in futures.items()}
            descriptions = _descriptions(exercise)
            others = {
                which: {"description": descriptions.get(which, ""), "result": result}
                for which, result in results.items()
                if which not in ("solution", "starter")
            }
            results = {"solution": results["solution"], "starter": results["starter"], "others": others}
        finally:
            # Not "with": on Celery's soft time limit, waiting here for the other run
            # would let the hard limit kill the worker before the crash is recorded.
            # A run left behind ends by its own wall clock.
            pool.shutdown(wait=False, cancel_futures=True)
        status, _ = validation_verdict(job.version, results["solution"], results["starter"], results["others"])
        return jobs.Outcome(results, exercise.version, status)

    def record(self, job: ExerciseValidation, outcome: jobs.Outcome) -> bool:
        if outcome.results is None:
            return _record(
                validation_id=job.id,
                status=Validation.ERROR,
                message=f"The exercise changed before version {job.version} was checked: validate the new version.",
            )
        results = outcome.results
        status, message = validation_verdict(job.version, results["solution"], results["starter"], results["others"])
        recorded = _record(
            validation_id=job.id,
            status=status,
            message=message,
            solution_result=results["solution"],
            starter_result=results["starter"],
            other_results=results["others"],
        )
        if recorded and status == Validation.VALID:
            # Only if no newer version was saved while the sandbox ran.
            Exercise.objects.filter(id=job.exercise_id, version=job.version).update(validated_version=job.version)
        return recorded

    def end_in_error(self, job_id: int, message: str, *, note: str = "") -> bool:
        if note:
            log.warning("validation %s ended in an error: %s", job_id, note)
        return _record(validation_id=job_id, status=Validation.ERROR, message=message)

    def channels(self, job_id: int) -> list[str]:
        return [events.validation_channel(job_id)]

    def send(self, job_id: int) -> None:
        from ..tasks import validate_exercise

        validate_exercise.delay(job_id)


VALIDATIONS = ValidationJob()


def exercise_validation_request(*, exercise: Exercise, user) -> ExerciseValidation:
    """Queue a validation of the exercise's current version (or return the one already
    waiting for it, so impatient clicks do not pile up runs)."""
    recent = timezone.now() - timedelta(seconds=VALIDATIONS.lease_seconds)
    pending = exercise.validations.filter(
        version=exercise.version, status__in=ExerciseValidation.PENDING, created_at__gte=recent
    ).first()
    if pending is not None:
        return pending
    with transaction.atomic():
        validation = ExerciseValidation.objects.create(exercise=exercise, version=exercise.version, requested_by=user)
        transaction.on_commit(lambda: jobs.job_enqueue(VALIDATIONS, validation.id))
    return validation


def exercise_validation_run(*, validation_id: int) -> str:
    """Claim, grade the solution and the starter, record (see ``jobs.job_run``)."""
    return jobs.job_run(VALIDATIONS, validation_id)


def validations_sweep() -> dict[str, int]:
    return jobs.jobs_sweep(VALIDATIONS)
