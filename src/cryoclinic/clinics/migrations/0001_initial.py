"""The clinic, taken over from `scheduling` (same table, same rows), then made a tenant: a slug, an approval
status (the existing clinic is live), and memberships of staff with a role each."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils.text import slugify

import cryoclinic.clinics.models


def fill_slugs_and_approve(apps, schema_editor):
    Clinic = apps.get_model("clinics", "Clinic")
    taken = set()
    for clinic in Clinic.objects.order_by("pk"):
        base = slugify(clinic.name, allow_unicode=False) or "clinic"
        slug, n = base[:40], 1
        while slug in taken:
            n += 1
            slug = f"{base[:36]}-{n}"
        taken.add(slug)
        clinic.slug = slug
        clinic.status = "active"  # the clinic that ran this installation keeps running
        clinic.save(update_fields=["slug", "status"])


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("scheduling", "0006_clinic_table_moves"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Clinic",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=200)),
                        ("city", models.CharField(max_length=100)),
                        ("address", models.CharField(max_length=300)),
                        ("phone", models.CharField(max_length=20)),
                        ("time_zone", models.CharField(default="Europe/Moscow", max_length=64, validators=[cryoclinic.clinics.models.validate_time_zone])),
                    ],
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="clinic",
            name="slug",
            field=models.SlugField(null=True, db_index=False, help_text="the clinic's short name in links, e.g. snezhinka"),
        ),
        migrations.AddField(
            model_name="clinic",
            name="email",
            field=models.EmailField(blank=True, help_text="where the clinic's alerts go (stock, follow-up tasks)", max_length=254),
        ),
        migrations.AddField(
            model_name="clinic",
            name="status",
            field=models.CharField(
                choices=[("pending", "awaiting approval"), ("active", "active"), ("suspended", "suspended")],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="clinic",
            name="approved_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="clinic",
            name="approved_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="clinic",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs_and_approve, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="clinic",
            name="slug",
            field=models.SlugField(unique=True, help_text="the clinic's short name in links, e.g. snezhinka"),
        ),
        migrations.AlterModelOptions(name="clinic", options={"ordering": ["name", "id"]}),
        migrations.AddConstraint(
            model_name="clinic",
            constraint=models.CheckConstraint(condition=models.Q(("status__in", ["pending", "active", "suspended"])), name="clinic_status_known"),
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(choices=[("admin", "clinic admin"), ("practitioner", "practitioner"), ("reception", "reception")], max_length=20)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("clinic", models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to="clinics.clinic")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["clinic", "user"],
                "constraints": [
                    models.UniqueConstraint(fields=("clinic", "user"), name="membership_one_role_per_clinic"),
                    models.CheckConstraint(condition=models.Q(("role__in", ["admin", "practitioner", "reception"])), name="membership_role_known"),
                ],
            },
        ),
    ]
