"""Demo intakes and consents, so the demo clinic has clients who may be booked and some who may not.

Every person is fictional. Idempotent: a client who already has an intake for a procedure keeps it.
"""

from __future__ import annotations

import datetime as dt

from cryoclinic.clients.models import Client, IntakeRecord
from cryoclinic.knowledge import services as knowledge

from . import services

MASSAGE = "facial-cryomassage"
# The last demo clients show the other decisions (by position in the demo client list).
CONDITIONS = {-3: "rosacea", -2: "herpes_exacerbation", -1: "epilepsy"}


def load_demo_screening(clients: list[Client], today: dt.date) -> int:
    procedure = knowledge.get_procedure(MASSAGE)
    conditions = {clients[index].pk: code for index, code in CONDITIONS.items() if len(clients) >= 3}
    created = 0
    for client in clients:
        if IntakeRecord.objects.filter(client=client, procedure=MASSAGE).exists():
            continue
        answers = {c.code: c.code == conditions.get(client.pk) for c in procedure.contraindications}
        services.record_intake(
            client, MASSAGE, answers, by=None, today=today,
            preparation_confirmed=[item.code for item in procedure.preparation.before_the_day],
        )
        services.record_consent(client, MASSAGE, language="ru", signed_on=today, by=None, today=today)
        created += 1
    return created
