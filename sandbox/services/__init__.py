"""The sandbox's writes, by what they are about: ``jobs`` (the one lifecycle of every
sandbox job), ``submissions``, ``regrades``, ``validations`` (the jobs), ``review``
(comments and overrides), ``drafts`` (what a learner typed and has not submitted) and
``throttles`` (how much work one person may ask for).

The names other apps and the views use are gathered here.
"""

from .drafts import draft_discard, draft_from_attempt, draft_reset, draft_save
from .errors import ReviewRefused, SubmissionRefused
from .regrades import (
    RegradeRefused,
    regrade_item_claim,
    regrade_item_fail,
    regrade_item_grade,
    regrade_item_record,
    regrade_pump,
    regrade_start,
    regrades_sweep,
)
from .review import comment_create, verdict_override
from .submissions import (
    submission_claim,
    submission_create,
    submission_enqueue,
    submission_files_clean,
    submission_grade,
    submission_record,
    submissions_sweep,
)
from .throttles import SubmissionThrottled, submission_throttle_check
from .validations import exercise_validation_request, exercise_validation_run, validations_sweep

__all__ = [
    "RegradeRefused",
    "ReviewRefused",
    "SubmissionRefused",
    "SubmissionThrottled",
    "comment_create",
    "draft_discard",
    "draft_from_attempt",
    "draft_reset",
    "draft_save",
    "exercise_validation_request",
    "exercise_validation_run",
    "regrade_item_claim",
    "regrade_item_fail",
    "regrade_item_grade",
    "regrade_item_record",
    "regrade_pump",
    "regrade_start",
    "regrades_sweep",
    "submission_claim",
    "submission_create",
    "submission_enqueue",
    "submission_files_clean",
    "submission_grade",
    "submission_record",
    "submission_throttle_check",
    "submissions_sweep",
    "validations_sweep",
    "verdict_override",
]
