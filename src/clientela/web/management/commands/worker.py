import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from clientela.core import jobs


class Command(BaseCommand):
    help = (
        "Run the background job worker (the database queue, or Redis with "
        "CLIENTELA_TASK_BACKEND=redis) and, beside it, the scheduler of the daily jobs."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the scheduled jobs that are due and the jobs waiting now, then stop.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch = options["batch"]
        stop = threading.Event()
        if batch:
            jobs.run_due_jobs()
        else:
            # The scheduler only claims a (job, day) row in the database before it runs it, so
            # any number of workers can run it side by side.
            threading.Thread(
                target=jobs.schedule_forever, args=(stop,), name="scheduler", daemon=True
            ).start()
        try:
            if settings.TASK_BACKEND == "redis":
                _run_rq_worker(batch=batch)
            else:
                worker_args = ["--batch", "--no-startup-delay"] if batch else []
                call_command("db_worker", *worker_args)
        finally:
            stop.set()


def _run_rq_worker(*, batch: bool) -> None:
    import django_rq
    from rq.worker import SimpleWorker

    # SimpleWorker runs each job in this process, as the database worker does: no fork that
    # would share this process's database connections with a child.
    worker = django_rq.get_worker(
        *settings.TASKS["default"]["QUEUES"],
        job_class="django_tasks_rq.Job",
        worker_class=SimpleWorker,  # type: ignore[arg-type]
    )
    worker.work(burst=batch, with_scheduler=True, logging_level="WARNING")
