from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cryoclinic.reports"
    verbose_name = "Reports"
