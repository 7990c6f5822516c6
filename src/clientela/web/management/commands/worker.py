from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background job worker (the database queue by default)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="Run the jobs waiting now, then stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker_args = ["--batch"] if options["batch"] else []
        call_command("db_worker", *worker_args)
