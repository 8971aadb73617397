"""The gradebook as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from lessons.models import Course

from . import selectors

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
# tab and carriage return can hide such a start.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    """The cell as text, a leading quote added where a spreadsheet would see a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """csv.writer writes into this, which hands each line back, for streaming."""

    def write(self, value: str) -> str:
        return value


def gradebook_csv(*, course: Course, filters: dict[str, Any]) -> Iterator[str]:
    """One line per learner the filters select, one column per exercise (its status),
    after the learner's totals. Streams: learners are read a chunk at a time."""
    writer = csv.writer(_Echo())
    exercises = selectors.gradebook_exercises(course=course, lesson=filters["lesson"])
    header = ["learner", "name", "passed", "of", "attempts", "last activity"]
    yield writer.writerow([csv_safe(cell) for cell in header + [exercise.slug for exercise in exercises]])
    for row in selectors.gradebook_all_rows(course=course, exercises=exercises, filters=filters):
        learner = row.learner
        last = learner.last_activity.isoformat(timespec="seconds") if learner.last_activity else ""
        cells = [
            learner.username,
            learner.get_full_name(),
            learner.passed,
            len(exercises),
            learner.attempts,
            last,
            *(cell.label.lower() for cell in row.cells),
        ]
        yield writer.writerow([csv_safe(cell) for cell in cells])
