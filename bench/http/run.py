"""HTTP under load: the app under gunicorn on PostgreSQL over loopback, driven by wrk, against a bare JSON view.

Creates a fresh database (dropped at the end), migrates it, loads the demo clinic and 400 screened and consented
bench clients, starts gunicorn (2 sync workers, DEBUG off) and drives each scenario with wrk for a bounded time
after a short warm-up: the baseline (GET /healthz, a bare Django JSON view: no database), the directory search,
the screening call, a week of a clinic's free time (public), booking a 10-session course as reception, and
booking one online as a client (each request a different signed-up person with a bearer token, the sessions the
planner proposed). Prints requests per second and p50/p95/p99 latency side by side with the ratio to the
baseline, then the responses by status: a booking that loses a race for a slot answers 409 and is counted apart
from errors. The run fails on any 5xx or socket error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
WRK_SCRIPT = Path(__file__).resolve().with_name("wrk.lua")
CSRF_TOKEN = "benchcsrftoken0123456789abcdefgh"  # any 32 letters and digits: cookie and header must match
PROCEDURE = "facial-cryomassage"
BOOKINGS = ("booking", "online")  # the scenarios that may refuse: a slot lost to another booking (409)
ALL_DAY = [{"weekday": d, "start": "09:00", "end": "21:00"} for d in range(6)]


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str
    headers: tuple[str, ...] = ()
    bodies: Path | None = None  # one JSON body per line, sent in turn
    warmup_bodies: Path | None = None


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    socket_errors: int
    statuses: dict[int, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def server_env(database_url: str, var_dir: Path) -> dict[str, str]:
    """Production settings (DEBUG off) but plain HTTP on loopback, persistent database connections."""
    return {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "cryoclinic.settings",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "DEBUG": "0",
        "SECRET_KEY": "bench-http-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "CRYOCLINIC_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
    }


def admin_sql(server_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def prepare(env: dict[str, str], work: Path, clients: int, seed: int, online_clients: int) -> list[Scenario]:
    """Migrate, load the demo and the bench clients; write the request bodies; log reception in."""
    os.environ.update(env)
    sys.path.insert(0, str(SRC))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connections
    from django.db.models import Count
    from django.test import Client as Browser
    from django.utils import timezone

    from cryoclinic.clients.models import Client
    from cryoclinic.clinics import state
    from cryoclinic.clinics.models import Clinic
    from cryoclinic.demo import FIRST_CLINIC_SLUG, load_demo
    from cryoclinic.directory.models import City
    from cryoclinic.knowledge import services as knowledge
    from cryoclinic.screening import services as screening

    call_command("migrate", verbosity=0)
    with state.platform():  # the demo platform: its clinics, users and directory
        load_demo()
        clinic = Clinic.objects.get(slug=FIRST_CLINIC_SLUG)
    scope = state.activate(clinic)  # from here the bench acts in the demo's first clinic, as its requests do
    scope.__enter__()
    today = timezone.localdate()
    procedure = knowledge.get_procedure(PROCEDURE)
    healthy = {c.code: False for c in procedure.contraindications}
    ready = [item.code for item in procedure.preparation.before_the_day]
    ids = []
    for index in range(clients):
        client = Client.objects.create(full_name=f"Bench client {index}", phone=f"+7916{3000000 + index}")
        screening.record_intake(client, PROCEDURE, healthy, by=None, today=today, preparation_confirmed=ready)
        screening.record_consent(client, PROCEDURE, language="ru", signed_on=today, by=None, today=today)
        ids.append(client.pk)
    browser = Browser(SERVER_NAME="127.0.0.1")
    reception_user = User.objects.get(username="demo-reception")
    browser.force_login(reception_user, "cryoclinic.accounts.backends.RolePermissionBackend")  # a configured backend
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    city = City.objects.annotate(n=Count("salons")).order_by("-n", "slug").values_list("slug", flat=True).first()

    rng = random.Random(seed)
    monday = today + dt.timedelta(days=7 - today.weekday())
    open_days = [monday + dt.timedelta(days=n) for n in range(730) if n % 7 != 6]  # the demo closes on Sundays

    unbooked = iter(rng.sample(ids, len(ids)))  # one open course per client: every body books a client afresh

    def courses(path: Path, count: int) -> Path:
        # Start days spread over two years: the clinic (2 rooms, 12-hour days) never fills during a run.
        lines = (
            json.dumps({"client": next(unbooked), "procedure": PROCEDURE,
                        "start": rng.choice(open_days).isoformat(), "availability": ALL_DAY})
            for _ in range(count)
        )
        path.write_text("\n".join(lines) + "\n")
        return path

    trial = json.loads(courses(work / "trial.jsonl", 1).read_text())
    answer = browser.post("/api/courses", trial, content_type="application/json")
    if answer.status_code != 201:  # fail fast, with the reason, rather than after a whole run of refusals
        raise SystemExit(f"a trial booking was refused ({answer.status_code}): {answer.content.decode()[:500]}")
    online = online_bookings(clinic, work, online_clients, rng, open_days)
    connections.close_all()
    screen = work / "screening.jsonl"
    screen.write_text(json.dumps({"procedure": PROCEDURE, "answers": healthy}) + "\n")
    json_type = "Content-Type: application/json"
    reception = (
        json_type,
        f"Cookie: {settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}",
        f"X-CSRFToken: {CSRF_TOKEN}",
    )
    return [
        Scenario("baseline", "GET", "/healthz"),
        Scenario("directory", "GET", f"/api/directory/salons?city={city}&procedure={PROCEDURE}&sort=price"),
        Scenario("screening", "POST", "/api/screening", (json_type,), screen, screen),
        Scenario("free-time", "GET", f"/api/clinics/{clinic.pk}/slots?procedure={PROCEDURE}"
                 f"&from={monday.isoformat()}&to={(monday + dt.timedelta(days=6)).isoformat()}"),
        Scenario("booking", "POST", "/api/courses", reception,
                 courses(work / "courses.jsonl", 2000), courses(work / "warmup-courses.jsonl", 300)),
        Scenario("online", "POST", f"/api/booking/{clinic.pk}/courses", (json_type,), *online),
    ]


def online_bookings(  # type: ignore[no-untyped-def]
    clinic, work: Path, count: int, rng: random.Random, open_days: list[dt.date]
) -> tuple[Path, Path]:
    """Signed-up people, each screened and consented online at the clinic, with a token and the whole course the
    planner proposes (on the empty calendar) from a day and time of their own: a line per booking, "token<TAB>body".
    Returns the measured lines and the warm-up's (other people)."""
    from django.contrib.auth.models import User
    from django.db import connections
    from django.utils import timezone

    from cryoclinic.accounts import tokens
    from cryoclinic.accounts.models import PhoneNumber
    from cryoclinic.booking import services as booking
    from cryoclinic.clients.models import ConsentRecord
    from cryoclinic.knowledge import services as knowledge

    healthy = {c.code: False for c in knowledge.get_procedure(PROCEDURE).contraindications}
    today = timezone.localdate()
    days = rng.sample(open_days[7:], count)
    lines = []
    for index, day in enumerate(days):
        user = User.objects.create_user(username=f"online-{index}", first_name="Online", last_name=str(index))
        PhoneNumber.objects.create(user=user, phone=f"+7917{4000000 + index}", verified_at=timezone.now())
        intake = booking.answer_questionnaire(clinic, user, PROCEDURE, healthy, today=today)
        ConsentRecord.objects.create(client=intake.client, procedure=PROCEDURE, language="ru", signed_on=today,
                                     knowledge_version=intake.knowledge_version, recorded_by=user)
        choice = booking.Choice(procedure=PROCEDURE, start=day, time_of_day=dt.time(10 + 4 * (index % 3)))
        plan = booking.propose(clinic, user, choice, today=today)
        _token, raw = tokens.issue(user, "bench")
        body = {"procedure": PROCEDURE, "start": day.isoformat(), "time": choice.time_of_day.isoformat("minutes"),
                "whole_course": True, "sessions": [s.start.isoformat() for s in plan.sessions]}
        lines.append(f"{raw}\t{json.dumps(body)}")
    connections.close_all()
    warmup = count // 5
    (work / "online-warmup.jsonl").write_text("\n".join(lines[:warmup]) + "\n")
    (work / "online.jsonl").write_text("\n".join(lines[warmup:]) + "\n")
    return work / "online.jsonl", work / "online-warmup.jsonl"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).with_name("gunicorn")), "cryoclinic.wsgi:application",
        "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--timeout", "60",
        "--no-control-socket", "--error-logfile", "-",
    ]
    with open(log, "w") as out:  # Django's warnings for 4xx answers go there too, not to the report
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"gunicorn did not start:\n{log.read_text() if log.exists() else ''}")


