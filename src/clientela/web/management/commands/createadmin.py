import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from clientela.accounts.models import Role
from clientela.accounts.services import user_create


class Command(BaseCommand):
    help = "Create an administrator account."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="Taken from the prompt when not given.")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or getpass.getpass("Password: ")
        try:
            user = user_create(
                username=options["username"],
                password=password,
                role=Role.ADMIN,
                email=options["email"],
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from exc
        self.stdout.write(f"Administrator {user.username} created.")
