"""Each submission keeps the address it was sent from, so the sandbox work waiting per
address can be capped. Rows from before have none (no per-address count for them)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sandbox", "0005_jobs_share_one_lifecycle"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="client_address",
            field=models.GenericIPAddressField(blank=True, editable=False, null=True),
        ),
    ]
