from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "clientela.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from clientela.accounts.models import User
        from clientela.sales.signals import owner_team_follow

        post_save.connect(owner_team_follow, sender=User, dispatch_uid="sales_owner_team_follow")
