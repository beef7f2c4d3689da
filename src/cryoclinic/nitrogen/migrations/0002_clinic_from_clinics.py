"""The clinic moved to `clinics` (same table): the foreign keys now name it there. Nothing changes in the
database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("nitrogen", "0001_initial"), ("clinics", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="dewar",
                    name="clinic",
                    field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name="dewars", to="clinics.clinic"),
                ),
                migrations.AlterField(
                    model_name="consumptionrate",
                    name="clinic",
                    field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name="consumption_rates", to="clinics.clinic"),
                ),
            ],
            database_operations=[],
        ),
    ]