def wrk(scenario: Scenario, port: int, seconds: float, connections: int, threads: int, warmup: bool) -> Result:
    bodies = scenario.warmup_bodies if warmup else scenario.bodies
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s", "--timeout", "30s",
               "-s", str(WRK_SCRIPT)]
    for header in scenario.headers:
        command += ["-H", header]
    command += [f"http://127.0.0.1:{port}{scenario.path}", "--", scenario.method]
    if bodies is not None:
        command += [str(bodies), str(threads)]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 120).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    data = json.loads(line.removeprefix("WRK_JSON "))
    return Result(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1e3,
        p95_ms=data["p95_us"] / 1e3,
        p99_ms=data["p99_us"] / 1e3,
        socket_errors=data["socket_errors"],
        statuses={int(k): v for k, v in data["statuses"].items()},
    )


def report(scenarios: list[Scenario], results: list[Result], args: argparse.Namespace) -> bool:
    base = results[0]
    print(f"gunicorn {args.workers} sync workers, PostgreSQL on loopback, wrk {args.threads} thread(s) "
          f"x {args.connections} connections, {args.duration:g} s per scenario after {args.warmup:g} s warm-up")
    print("ratios: req/s to the baseline's, latency to the baseline's (x)")
    print(f"{'':11}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s x':>9}{'p50 x':>8}{'p95 x':>8}"
          f"{'p99 x':>8}  endpoint")
    for s, r in zip(scenarios, results, strict=True):
        print(f"{s.name:11}{r.rps:>9.1f}{r.p50_ms:>9.2f}{r.p95_ms:>9.2f}{r.p99_ms:>9.2f}{r.rps / base.rps:>9.3f}"
              f"{r.p50_ms / base.p50_ms:>8.1f}{r.p95_ms / base.p95_ms:>8.1f}{r.p99_ms / base.p99_ms:>8.1f}"
              f"  {s.method} {s.path.split('?')[0]}")
    print(f"{'':11}{'requests':>9}{'2xx':>9}{'409':>9}{'4xx other':>10}{'5xx':>6}{'socket':>8}")
    ok = True
    for s, r in zip(scenarios, results, strict=True):
        two = sum(n for code, n in r.statuses.items() if 200 <= code < 300)
        conflicts = r.statuses.get(409, 0)
        other = sum(n for code, n in r.statuses.items() if 400 <= code < 500 and code != 409)
        fives = sum(n for code, n in r.statuses.items() if code >= 500)
        print(f"{s.name:11}{r.requests:>9}{two:>9}{conflicts:>9}{other:>10}{fives:>6}{r.socket_errors:>8}")
        ok = ok and fives == 0 and r.socket_errors == 0 and two > 0 and (s.name in BOOKINGS or other == 0)
    for s, r in zip(scenarios, results, strict=True):
        if s.name in BOOKINGS:
            booked = sum(n for code, n in r.statuses.items() if 200 <= code < 300)
            print(f"{s.name}: courses booked {booked} ({booked / r.seconds:.1f}/s, {10 * booked} sessions)")
    print("PASS" if ok else "FAIL", "(no 5xx, no socket errors, every scenario answered; only bookings may refuse)")
    return ok


