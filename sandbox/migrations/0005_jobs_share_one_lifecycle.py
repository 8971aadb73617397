"""Every sandbox job shares one shape (sandbox.models.Job): validations move here from
lessons, with their rows; a submission's result is stored once, in its current Verdict
(Submission.verdict), instead of being copied onto the submission."""

import django.db.models.deletion
from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations, models

BATCH = 500


def point_at_current_verdicts(apps, schema_editor):
    """Each graded submission points at its latest Verdict; one graded before verdicts
    were kept everywhere gets one from its own fields first (0004 made most of them)."""
    Submission = apps.get_model("sandbox", "Submission")
    Verdict = apps.get_model("sandbox", "Verdict")
    graded = Submission.objects.filter(status__in=["pass", "fail", "error"])
    for submission in graded.iterator(chunk_size=BATCH):
        verdict = Verdict.objects.filter(submission_id=submission.id).order_by("-created_at", "-id").first()
        if verdict is None:
            verdict = Verdict.objects.create(
                submission_id=submission.id,
                status=submission.status,
                message=submission.message,
                result=submission.result,
                tests_passed=submission.tests_passed,
                tests_total=submission.tests_total,
                exercise_version=submission.exercise_version,
            )
        Submission.objects.filter(id=submission.id).update(verdict_id=verdict.id)


def copy_validations(apps, schema_editor):
    """The rows keep their ids (pages link to them); the id sequence is moved past them,
    which PostgreSQL needs (SQLite takes the highest id anyway)."""
    Old = apps.get_model("lessons", "ExerciseValidation")
    New = apps.get_model("sandbox", "ExerciseValidation")
    fields = ["exercise_id", "version", "status", "message", "solution_result", "starter_result", "requested_by_id"]
    for old in Old.objects.order_by("id").iterator(chunk_size=BATCH):
        new = New.objects.create(id=old.id, **{name: getattr(old, name) for name in fields})
        # auto_now_add set created_at to now: give the row back its own times.
        New.objects.filter(id=new.id).update(
            created_at=old.created_at, started_at=old.created_at, finished_at=old.finished_at
        )
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [New]):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0003_authoring_front_matter_and_validation"),
        ("sandbox", "0004_backfill_verdict_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="verdict",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="sandbox.verdict",
            ),
        ),
        migrations.AlterField(
            model_name="regradeitem",
            name="attempts",
            field=models.PositiveSmallIntegerField(
                default=0, help_text="How often a worker claimed it; at the cap it ends in an error."
            ),
        ),
        migrations.AlterField(
            model_name="submission",
            name="attempts",
            field=models.PositiveSmallIntegerField(
                default=0, help_text="How often a worker claimed it; at the cap it ends in an error."
            ),
        ),
        migrations.CreateModel(
            name="ExerciseValidation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "attempts",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="How often a worker claimed it; at the cap it ends in an error."
                    ),
                ),
                ("enqueued_at", models.DateTimeField(blank=True, null=True)),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("version", models.PositiveIntegerField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("running", "Running"),
                            ("valid", "Valid"),
                            ("invalid", "Invalid"),
                            ("error", "Error"),
                        ],
                        default="queued",
                        max_length=10,
                    ),
                ),
                ("message", models.TextField(blank=True)),
                ("solution_result", models.JSONField(blank=True, null=True)),
                ("starter_result", models.JSONField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "exercise",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="validations", to="lessons.exercise"
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.RunPython(point_at_current_verdicts, migrations.RunPython.noop),
        migrations.RunPython(copy_validations, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="submission",
            name="message",
        ),
        migrations.RemoveField(
            model_name="submission",
            name="result",
        ),
    ]
