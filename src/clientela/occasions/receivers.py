"""How occasions follow the records they come from: a contact saved recomputes its dates, and
a greeting's status follows its email through the outbox.

Purchases belong to the sales app, above this one: their signal is connected by model name,
so nothing here imports sales.
"""

from typing import Any

from django.db.models.signals import post_save

from clientela.contacts.models import Company, Contact
from clientela.occasions.models import ClientDates, Greeting, OccasionKind

# The fields of a contact its computed occasions are made from; a save that names only other
# fields (such as the primary phone and email kept for lists) changes none of them.
CONTACT_FIELDS = {
    "first_name",
    "birth_day",
    "birth_month",
    "birth_year",
    "owner",
    "owner_id",
    "team",
    "team_id",
    "deleted_at",
}
COMPANY_FIELDS = {"owner", "owner_id", "team", "team_id", "deleted_at"}


def _touches(update_fields: Any, fields: set[str]) -> bool:
    return update_fields is None or bool(fields & set(update_fields))


def contact_saved(sender: Any, instance: Contact, raw: bool = False, **kwargs: Any) -> None:
    if raw or not _touches(kwargs.get("update_fields"), CONTACT_FIELDS):
        return
    from clientela.occasions.services import occasions_refresh

    occasions_refresh(instance)


def company_saved(sender: Any, instance: Company, raw: bool = False, **kwargs: Any) -> None:
    if raw or not _touches(kwargs.get("update_fields"), COMPANY_FIELDS):
        return
    from clientela.occasions.services import occasions_refresh

    occasions_refresh(instance)


def dates_saved(sender: Any, instance: ClientDates, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    from clientela.occasions.services import occasions_refresh

    client = instance.contact if instance.contact_id else instance.company
    if client is not None:
        occasions_refresh(client)


def purchase_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A purchase (new, moved, trashed or restored) may change its clients' first purchase."""
    if raw:
        return
    from clientela.occasions.services import occasions_refresh

    for client in (instance.contact, instance.company):
        if client is not None:
            occasions_refresh(client, kinds=[OccasionKind.ANNIVERSARY])


# A greeting's status follows its email: claimed or put back for another attempt is "queued".
GREETING_STATUS = {
    "sending": Greeting.Status.QUEUED,
    "queued": Greeting.Status.QUEUED,
    "sent": Greeting.Status.SENT,
    "failed": Greeting.Status.FAILED,
}


def email_status_changed(
    sender: Any, email_ids: list[int], status: str, purpose: str = "", **kwargs: Any
) -> None:
    """Write the new status onto the greetings of these emails, in the same transaction."""
    if purpose != "greeting" or status not in GREETING_STATUS:
        return
    Greeting.objects.filter(email_id__in=email_ids).exclude(
        status__in=[Greeting.Status.CANCELLED, GREETING_STATUS[status]]
    ).update(status=GREETING_STATUS[status])


def connect() -> None:
    from clientela.core.mail import email_status_changed as email_signal

    email_signal.connect(email_status_changed, dispatch_uid="occasions_greeting_status")
    post_save.connect(contact_saved, sender=Contact, dispatch_uid="occasions_contact_saved")
    post_save.connect(company_saved, sender=Company, dispatch_uid="occasions_company_saved")
    post_save.connect(dates_saved, sender=ClientDates, dispatch_uid="occasions_dates_saved")
    post_save.connect(
        purchase_saved, sender="sales.Purchase", dispatch_uid="occasions_purchase_saved"
    )

    from clientela.occasions.views.dates import register_extensions

    register_extensions()
