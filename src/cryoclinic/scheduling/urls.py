from django.urls import path

from cryoclinic.nitrogen import views as nitrogen_views

from . import self_service_views, views

urlpatterns = [
    path("staff/calendar/", views.calendar, name="staff-calendar"),
    path("account/courses/", views.my_courses, name="my-courses"),
    path("account/calendar/", views.calendar_link, name="calendar-link"),
    path("account/sessions/<int:pk>/move/", self_service_views.move_session, name="my-session-move"),
    path("account/sessions/<int:pk>/cancel/", self_service_views.cancel_session, name="my-session-cancel"),
    path("staff/nitrogen/", nitrogen_views.nitrogen, name="staff-nitrogen"),
]
