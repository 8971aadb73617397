"""What the sandbox services refuse, in plain words a person can act on."""


class SubmissionRefused(ValueError):
    """Learner input that cannot be graded; the message says why, in plain words."""


class ReviewRefused(ValueError):
    """A review action that cannot be done; the message says why, in plain words."""
