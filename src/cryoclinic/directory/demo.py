"""The directory's demo: the source's price table, and each demo clinic listed as a salon it runs, with its
own (fictional) price list."""

from __future__ import annotations

from cryoclinic.clinics.models import Clinic

from .importer import city_for, import_seed_prices
from .models import ClinicPrice, Salon


def load_demo_directory(clinic: Clinic, city: str, price_rub: int) -> None:
    """Inside `clinic`'s scope: the source's salons, the clinic's salon and its price of facial cryomassage."""
    import_seed_prices()
    Salon.objects.get_or_create(
        city=city_for(city),
        name=clinic.name,
        address=clinic.address,
        defaults={"phone": clinic.phone, "clinic": clinic},
    )
    ClinicPrice.objects.get_or_create(procedure="facial-cryomassage", defaults={"amount_rub": price_rub})
