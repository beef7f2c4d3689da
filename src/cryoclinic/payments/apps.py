from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cryoclinic.payments"
    verbose_name = "Deposits"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (refunds on cancellations)
