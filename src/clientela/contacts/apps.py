from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "clientela.contacts"
    label = "contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from clientela.accounts.models import User
        from clientela.contacts.signals import owner_team_follow

        post_save.connect(owner_team_follow, sender=User, dispatch_uid="contacts_owner_team_follow")
