from django.urls import path

from . import pages, views

urlpatterns = [
    path("staff/today/", views.today, name="staff-today"),
    path("staff/appointments/<int:pk>/session/", views.session, name="staff-session"),
    path("staff/appointments/<int:pk>/session/rescreen/", views.rescreen, name="staff-session-rescreen"),
    path("staff/appointments/<int:pk>/session/correct/", views.correct, name="staff-session-correct"),
    path("staff/appointments/<int:pk>/outcomes/", pages.staff_outcomes, name="staff-outcomes"),
    path("staff/adverse-events/", pages.adverse_events, name="staff-adverse-events"),
    path("staff/tasks/", pages.tasks, name="staff-tasks"),
    path("account/outcomes/", pages.my_outcomes, name="my-outcomes"),
    path("photos/<int:pk>/", pages.photo, name="outcome-photo"),
]
