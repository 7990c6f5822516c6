from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "clientela.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from clientela.accounts.models import User
        from clientela.accounts.team_copies import owner_team_follow

        post_save.connect(owner_team_follow, sender=User, dispatch_uid="accounts_owner_team_follow")
