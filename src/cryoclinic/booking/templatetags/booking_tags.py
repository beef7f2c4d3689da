"""Where a procedure can be booked online: the live clinics that offer it (their price lists)."""

from __future__ import annotations

from django import template

from cryoclinic.clinics.models import Clinic
from cryoclinic.directory.live import offered_by

register = template.Library()


@register.simple_tag
def clinics_offering(procedure_slug: str) -> list[Clinic]:
    clinics = list(Clinic.objects.filter(status=Clinic.Status.ACTIVE).order_by("city", "name", "pk"))
    offered = offered_by([c.pk for c in clinics])
    return [c for c in clinics if procedure_slug in offered[c.pk]]
