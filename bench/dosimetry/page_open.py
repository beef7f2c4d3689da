"""The staff dose page's first open in a fresh process: what a new server worker's first request costs.

    python bench/dosimetry/page_open.py prepare VAR_DIR   # migrate a scratch SQLite database, add a practitioner
    python bench/dosimetry/page_open.py open VAR_DIR      # in this fresh process: the first GET /en/staff/dose/
    python bench/dosimetry/page_open.py worker VAR_DIR    # the same after importing cryoclinic.wsgi, as gunicorn does

`open` and `worker` print JSON: the seconds from a configured Django (settings loaded, apps ready, the user's
session made) to the response of the first request. With `open` that request also loads the URL configuration
(every view and API router of the project, and with them the dose engine); with `worker` the WSGI module has
loaded it first, as it does when a gunicorn worker starts.
"""

from __future__ import annotations

import json
import os
import sys
import time

USERNAME = "bench-practitioner"


def main() -> int:
    command, var_dir = sys.argv[1], sys.argv[2]
    os.environ["CRYOCLINIC_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cryoclinic.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User

    if command == "prepare":
        from django.core.management import call_command

        from cryoclinic.clinics import state
        from cryoclinic.clinics.models import Clinic, Membership

        call_command("migrate", verbosity=0, interactive=False)
        with state.platform():
            clinic, _ = Clinic.objects.get_or_create(slug="bench", defaults={"name": "Bench clinic"})
        with state.activate(clinic):  # roles are memberships of a clinic: a practitioner of this one
            user, _ = User.objects.get_or_create(username=USERNAME)
            Membership.objects.get_or_create(user=user, defaults={"role": "practitioner"})
        return 0
    from django.test import Client

    if command == "worker":
        import cryoclinic.wsgi  # noqa: F401

    client = Client()
    client.force_login(User.objects.get(username=USERNAME))
    began = time.perf_counter()
    response = client.get("/en/staff/dose/", HTTP_HOST="localhost")
    seconds = time.perf_counter() - began
    cells = response.content.decode().count('data-zone="')
    print(json.dumps({"seconds": seconds, "status": response.status_code, "cells": cells}))
    return 0 if response.status_code == 200 else 1


if __name__ == "__main__":
    raise SystemExit(main())
