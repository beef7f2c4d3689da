"""The clinic leaves `scheduling` for an app of its own (`clinics`): first its table takes the new app's name,
then `clinics` takes the model over (its 0001) and `scheduling` lets go of it (0007). No row moves."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0005_appointment_technique_price")]

    operations = [migrations.AlterModelTable(name="clinic", table="clinics_clinic")]
