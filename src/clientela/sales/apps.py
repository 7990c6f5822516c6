from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "clientela.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from clientela.accounts.team_copies import register_team_copy
        from clientela.contacts.client_copies import register_client_copy
        from clientela.sales.models import Deal, Purchase

        register_team_copy(Deal)
        register_team_copy(Purchase)
        register_client_copy(Purchase)

        from clientela.sales.views import register_extensions

        register_extensions()
