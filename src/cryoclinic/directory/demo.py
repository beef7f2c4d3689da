"""The directory's demo: the source's price table, and each demo clinic listed as a salon it runs, with its
own (fictional) price list. The fictional prices live in the clinic's price list only, never among the cited
prices the statistics are computed from."""

from __future__ import annotations

from cryoclinic.clinics.models import Clinic

from .importer import city_for, import_seed_prices
from .models import ClinicPrice, Salon

# The demo clinics' names and addresses in English (their Russian ones are the clinics' own).
ENGLISH = {
    "snezhinka": ("Demo cryoclinic “Snezhinka”", "1 Primernaya St (a fictional address)"),
    "inei": ("Demo studio “Inei”", "0 Nevsky Prospekt (a fictional address)"),
}


def load_demo_directory(clinic: Clinic, city: str, price_rub: int) -> None:
    """Inside `clinic`'s scope: the source's salons, the clinic's salon and its price of facial cryomassage."""
    import_seed_prices()
    name_en, address_en = ENGLISH.get(clinic.slug, ("", ""))
    Salon.objects.get_or_create(
        city=city_for(city),
        name=clinic.name,
        address=clinic.address,
        defaults={
            "phone": clinic.phone,
            "clinic": clinic,
            "name_ru": clinic.name,
            "address_ru": clinic.address,
            "name_en": name_en,
            "address_en": address_en,
            "names_origin": Salon.NamesOrigin.CLINIC,
        },
    )
    ClinicPrice.objects.get_or_create(procedure="facial-cryomassage", defaults={"amount_rub": price_rub})
