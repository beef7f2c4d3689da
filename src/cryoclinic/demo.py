"""The demo clinic: hours, three practitioners, two rooms, twenty fictional clients, one user per role.

Idempotent: loading twice leaves the same data. Every person here is fictional.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from cryoclinic.accounts.roles import ADMIN, CLIENT, PRACTITIONER, RECEPTION
from cryoclinic.clients.models import Client
from cryoclinic.clients.phones import normalize_phone
from cryoclinic.directory.demo import load_demo_directory
from cryoclinic.scheduling.demo import load_demo_courses
from cryoclinic.scheduling.models import Clinic, OpeningHours, Practitioner, Room, WorkingHours
from cryoclinic.screening.demo import load_demo_screening
from cryoclinic.treatments.demo import load_demo_session

DEMO_PASSWORD = "cryo-demo-2026"
ALL_PROCEDURES = ["facial-cryomassage", "cryodestruction", "scalp-darsonvalization"]

PRACTITIONERS = [
    ("demo-doctor", "Анна Морозова", "dermatologist", ALL_PROCEDURES),
    ("demo-cosmetologist", "Ирина Снегова", "cosmetologist", ["facial-cryomassage", "scalp-darsonvalization"]),
    ("demo-cosmetologist2", "Ольга Иней", "cosmetologist", ["facial-cryomassage", "scalp-darsonvalization"]),
]
CLIENT_NAMES = [
    "Мария Зимина", "Елена Льдова", "Татьяна Холодова", "Наталья Вьюгина", "Светлана Метелица",
    "Ксения Стужева", "Дарья Пургина", "Алина Инеева", "Виктория Снежкова", "Полина Морозко",
    "Юлия Студёная", "Анастасия Хладова", "Екатерина Заиндевелова", "Ольга Ледянкина", "Ирина Сосулькина",
    "Марина Позёмкина", "Софья Буранова", "Вера Крещенская", "Алексей Зимнев", "Дмитрий Холодков",
]


def _user(username: str, role: str, first_name: str = "", *, is_staff: bool = False) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": first_name})
    if created:
        user.set_password(DEMO_PASSWORD)
    user.is_staff = is_staff
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return user


@transaction.atomic
def load_demo(*, with_courses: bool = False) -> dict[str, int]:
    """The demo clinic; `with_courses` also books three courses from next Monday and a session to run today."""
    clinic, _ = Clinic.objects.get_or_create(
        name="Демо-криоклиника «Снежинка»",
        defaults={
            "city": "Москва",
            "address": "ул. Примерная, 1 (вымышленный адрес)",
            "phone": normalize_phone("+7 495 000-00-01"),
            "time_zone": "Europe/Moscow",
        },
    )
    for weekday in range(6):  # Monday to Saturday, 09:00–21:00; Sunday closed
        OpeningHours.objects.get_or_create(
            clinic=clinic, weekday=weekday, defaults={"opens": dt.time(9), "closes": dt.time(21)}
        )
    for name in ("Кабинет 1", "Кабинет 2"):
        Room.objects.get_or_create(clinic=clinic, name=name)

    _user("demo-admin", ADMIN, "Администратор", is_staff=True)
    _user("demo-reception", RECEPTION, "Регистратура")
    for username, display_name, title, procedures in PRACTITIONERS:
        user = _user(username, PRACTITIONER, display_name.split()[0])
        practitioner, _ = Practitioner.objects.update_or_create(
            user=user,
            defaults={"clinic": clinic, "display_name": display_name, "title": title, "procedures": procedures},
        )
        for weekday in range(6):
            WorkingHours.objects.get_or_create(
                practitioner=practitioner, weekday=weekday, defaults={"starts": dt.time(9), "ends": dt.time(21)}
            )

    for index, full_name in enumerate(CLIENT_NAMES):
        Client.objects.get_or_create(
            full_name=full_name,
            defaults={
                "phone": normalize_phone(f"+7 916 100-{index // 10:02d}-{index % 100:02d}"),
                "email": f"client{index + 1:02d}@example.com",
                "date_of_birth": dt.date(1970 + index, 1 + index % 12, 1 + index % 27),
                "skin_phototype": 1 + index % 4,
            },
        )
    first = Client.objects.get(full_name=CLIENT_NAMES[0])
    if first.user_id is None:
        first.user = _user("demo-client", CLIENT, "Мария")
        first.save(update_fields=["user"])
    demo_clients = [Client.objects.get(full_name=name) for name in CLIENT_NAMES]
    load_demo_screening(demo_clients, timezone.localdate())
    load_demo_directory(clinic)
    if with_courses:
        load_demo_courses(clinic, demo_clients[:3])
        load_demo_session(clinic, demo_clients[0])
    return {
        "clinics": Clinic.objects.count(),
        "practitioners": Practitioner.objects.filter(clinic=clinic).count(),
        "rooms": Room.objects.filter(clinic=clinic).count(),
        "clients": Client.objects.count(),
    }
