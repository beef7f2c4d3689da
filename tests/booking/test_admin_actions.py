"""The admin changes courses only through the booking service: a requested course is confirmed or declined by an
action; its status cannot be edited by hand, and no course is added there."""

from __future__ import annotations

import pytest

from cryoclinic.clients.models import Client
from cryoclinic.scheduling import services
from cryoclinic.scheduling.availability import ANY_TIME
from cryoclinic.scheduling.models import Appointment, Course

from .conftest import MASSAGE, monday

pytestmark = pytest.mark.django_db


def _requested(demo) -> Course:
    from cryoclinic.clinics.state import current_clinic

    record = Client.objects.order_by("id").first()
    request = services.PlanInput(client=record, procedure=MASSAGE, start=monday(), availability=ANY_TIME, sessions=1)
    return services.book_course(current_clinic(), request, by=None, requested=True)


def test_the_admin_action_confirms_a_requested_course(client, users, demo):
    course = _requested(demo)
    client.force_login(users["admin"])
    response = client.post("/admin/scheduling/course/", {"action": "confirm_requests", "_selected_action": [course.pk]})
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.status == Course.Status.ACTIVE
    assert list(course.appointments.values_list("status", flat=True)) == [Appointment.Status.BOOKED]


def test_the_admin_action_declines_and_frees_the_time(client, users, demo):
    course = _requested(demo)
    client.force_login(users["admin"])
    client.post("/admin/scheduling/course/", {"action": "decline_requests", "_selected_action": [course.pk]})
    course.refresh_from_db()
    assert course.status == Course.Status.CANCELLED
    assert list(course.appointments.values_list("status", flat=True)) == [Appointment.Status.CANCELLED]


def test_the_admin_cannot_edit_a_course_status_or_add_a_course(client, users, demo):
    course = _requested(demo)
    client.force_login(users["admin"])
    page = client.get(f"/admin/scheduling/course/{course.pk}/change/").content.decode()
    assert 'name="status"' not in page
    assert client.get("/admin/scheduling/course/add/").status_code == 403
