from django.urls import path

from . import views

urlpatterns = [
    path("procedures/<slug:slug>/self-check/", views.self_check, name="self-check"),
]
