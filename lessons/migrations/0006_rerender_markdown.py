"""Render every stored markdown body again: lesson markdown now keeps to its own ids
(headings prefixed ``h-``) and to the class names the renderer writes. Bodies edited in
the browser were rendered once, on save, under the old rules; the shipped course is
re-rendered by import_course anyway.

This uses the site's renderer itself, on purpose: the point is the HTML it makes today.
"""

from django.db import migrations

BATCH = 200


def rerender(apps, schema_editor):
    from lessons.markdown import render

    for app, model, source, target in [
        ("lessons", "Course", "body", "body_html"),
        ("lessons", "Lesson", "body", "body_html"),
        ("lessons", "Exercise", "instructions", "instructions_html"),
        ("sandbox", "Comment", "body", "body_html"),
    ]:
        rows = apps.get_model(app, model).objects
        for pk, text in rows.values_list("pk", source).iterator(chunk_size=BATCH):
            rows.filter(pk=pk).update(**{target: render(text)})


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0005_exercisevalidation_moved_to_sandbox"),
        ("sandbox", "0006_submission_client_address"),
    ]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]
