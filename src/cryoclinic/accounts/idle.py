"""Staff sessions end after inactivity: anyone who can read health records (a staff membership in any clinic,
or the platform admin) is signed out when no request came for `STAFF_IDLE_MINUTES`. Clients keep Django's
ordinary session. The last request's time lives in the session; a request past the limit is answered as if
signed out: pages redirect to the login page saying why, the API answers 401."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

LAST_SEEN = "cryoclinic_last_seen"
STAFF = "cryoclinic_is_staff"
# The last request's time is written at most this often: a session saved on every request would cost each page
# its writes; the limit is kept to within this many seconds.
RESOLUTION_S = 60


def holds_staff_role(user: object) -> bool:
    """Any membership in any clinic, the platform admin's group, or a superuser."""
    from cryoclinic.clinics import state
    from cryoclinic.clinics.models import Membership

    from .roles import PLATFORM_ADMIN

    if getattr(user, "is_superuser", False):
        return True
    if user.groups.filter(name=PLATFORM_ADMIN).exists():  # type: ignore[attr-defined]
        return True
    with state.platform():
        return Membership.objects.filter(user_id=user.pk).exists()  # type: ignore[attr-defined]


def idle_limit_s() -> float:
    return float(settings.STAFF_IDLE_MINUTES) * 60


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and self._is_staff(request):
            now = time.time()
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - float(last_seen) > idle_limit_s():
                return self._expired(request)
            if last_seen is None or now - float(last_seen) >= RESOLUTION_S:
                request.session[LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _is_staff(request: HttpRequest) -> bool:
        if STAFF not in request.session:
            request.session[STAFF] = holds_staff_role(request.user)
        return bool(request.session[STAFF])

    @staticmethod
    def _expired(request: HttpRequest) -> HttpResponse:
        logout(request)
        text = _("You were signed out after %(minutes)s minutes without activity. Please sign in again.") % {
            "minutes": settings.STAFF_IDLE_MINUTES
        }
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": text}, status=401)
        messages.info(request, text)
        return redirect_to_login(request.get_full_path())
