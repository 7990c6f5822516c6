import os
import signal
import subprocess
import sys
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def _port(raw: str) -> int:
    try:
        port = int(raw)
    except ValueError as exc:
        raise CommandError(f"CLIENTELA_PORT={raw!r} is not a port number") from exc
    if not 0 < port < 65536:
        raise CommandError(f"CLIENTELA_PORT={port} is not a port number (1-65535)")
    return port


def _stop(signum: int, frame: FrameType | None) -> None:
    # SIGTERM (systemd, docker, timeout) takes the same way out as Ctrl+C, so the worker is
    # stopped too instead of being left behind.
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Migrate, then serve Clientela on HOST:PORT with a background worker beside it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("CLIENTELA_HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("CLIENTELA_PORT", "8000"))
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true", help="Do not start the job worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import create_server

        host, port = options["host"], _port(str(options["port"]))
        call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        # Only now: WhiteNoise lists the collected files when the application is built, so on
        # a first start an earlier import served every stylesheet and script as a 404.
        from clientela.wsgi import application

        try:
            server = create_server(
                application, host=host, port=port, threads=options["threads"], ident="clientela"
            )
        except OSError as exc:  # most often: another program has the port
            raise CommandError(
                f"Cannot listen on {host}:{port}: {exc.strerror or exc}. "
                "Choose another port with --port or CLIENTELA_PORT."
            ) from exc
        signal.signal(signal.SIGTERM, _stop)
        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "clientela", "worker"])
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        self.stdout.write(f"Clientela is running at http://{shown}:{port}/  (Ctrl+C stops it)")
        self.stdout.flush()
        try:
            server.run()  # returns after Ctrl+C or SIGTERM
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                _stop_worker(worker)
        self.stdout.write("Clientela stopped.")


def _stop_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
