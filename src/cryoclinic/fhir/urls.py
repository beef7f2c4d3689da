from django.urls import path

from . import views

urlpatterns = [
    path("account/fhir.json", views.my_record_fhir, name="my-record-fhir"),
    path("staff/clients/<int:pk>/fhir.json", views.client_record_fhir, name="staff-client-fhir"),
]
