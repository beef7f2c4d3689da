from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cryoclinic.ops.schedules import JOBS, enqueue


class Command(BaseCommand):
    help = "Put a background job on the queue now, for the worker to run (`--list` shows the jobs and when they run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("jobs", nargs="*", metavar="job", help=f"one or more of: {', '.join(JOBS)}")
        parser.add_argument("--list", action="store_true", help="list the jobs and their schedules")

    def handle(self, *args: Any, jobs: list[str], list: bool, **options: Any) -> None:
        if list:
            for item in JOBS.values():
                self.stdout.write(f"{item.name:<22} {item.when:<18} {item.what}")
            return
        if not jobs:
            raise CommandError(f"Name a job: {', '.join(JOBS)} (or --list).")
        unknown = [job for job in jobs if job not in JOBS]
        if unknown:
            raise CommandError(f"No job {unknown[0]!r}; the jobs are: {', '.join(JOBS)}. Nothing was queued.")
        for job in jobs:
            self.stdout.write(f"queued {job} as task {enqueue(job)}")
