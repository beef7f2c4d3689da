"""Refund a course's deposit when the booking cancels it within the clinic's policy (the notice, in hours)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from cryoclinic.scheduling.models import Appointment, Course
from cryoclinic.scheduling.signals import appointment_cancelled, course_cancelled

from . import services


@receiver(course_cancelled, dispatch_uid="payments.refund_on_course_cancelled")
def refund_on_course_cancelled(sender: Any, course: Course, within_notice: bool, **_: Any) -> None:
    if within_notice:
        services.refund_course_deposit(course)


@receiver(appointment_cancelled, dispatch_uid="payments.refund_on_last_session_cancelled")
def refund_on_last_session_cancelled(sender: Any, appointment: Appointment, within_notice: bool, **_: Any) -> None:
    """The deposit holds the whole course: it comes back when the last session still booked is cancelled in time."""
    course = appointment.course
    if within_notice and course is not None and not course.appointments.filter(status="booked").exists():
        services.refund_course_deposit(course)
