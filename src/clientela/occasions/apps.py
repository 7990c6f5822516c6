from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OccasionsConfig(AppConfig):
    name = "clientela.occasions"
    label = "occasions"
    verbose_name = _("Occasions")

    def ready(self) -> None:
        from clientela.accounts.team_copies import register_team_copy
        from clientela.contacts.client_copies import register_client_copy
        from clientela.occasions.models import Gesture, Greeting, Occasion

        for model in (Occasion, Greeting, Gesture):
            register_team_copy(model)
            register_client_copy(model)

        from clientela.occasions import receivers

        receivers.connect()

        from clientela.occasions.views.gestures import register_extensions as gesture_extensions

        gesture_extensions()

        from clientela.occasions.views.greetings import register_extensions as greeting_extensions

        greeting_extensions()
