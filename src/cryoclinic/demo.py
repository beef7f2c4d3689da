"""The demo platform: two clinics in two cities, each with its hours, practitioners, rooms, fictional clients,
price list and staff, and a platform admin. Idempotent: loading twice leaves the same data. Every person, clinic
and price here is fictional.

Log-ins (password `cryo-demo-2026`): `demo-admin`, `demo-reception`, `demo-doctor`, `demo-cosmetologist`,
`demo-client` at the first clinic; `demo2-admin`, `demo2-reception`, `demo2-doctor`, `demo2-client` at the
second; `demo-platform`, the platform admin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from cryoclinic.accounts.roles import ADMIN, PLATFORM_ADMIN, PRACTITIONER, RECEPTION
from cryoclinic.clients.models import Client
from cryoclinic.clients.phones import normalize_phone
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic, Membership
from cryoclinic.directory.demo import load_demo_directory
from cryoclinic.scheduling.demo import load_demo_courses
from cryoclinic.scheduling.models import OpeningHours, Practitioner, Room, WorkingHours
from cryoclinic.screening.demo import load_demo_screening
from cryoclinic.treatments.demo import load_demo_session

DEMO_PASSWORD = "cryo-demo-2026"
ALL_PROCEDURES = ["facial-cryomassage", "cryodestruction", "scalp-darsonvalization"]
PLATFORM_USER = "demo-platform"


@dataclass(frozen=True)
class DemoClinic:
    slug: str
    name: str
    city: str  # the clinic's own, in Russian
    directory_city: str  # the directory's city (English name, as in the source)
    address: str
    phone: str
    users: str  # the log-ins' prefix
    practitioners: tuple[tuple[str, str, str, tuple[str, ...]], ...]
    clients: tuple[str, ...]
    client_phone: str  # a pattern with {a} and {b}
    price_rub: int  # the clinic's fictional price of facial cryomassage


CLINICS = (
    DemoClinic(
        slug="snezhinka",
        name="Демо-криоклиника «Снежинка»",
        city="Москва",
        directory_city="Moscow",
        address="ул. Примерная, 1 (вымышленный адрес)",
        phone="+7 495 000-00-01",
        users="demo",
        practitioners=(
            ("demo-doctor", "Анна Морозова", "dermatologist", tuple(ALL_PROCEDURES)),
            ("demo-cosmetologist", "Ирина Снегова", "cosmetologist", ("facial-cryomassage", "scalp-darsonvalization")),
            ("demo-cosmetologist2", "Ольга Иней", "cosmetologist", ("facial-cryomassage", "scalp-darsonvalization")),
        ),
        clients=(
            "Мария Зимина", "Елена Льдова", "Татьяна Холодова", "Наталья Вьюгина", "Светлана Метелица",
            "Ксения Стужева", "Дарья Пургина", "Алина Инеева", "Виктория Снежкова", "Полина Морозко",
            "Юлия Студёная", "Анастасия Хладова", "Екатерина Заиндевелова", "Ольга Ледянкина", "Ирина Сосулькина",
            "Марина Позёмкина", "Софья Буранова", "Вера Крещенская", "Алексей Зимнев", "Дмитрий Холодков",
        ),
        client_phone="+7 916 100-{a:02d}-{b:02d}",
        price_rub=990,
    ),
    DemoClinic(
        slug="inei",
        name="Демо-студия «Иней»",
        city="Санкт-Петербург",
        directory_city="Saint Petersburg",
        address="Невский проспект, 0 (вымышленный адрес)",
        phone="+7 812 000-00-02",
        users="demo2",
        practitioners=(
            ("demo2-doctor", "Павел Льдинкин", "dermatologist", tuple(ALL_PROCEDURES)),
            ("demo2-cosmetologist", "Дарья Изморозь", "cosmetologist", ("facial-cryomassage",)),
        ),
        clients=(
            "Алёна Белоснежкина", "Галина Вьюжная", "Зоя Ледовая", "Инна Северова", "Лариса Метелькина",
            "Нина Хрустальная", "Ульяна Ясноморозова", "Фаина Снегирёва",
        ),
        client_phone="+7 921 200-{a:02d}-{b:02d}",
        price_rub=850,
    ),
)
FIRST_CLINIC_SLUG = CLINICS[0].slug
SECOND_CLINIC_SLUG = CLINICS[1].slug
CLIENT_NAMES = list(CLINICS[0].clients)


def _user(username: str, first_name: str = "", *, is_staff: bool = False) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": first_name})
    if created:
        user.set_password(DEMO_PASSWORD)
    user.is_staff = is_staff
    user.save()
    return user


def _member(username: str, role: str, first_name: str) -> User:
    user = _user(username, first_name, is_staff=role == ADMIN)
    Membership.objects.update_or_create(user=user, defaults={"role": role})
    return user


def _load_clinic(spec: DemoClinic, *, with_courses: bool) -> Clinic:
    clinic, _ = Clinic.objects.get_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "city": spec.city,
            "address": spec.address,
            "phone": normalize_phone(spec.phone),
            "time_zone": "Europe/Moscow",
            "status": Clinic.Status.ACTIVE,
        },
    )
    with state.activate(clinic):
        for weekday in range(6):  # Monday to Saturday, 09:00–21:00; Sunday closed
            OpeningHours.objects.get_or_create(weekday=weekday, defaults={"opens": dt.time(9), "closes": dt.time(21)})
        for name in ("Кабинет 1", "Кабинет 2"):
            Room.objects.get_or_create(name=name)
        _member(f"{spec.users}-admin", ADMIN, "Администратор")
        _member(f"{spec.users}-reception", RECEPTION, "Регистратура")
        for username, display_name, title, procedures in spec.practitioners:
            user = _member(username, PRACTITIONER, display_name.split()[0])
            practitioner, _ = Practitioner.objects.update_or_create(
                user=user, defaults={"display_name": display_name, "title": title, "procedures": list(procedures)}
            )
            for weekday in range(6):
                WorkingHours.objects.get_or_create(
                    practitioner=practitioner, weekday=weekday, defaults={"starts": dt.time(9), "ends": dt.time(21)}
                )
        for index, full_name in enumerate(spec.clients):
            Client.objects.get_or_create(
                full_name=full_name,
                defaults={
                    "phone": normalize_phone(spec.client_phone.format(a=index // 10, b=index % 100)),
                    "email": f"{spec.users}.client{index + 1:02d}@example.com",
                    "date_of_birth": dt.date(1970 + index, 1 + index % 12, 1 + index % 27),
                    "skin_phototype": 1 + index % 4,
                },
            )
        first = Client.objects.get(full_name=spec.clients[0])
        if first.user_id is None:
            first.user = _user(f"{spec.users}-client", spec.clients[0].split()[0])
            first.save(update_fields=["user"])
        clients = [Client.objects.get(full_name=name) for name in spec.clients]
        load_demo_screening(clients, timezone.localdate())
        load_demo_directory(clinic, spec.directory_city, spec.price_rub)
        if with_courses:
            load_demo_courses(clinic, clients[:3])
            load_demo_session(clinic, clients[0])
    return clinic


@transaction.atomic
def load_demo(*, with_courses: bool = False) -> dict[str, int]:
    """The demo platform; `with_courses` also books three courses in each clinic from next Monday and a session
    to run today."""
    with state.platform():
        platform_admin = _user(PLATFORM_USER, "Платформа", is_staff=True)
        platform_admin.groups.add(Group.objects.get_or_create(name=PLATFORM_ADMIN)[0])
    clinics = [_load_clinic(spec, with_courses=with_courses) for spec in CLINICS]
    counts = {"clinics": len(clinics), "practitioners": 0, "rooms": 0, "clients": 0}
    for clinic in clinics:
        with state.activate(clinic):
            counts["practitioners"] += Practitioner.objects.count()
            counts["rooms"] += Room.objects.count()
            counts["clients"] += Client.objects.count()
    return counts
