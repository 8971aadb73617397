"""Give every submission graded before verdicts were kept its first Verdict row, its test
counts and its failed tests, so history, the gradebook and the charts cover old work too."""

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

BATCH = 500


def counts(result):
    tests = (result or {}).get("tests") or []
    if not tests:
        return None, None
    return sum(1 for test in tests if test.get("status") == "pass"), len(tests)


def backfill(apps, schema_editor):
    Submission = apps.get_model("sandbox", "Submission")
    Verdict = apps.get_model("sandbox", "Verdict")
    FailedTest = apps.get_model("sandbox", "FailedTest")
    graded = Submission.objects.filter(status__in=["pass", "fail", "error"], verdicts__isnull=True)
    verdicts, failed = [], []
    for submission in graded.iterator(chunk_size=BATCH):
        passed, total = counts(submission.result)
        Submission.objects.filter(id=submission.id).update(tests_passed=passed, tests_total=total)
        verdicts.append(
            Verdict(
                submission_id=submission.id,
                status=submission.status,
                message=submission.message,
                result=submission.result,
                tests_passed=passed,
                tests_total=total,
                exercise_version=submission.exercise_version,
            )
        )
        failed += [
            FailedTest(
                submission_id=submission.id, exercise_id=submission.exercise_id, name=str(test.get("name", ""))[:300]
            )
            for test in (submission.result or {}).get("tests") or []
            if test.get("status") != "pass"
        ]
        if len(verdicts) >= BATCH:
            Verdict.objects.bulk_create(verdicts)
            FailedTest.objects.bulk_create(failed)
            verdicts, failed = [], []
    Verdict.objects.bulk_create(verdicts)
    FailedTest.objects.bulk_create(failed)
    # auto_now_add stamped them now: date them when the submission was graded.
    graded_at = Submission.objects.filter(id=OuterRef("submission_id")).values(
        when=Coalesce("finished_at", "created_at")
    )[:1]
    Verdict.objects.filter(regrade__isnull=True).update(created_at=Subquery(graded_at))


class Migration(migrations.Migration):
    dependencies = [
        ("sandbox", "0003_review_overrides_and_regrades"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
