import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, then serve Clientela on HOST:PORT with a background worker beside it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("CLIENTELA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("CLIENTELA_PORT", "8000")))
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true", help="Do not start the job worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from clientela.wsgi import application

        call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "clientela", "worker"])
        host, port = options["host"], options["port"]
        self.stdout.write(f"Clientela is running at http://{host}:{port}/  (Ctrl+C stops it)")
        try:
            serve(application, host=host, port=port, threads=options["threads"], ident="clientela")
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
