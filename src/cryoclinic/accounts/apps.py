from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "cryoclinic.accounts"
    verbose_name = "Accounts and audit"

    def ready(self) -> None:
        from .roles import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="cryoclinic.sync_roles")
