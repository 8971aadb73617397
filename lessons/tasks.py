"""The validation task: thin. Load by id, run through the service, retry on outages."""

from __future__ import annotations

from celery import Task, shared_task
from django.conf import settings

from sandbox.tasks import run_with_retries

from . import authoring

# Two sandbox runs (side by side, but a busy machine may serialise them): room for both.
SOFT_TIME_LIMIT = 2 * settings.CELERY_TASK_SOFT_TIME_LIMIT


class ValidationTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Anything unexpected (a time limit, a bug) still ends the row, never leaves it running."""
        validation_id = args[0] if args else kwargs["validation_id"]
        authoring.exercise_validation_fail(
            validation_id=validation_id,
            message=f"The validation stopped before it finished ({type(exc).__name__}). Please press Validate again.",
        )


@shared_task(
    bind=True,
    base=ValidationTask,
    max_retries=5,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=SOFT_TIME_LIMIT + 30,
)
def validate_exercise(self, validation_id: int) -> str:
    return run_with_retries(
        self,
        f"validation {validation_id}",
        lambda: authoring.exercise_validation_run(validation_id=validation_id),
        give_up=lambda: authoring.exercise_validation_fail(
            validation_id=validation_id,
            message="The sandbox is unavailable right now, so nothing was checked. Please press Validate again in a minute.",
        ),
    )
