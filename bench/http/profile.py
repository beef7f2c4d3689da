"""Profile the bench/http scenarios in one process with pyinstrument: where does a request's time go?

`.venv/bin/python bench/http/profile.py [--requests 200] [--scenario directory]` (needs the bench extra:
`pip install -e ".[bench]"`). Same database and data as `run.py` (created fresh, dropped at the end); each
scenario is sent through Django's test client, after one unprofiled request, and pyinstrument prints the
call tree of the profiled requests.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from run import admin_sql, prepare, server_env  # type: ignore[import-not-found]


def profile(scenarios: list, names: list[str], requests: int) -> None:  # type: ignore[type-arg]
    from django.test import Client as Browser
    from pyinstrument import Profiler

    for scenario in scenarios:
        if scenario.name not in names:
            continue
        headers = dict(h.split(": ", 1) for h in scenario.headers)
        cookies = headers.pop("Cookie", "")
        browser = Browser(SERVER_NAME="127.0.0.1", HTTP_COOKIE=cookies, **{
            "HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k != "Content-Type"
        })
        bodies = scenario.bodies.read_text().splitlines() if scenario.bodies else []

        def send(index: int, scenario: object = scenario, browser: Browser = browser, bodies: list = bodies) -> int:  # type: ignore[type-arg]
            if scenario.method == "GET":  # type: ignore[attr-defined]
                return browser.get(scenario.path).status_code  # type: ignore[attr-defined]
            body = json.loads(bodies[index % len(bodies)])
            return browser.post(scenario.path, body, content_type="application/json").status_code  # type: ignore[attr-defined]

        send(requests)
        profiler = Profiler(interval=0.0005)
        with profiler:
            statuses = [send(i) for i in range(requests)]
        print(f"=== {scenario.name}: {requests} requests, statuses {sorted(set(statuses))}")
        print(profiler.output_text(unicode=False, color=False, show_all=False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_http_profile")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--scenario", action="append", help="baseline, directory, screening, booking (default all)")
    args = parser.parse_args()
    admin_sql(args.server, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    admin_sql(args.server, f'CREATE DATABASE "{args.database}"')
    try:
        with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
            env = server_env(f"{args.server}/{args.database}", Path(tmp))
            scenarios = prepare(env, Path(tmp), args.clients, seed=1)
            profile(scenarios, args.scenario or [s.name for s in scenarios], args.requests)
    finally:
        admin_sql(args.server, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
