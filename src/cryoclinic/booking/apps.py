from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "cryoclinic.booking"
    verbose_name = "Online booking"
