from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "clientela.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from clientela.accounts.team_copies import register_team_copy
        from clientela.activities.models import Activity, Task
        from clientela.contacts.client_copies import register_client_copy

        register_team_copy(Activity)
        register_team_copy(Task)
        register_client_copy(Activity)

        from clientela.activities import receivers
        from clientela.activities.views import register_extensions

        receivers.connect()
        register_extensions()

        from clientela.activities.tasks import register_jobs

        register_jobs()
