"""The `clientela` command: Django's management commands plus serve, worker, demo, createadmin."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clientela.settings")
    from django.core.management import execute_from_command_line

    from clientela.core.channel import audit_channel

    with audit_channel("cli"):
        execute_from_command_line(["clientela", *sys.argv[1:]])


if __name__ == "__main__":
    main()
