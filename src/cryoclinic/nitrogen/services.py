"""The stock as the clinic sees it: current level, planned use from the booked schedule, run-out date, alerts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from cryoclinic.clinics.state import for_each_clinic
from cryoclinic.notifications.models import Channel
from cryoclinic.notifications.services import alert_recipient, enqueue
from cryoclinic.scheduling.models import Appointment

from .forecast import Forecast, forecast_levels
from .models import ConsumptionRate, Dewar, LevelReading


@dataclass(frozen=True)
class Stock:
    dewar: Dewar
    last_reading: LevelReading | None
    forecast: Forecast | None
    unrated_procedures: tuple[str, ...]  # booked procedures with no consumption rate: the forecast leaves them out


RateTable = dict[tuple[str, str], float]


def rate_table(clinic_id: int) -> RateTable:
    """The clinic's consumption rates by (procedure, technique); technique "" is the rate for any technique."""
    return {
        (r.procedure, r.technique): float(r.litres_per_session)
        for r in ConsumptionRate.objects.filter(clinic_id=clinic_id)
    }


def rate_for(rates: RateTable, procedure: str, technique: str) -> float | None:
    """Litres one session takes: the technique's own rate where the technique is known and rated, else the
    procedure's any-technique rate, else (technique unknown) the highest of its techniques' rates, so the
    forecast errs towards running out early. None: no rate for the procedure at all."""
    if technique and (procedure, technique) in rates:
        return rates[(procedure, technique)]
    if (procedure, "") in rates:
        return rates[(procedure, "")]
    if technique:
        return None
    known = [litres for (p, _t), litres in rates.items() if p == procedure]
    return max(known) if known else None


def planned_use(dewar: Dewar, start: dt.date, days: int) -> tuple[dict[dt.date, float], tuple[str, ...]]:
    """Litres the booked sessions will take per day, from the clinic's rates for their procedure and technique."""
    tz = ZoneInfo(dewar.clinic.time_zone)
    begin = dt.datetime.combine(start, dt.time(0), tzinfo=tz)
    booked = Appointment.objects.filter(
        clinic=dewar.clinic,
        status=Appointment.Status.BOOKED,
        starts_at__gte=begin,
        starts_at__lt=begin + dt.timedelta(days=days),
    )
    if dewar.procedures:
        booked = booked.filter(procedure__in=dewar.procedures)
    rates = rate_table(dewar.clinic_id)
    use: dict[dt.date, float] = defaultdict(float)
    unrated = set()
    for appointment in booked.only("procedure", "technique", "starts_at"):
        rate = rate_for(rates, appointment.procedure, appointment.technique)
        if rate is None:
            technique = f" ({appointment.technique})" if appointment.technique else ""
            unrated.add(appointment.procedure + technique)
            continue
        use[appointment.starts_at.astimezone(tz).date()] += rate
    return dict(use), tuple(sorted(unrated))


def stock(dewar: Dewar, *, today: dt.date | None = None, horizon_days: int = 60) -> Stock:
    today = today or timezone.localdate()
    last = dewar.readings.order_by("-at", "-id").first()
    if last is None:
        return Stock(dewar, None, None, ())
    start = last.at.astimezone(ZoneInfo(dewar.clinic.time_zone)).date()
    use, unrated = planned_use(dewar, start, (today - start).days + horizon_days)
    forecast = forecast_levels(
        level_l=float(last.level_l),
        start=start,
        boil_off_l_per_day=float(dewar.boil_off_l_per_day),
        consumption_l_by_day=use,
        reserve_l=float(dewar.reserve_l),
        horizon_days=(today - start).days + horizon_days,
    )
    return Stock(dewar, last, forecast, unrated)


@for_each_clinic(int)
def refill_alerts(today: dt.date | None = None) -> int:
    """Queue an email to the clinic when a vessel must be refilled within its lead time. Idempotent."""
    today = today or timezone.localdate()
    created = 0
    for dewar in Dewar.objects.all():
        current = stock(dewar, today=today)
        if current.forecast is None or current.forecast.run_out_date is None:
            continue
        order_by = current.forecast.refill_by(dewar.refill_lead_days)
        if order_by is None or order_by > today:
            continue
        recipient = alert_recipient()
        body = (
            f"{dewar.name}: по прогнозу азот закончится {current.forecast.run_out_date:%d.%m.%Y}; "
            f"заказать заправку до {order_by:%d.%m.%Y}. / {dewar.name} runs out on "
            f"{current.forecast.run_out_date:%Y-%m-%d}; order a refill by {order_by:%Y-%m-%d}."
        )
        created += enqueue(
            key=f"ln2-refill:{dewar.pk}:{current.forecast.run_out_date:%Y%m%d}",
            kind="nitrogen_refill",
            channel=Channel.EMAIL,
            recipient=recipient,
            subject=f"LN2: {dewar.name}",
            body=body,
            due_at=timezone.now(),
        )[1]
    return created
