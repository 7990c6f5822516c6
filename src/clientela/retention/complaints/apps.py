from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "clientela.retention.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from clientela.accounts.team_copies import register_team_copy
        from clientela.contacts.client_copies import register_client_copy
        from clientela.retention.complaints.models import Complaint

        register_team_copy(Complaint)
        register_client_copy(Complaint)

        from clientela.retention.complaints.views.extensions import register_extensions

        register_extensions()

        from clientela.retention.complaints.timeline import register_timeline

        register_timeline()

        from clientela.retention.complaints.tasks import register_jobs

        register_jobs()
