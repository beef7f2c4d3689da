"""A clinic's claim on a salon of the directory, decided by a platform admin; the price list's procedure is
checked against the knowledge base."""

import cryoclinic.directory.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clinics', '0002_memberships_from_role_groups'),
        ('directory', '0004_salon_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='clinicprice',
            name='procedure',
            field=models.SlugField(validators=[cryoclinic.directory.models.validate_procedure], verbose_name='procedure'),
        ),
        migrations.CreateModel(
            name='SalonClaim',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name_ru', models.CharField(max_length=200, verbose_name='name (Russian)')),
                ('name_en', models.CharField(max_length=200, verbose_name='name (English)')),
                ('address_ru', models.CharField(max_length=300, verbose_name='address (Russian)')),
                ('address_en', models.CharField(max_length=300, verbose_name='address (English)')),
                ('status', models.CharField(choices=[('pending', 'awaiting a decision'), ('approved', 'approved'), ('rejected', 'rejected')], default='pending', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_note', models.CharField(blank=True, max_length=500, verbose_name='reason')),
                ('clinic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='salon_claims', to='clinics.clinic')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('salon', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='claims', to='directory.salon')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('salon',), name='salon_claim_one_pending_per_salon'), models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'approved', 'rejected'])), name='salon_claim_status_known'), models.CheckConstraint(condition=models.Q(models.Q(('decided_at__isnull', True), ('status', 'pending')), models.Q(models.Q(('status', 'pending'), _negated=True), ('decided_at__isnull', False)), _connector='OR'), name='salon_claim_decided_when_not_pending')],
            },
        ),
    ]
