from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate


class ClinicsConfig(AppConfig):
    name = "cryoclinic.clinics"
    verbose_name = "Clinics (tenants)"

    def ready(self) -> None:
        from . import rls

        connection_created.connect(rls.forget_connection_setting, dispatch_uid="cryoclinic.rls.forget")
        pre_migrate.connect(rls.migrate_as_platform, dispatch_uid="cryoclinic.rls.pre_migrate")
        post_migrate.connect(rls.sync_database_rules, dispatch_uid="cryoclinic.rls.sync")
