from django.urls import path

from . import views

urlpatterns = [
    path("staff/reports/", views.reports, name="staff-reports"),
    path("staff/reports/<slug:slug>.csv", views.report_csv, name="staff-report-csv"),
]
