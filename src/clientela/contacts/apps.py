from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "clientela.contacts"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from clientela.accounts.team_copies import register_team_copy
        from clientela.contacts.models import Company, Contact

        register_team_copy(Contact)
        register_team_copy(Company)
