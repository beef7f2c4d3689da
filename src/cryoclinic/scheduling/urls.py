from django.urls import path

from cryoclinic.nitrogen import views as nitrogen_views

from . import views

urlpatterns = [
    path("staff/calendar/", views.calendar, name="staff-calendar"),
    path("account/courses/", views.my_courses, name="my-courses"),
    path("account/calendar/", views.calendar_link, name="calendar-link"),
    path("staff/nitrogen/", nitrogen_views.nitrogen, name="staff-nitrogen"),
]
