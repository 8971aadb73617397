"""Validations are sandbox jobs now (sandbox.ExerciseValidation, which copied the rows)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0004_uploaded_image"),
        ("sandbox", "0005_jobs_share_one_lifecycle"),
    ]

    operations = [
        migrations.DeleteModel(name="ExerciseValidation"),
    ]
