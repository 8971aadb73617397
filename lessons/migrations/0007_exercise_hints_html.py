"""Hints are markdown, rendered and sanitized as the instructions are: store each one's
HTML beside it, rendered for the hints already saved (with the site's renderer, as 0006
does, since the point is the HTML it makes today)."""

from django.db import migrations, models

BATCH = 200


def render_hints(apps, schema_editor):
    from lessons.markdown import render_each

    rows = apps.get_model("lessons", "Exercise").objects
    for pk, hints in rows.values_list("pk", "hints").iterator(chunk_size=BATCH):
        rows.filter(pk=pk).update(hints_html=render_each(hints or []))


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0006_rerender_markdown"),
    ]

    operations = [
        migrations.AddField(
            model_name="exercise",
            name="hints_html",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(render_hints, migrations.RunPython.noop),
    ]