def run(args: argparse.Namespace, work: Path) -> bool:
    env = server_env(f"{args.server}/{args.database}", work)
    began = time.perf_counter()
    scenarios = prepare(env, work, args.clients, args.seed, args.online_clients)
    if args.scenarios:  # the baseline always runs: every figure is read against it
        chosen = {"baseline", *args.scenarios.split(",")}
        scenarios = [s for s in scenarios if s.name in chosen]
    print(f"database {args.database}: migrated and loaded in {time.perf_counter() - began:.0f} s")
    port = free_port()
    log = work / "gunicorn.log"
    server = start_gunicorn(env, port, args.workers, log)
    try:
        results = []
        for scenario in scenarios:
            if args.warmup > 0:
                wrk(scenario, port, args.warmup, args.connections, args.threads, warmup=True)
            results.append(wrk(scenario, port, args.duration, args.connections, args.threads, warmup=False))
    finally:
        server.terminate()
        server.wait(timeout=30)
    ok = report(scenarios, results, args)
    if "Traceback" in log.read_text():
        print(log.read_text()[-4000:])
        return False
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL, no database")
    parser.add_argument("--database", default="bench_http", help="created fresh and dropped at the end")
    parser.add_argument("--duration", type=float, default=25.0, help="seconds per scenario")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds per scenario, not counted")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--clients", type=int, default=2400,
                        help="screened bench clients to book (each once: one open course per client)")
    parser.add_argument("--online-clients", type=int, default=500, help="signed-up people who book online")
    parser.add_argument("--scenarios", default="", help="comma-separated names to run (default: all)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("bench/http needs wrk, the HTTP load generator: `apt-get install -y wrk` (Debian), then run again.")
        return 2

    admin_sql(args.server, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    admin_sql(args.server, f'CREATE DATABASE "{args.database}"')
    try:
        with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
            ok = run(args, Path(tmp))
    finally:
        admin_sql(args.server, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
