"""`scheduling` lets go of the clinic: its foreign keys name `clinics.Clinic` (same table), and the model
leaves this app's state. Nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0006_clinic_table_moves"),
        ("clinics", "0001_initial"),
        ("nitrogen", "0002_clinic_from_clinics"),
        ("directory", "0002_clinic_from_clinics"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="practitioner",
                    name="clinic",
                    field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name="practitioners", to="clinics.clinic"),
                ),
                migrations.AlterField(
                    model_name="openinghours",
                    name="clinic",
                    field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name="opening_hours", to="clinics.clinic"),
                ),
                migrations.AlterField(
                    model_name="room",
                    name="clinic",
                    field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name="rooms", to="clinics.clinic"),
                ),
                migrations.AlterField(
                    model_name="course",
                    name="clinic",
                    field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="courses", to="clinics.clinic"),
                ),
                migrations.AlterField(
                    model_name="closedday",
                    name="clinic",
                    field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name="closed_days", to="clinics.clinic"),
                ),
                migrations.AlterField(
                    model_name="appointment",
                    name="clinic",
                    field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="appointments", to="clinics.clinic"),
                ),
                migrations.DeleteModel(name="Clinic"),
            ],
            database_operations=[],
        ),
    ]
