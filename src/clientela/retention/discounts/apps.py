from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscountsConfig(AppConfig):
    name = "clientela.retention.discounts"
    label = "discounts"
    verbose_name = _("Discount policy")

    def ready(self) -> None:
        from django.urls import reverse

        from clientela.retention.discounts.checks import discount_check
        from clientela.sales.policy import register_approval_url, register_discount_check

        register_discount_check(discount_check)
        register_approval_url(lambda: reverse("discounts:request_create"))
