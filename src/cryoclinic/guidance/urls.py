from django.urls import path

from . import views

urlpatterns = [
    path("staff/dose/", views.dose, name="staff-dose"),
    path("staff/dose/calibration/", views.calibration, name="staff-dose-calibration"),
]
