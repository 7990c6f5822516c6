from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "clientela.retention.health"
    label = "health"
    verbose_name = _("Client health")

    def ready(self) -> None:
        from clientela.retention.health.tasks import register_jobs
        from clientela.retention.health.views import register_extensions

        register_extensions()
        register_jobs()
