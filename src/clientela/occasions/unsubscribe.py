"""Stopping marketing email from the email itself.

Every marketing greeting (a holiday campaign's) carries a link of its own — in the
List-Unsubscribe header, with one-click unsubscribing (RFC 8058), and in a line at the end of
the text, in the client's language. The link holds the contact's id signed with the site's
secret key (the same link in every email), so it needs no table and never expires; a forged or mangled link is not found.
Following it withdraws the contact's marketing consent; personal greetings from the manager
are not marketing and still go out.
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clientela.contacts.models import Contact
from clientela.core.audit import audit_record

SALT = "clientela.occasions.unsubscribe"


def unsubscribe_url(contact_id: int) -> str:
    token = signing.Signer(salt=SALT).sign_object(contact_id)
    return settings.SITE_URL + reverse("occasions:unsubscribe", args=[token])


def unsubscribe_headers(contact_id: int) -> dict[str, str]:
    """The headers of a marketing email that let the reader's mail program offer to stop."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(contact_id)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def unsubscribe_footer(contact_id: int, language: str) -> str:
    """The line that ends a marketing email's text, in `language`."""
    with translation.override(language):
        line = _(
            "You receive this email because you agreed to news from us. "
            "To receive no more: %(link)s"
        ) % {"link": unsubscribe_url(contact_id)}
    return f"\n\n--\n{line}"


def contact_for_token(token: str) -> Contact | None:
    """The live contact a link names, or None for a forged, mangled or stale one."""
    try:
        contact_id = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(contact_id, int):
        return None
    return Contact.objects.filter(pk=contact_id).first()


@transaction.atomic
def marketing_consent_withdraw(contact: Contact) -> bool:
    """The client's own "no more marketing email": the consent is withdrawn and the history
    says so (no user did it). False when there was no consent to withdraw."""
    withdrawn = Contact.objects.filter(pk=contact.pk, marketing_consent=True).update(
        marketing_consent=False, consent_at=None, updated_at=timezone.now()
    )
    if withdrawn:
        audit_record(
            actor=None,
            action="update",
            obj=contact,
            changes={"marketing_consent": [True, False]},
        )
    return bool(withdrawn)
