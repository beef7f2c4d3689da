"""The clinic switcher: a person who works in (or is a client of) several clinics picks the one to act for."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cryoclinic.accounts.access import roles_required
from cryoclinic.accounts.roles import CLINIC_ROLES

from . import services


@roles_required(*CLINIC_ROLES)
@require_POST
def switch_clinic(request: HttpRequest) -> HttpResponse:
    """Act for another of one's own clinics; any other id changes nothing and says so."""
    try:
        chosen = services.choose(request, int(request.POST.get("clinic", "")))
    except ValueError:
        chosen = None
    if chosen is None:
        messages.error(request, _("Choose one of your clinics."))
    else:
        messages.success(request, _("You now act for %(clinic)s.") % {"clinic": chosen.name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = ""
    return redirect(target or "after-login")
