"""The nitrogen page: every vessel's level, forecast from the booked schedule, and recording a reading or a fill."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cryoclinic.accounts.access import roles_required
from cryoclinic.accounts.roles import ADMIN, PRACTITIONER, RECEPTION
from cryoclinic.http import posted_id

from .models import Dewar, LevelReading
from .services import stock


@roles_required(ADMIN, RECEPTION, PRACTITIONER)
@require_http_methods(["GET", "POST"])
def nitrogen(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        dewar = get_object_or_404(Dewar, pk=posted_id(request, "dewar"))
        kind = request.POST.get("kind", "")
        try:
            level = Decimal(request.POST.get("level_l", ""))
        except InvalidOperation:
            level = Decimal(-1)
        if kind not in LevelReading.Kind.values:
            error = _("Choose whether this is a fill or a measured level.")
        elif not Decimal(0) <= level <= dewar.capacity_l:
            error = _("The level must be between 0 and the vessel's capacity of %(capacity)s L.") % {
                "capacity": dewar.capacity_l
            }
        else:
            LevelReading.objects.create(
                dewar=dewar, at=timezone.now(), kind=kind, level_l=level, recorded_by=request.user
            )  # type: ignore[misc]
            return redirect("staff-nitrogen")
    vessels = [stock(d) for d in Dewar.objects.select_related("clinic").order_by("name")]
    today = timezone.localdate()
    rows = [
        (s, [(day, level) for day, level in (s.forecast.levels_l if s.forecast else ()) if day >= today][:14])
        for s in vessels
    ]
    return render(
        request,
        "nitrogen/nitrogen.html",
        {"rows": rows, "error": error, "kinds": LevelReading.Kind.choices},
        status=422 if error else 200,
    )
