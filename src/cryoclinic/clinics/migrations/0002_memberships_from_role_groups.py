"""Staff roles were global groups in 0.2.0; now they are memberships of a clinic. Every member of the admin,
practitioner or reception group (and every superuser, who acted as an admin, and every practitioner record's
user) becomes a member of the first clinic with that role. The client role needs no membership: a client is
whoever a clinic's client record links to. The old role groups go; the platform admin's group is created after
migrate."""

from django.db import migrations

from cryoclinic.clinics.upgrade import first_clinic_id

ROLE_ORDER = ("admin", "practitioner", "reception")  # where a user held several roles, the widest wins


def groups_to_memberships(apps, schema_editor):
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    Membership = apps.get_model("clinics", "Membership")
    Practitioner = apps.get_model("scheduling", "Practitioner")
    roles: dict[int, str] = {}
    for role in reversed(ROLE_ORDER):
        for user_id in User.objects.filter(groups__name=role).values_list("pk", flat=True):
            roles[user_id] = role
    for user_id in Practitioner.objects.values_list("user_id", flat=True):
        roles.setdefault(user_id, "practitioner")
    for user_id in User.objects.filter(is_superuser=True).values_list("pk", flat=True):
        roles[user_id] = "admin"
    if roles:
        clinic_id = first_clinic_id(apps)
        for user_id, role in roles.items():
            Membership.objects.get_or_create(clinic_id=clinic_id, user_id=user_id, defaults={"role": role})
    Group.objects.filter(name__in=[*ROLE_ORDER, "client"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0001_initial"),
        ("scheduling", "0007_clinic_leaves_scheduling"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(groups_to_memberships, migrations.RunPython.noop)]
