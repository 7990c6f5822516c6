from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "clientela.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from clientela.core import jobs, mail

        # Due emails whose task was lost are sent by the scheduler, once a minute.
        jobs.register_periodic("emails", lambda now: mail.emails_sweep(now=now))
