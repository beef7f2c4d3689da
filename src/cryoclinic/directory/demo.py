"""The directory's demo: the source's price table, and the demo clinic listed as a salon of its own."""

from __future__ import annotations

from cryoclinic.scheduling.models import Clinic

from .importer import city_for, import_seed_prices
from .models import PriceEntry, Salon

DEMO_PRICE_SOURCE = "demo clinic's price list (fictional)"


def load_demo_directory(clinic: Clinic) -> None:
    import_seed_prices()
    salon, _ = Salon.objects.get_or_create(
        city=city_for("Moscow"),
        name=clinic.name,
        address=clinic.address,
        defaults={"phone": clinic.phone, "clinic": clinic},
    )
    PriceEntry.objects.get_or_create(
        salon=salon, procedure="facial-cryomassage", source=DEMO_PRICE_SOURCE, defaults={"amount_rub": 990}
    )
