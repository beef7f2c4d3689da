from django.urls import path

from . import staff_views, views

urlpatterns = [
    path("procedures/<slug:slug>/self-check/", views.self_check, name="self-check"),
    path("staff/clients/<int:pk>/procedures/<slug:slug>/", staff_views.client_procedure,
         name="staff-client-procedure"),
    path("staff/clients/<int:pk>/procedures/<slug:slug>/intake/", staff_views.intake, name="staff-intake"),
    path("staff/clients/<int:pk>/procedures/<slug:slug>/<str:kind>-<str:language>.pdf",
         staff_views.client_document, name="staff-client-document"),
    path("account/procedures/<slug:slug>/<str:kind>-<str:language>.pdf", staff_views.my_document,
         name="my-document"),
]
