"""The clinic moved to `clinics` (same table): the salon's foreign key now names it there. Nothing changes in
the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial"), ("clinics", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="salon",
                    name="clinic",
                    field=models.ForeignKey(blank=True, help_text="the clinic account that runs this salon, if any: its requests arrive in the staff area", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="salons", to="clinics.clinic"),
                ),
            ],
            database_operations=[],
        ),
    ]
