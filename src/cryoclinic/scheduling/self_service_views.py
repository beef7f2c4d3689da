"""The client's own sessions: cancel or move one online (scheduling/self_service.py holds the rules)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cryoclinic.accounts import audit
from cryoclinic.accounts.access import roles_required
from cryoclinic.accounts.roles import CLIENT

from . import self_service, services
from .models import Appointment


class MoveForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=gettext_lazy("New date and time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _own(request: HttpRequest, pk: int) -> Appointment:
    appointment = self_service.own_appointments(request.user).select_related("clinic").filter(pk=pk).first()
    if appointment is None:
        raise Http404(_("No such session of yours."))
    return appointment


def _when(appointment: Appointment) -> str:
    return formats.date_format(timezone.localtime(appointment.starts_at), "DATETIME_FORMAT")


@roles_required(CLIENT)
@require_POST
def cancel_session(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _own(request, pk)
    try:
        self_service.cancel_own(appointment, by=request.user)
    except (self_service.PastNotice, services.SchedulingError) as exc:
        messages.error(request, str(exc))
    else:
        audit.record(request.user, "cancel", appointment, request=request, detail="by the client, online")
        messages.success(request, _("Your session of %(when)s is cancelled.") % {"when": _when(appointment)})
    return redirect("my-courses")


@roles_required(CLIENT)
@require_http_methods(["GET", "POST"])
def move_session(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _own(request, pk)
    if not self_service.may_change_online(appointment):
        messages.error(request, str(self_service.PastNotice(appointment, "starts_at")))
        return redirect("my-courses")
    form = MoveForm(request.POST or None, initial={"starts_at": timezone.localtime(appointment.starts_at)})
    if request.method == "POST" and form.is_valid():
        was = _when(appointment)
        try:
            self_service.move_own(appointment, form.cleaned_data["starts_at"], by=request.user)
        except (self_service.PastNotice, services.SchedulingError) as exc:
            form.add_error("starts_at", str(exc))
        except services.BookingConflict as exc:
            form.add_error("starts_at", _("That time is taken: %(reason)s") % {"reason": exc})
        else:
            audit.record(request.user, "move", appointment, request=request, detail=f"by the client, from {was}")
            messages.success(request, _("Your session is moved to %(when)s.") % {"when": _when(appointment)})
            return redirect("my-courses")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "appointment": appointment, "when": _when(appointment)}
    return render(request, "scheduling/move_session.html", context, status=status)
