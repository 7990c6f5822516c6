from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from clientela.contacts.models import Company, Contact
from clientela.occasions.services import occasions_refresh


class Command(BaseCommand):
    help = (
        "Recompute the birthdays, name days and anniversaries of every contact and company "
        "(after the name-day table or the firm's church calendar changed). Dates entered by "
        "hand are kept."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=500, help="Clients per transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        batch = max(1, options["batch"])
        for model in (Contact, Company):
            done, last = 0, 0
            while True:
                # Keyset over the primary key: every batch is one index range, at any size.
                clients: list[Contact | Company] = list(
                    model.all_objects.filter(pk__gt=last).order_by("pk")[:batch]
                )
                if not clients:
                    break
                with transaction.atomic():
                    for client in clients:
                        occasions_refresh(client)
                done += len(clients)
                last = clients[-1].pk
            self.stdout.write(f"{model._meta.verbose_name_plural}: {done}")
