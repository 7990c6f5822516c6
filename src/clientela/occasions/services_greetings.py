"""Greeting templates (kept by administrators and team leads) and greetings sent to clients:
contacts, and companies at their own address.

A greeting goes out through the email outbox (core.mail): sending now queues the email at
once; "on the day at 09:00" queues it at scheduling time with `send_after` set to that moment,
so the outbox's own periodic check sends it when it is due and retries it when the mail server
is down. The greeting keeps a link to its email, and its stored status follows the email's,
written in the same transaction as each change of the email (receivers.email_status_changed):
scheduled until the outbox takes the email, queued while it is sent or tried again, then sent
or failed. Cancelling a scheduled greeting takes its email out of the outbox while it is still
waiting, and only then.
"""

import datetime
from dataclasses import dataclass
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import Role, User
from clientela.contacts.models import Company, Contact
from clientela.core.audit import audit_diff, audit_record, audit_records
from clientela.core.mail import new_email, queue_emails
from clientela.core.models import OutgoingEmail
from clientela.occasions.greetings import (
    LANGUAGES,
    greeting_values,
    render_greeting,
    template_errors,
)
from clientela.occasions.models import Greeting, GreetingTemplate, Occasion, OccasionKind
from clientela.occasions.unsubscribe import unsubscribe_footer, unsubscribe_headers

Errors = dict[str, list[str]]
TEMPLATE_KINDS = [*OccasionKind.values, "holiday"]
# The header that tells what kind of greeting an email is: a personal one from the manager
# needs no marketing consent, and says so.
KIND_HEADER = "X-Clientela-Greeting"


def can_edit_templates(user: User) -> bool:
    return bool(user.is_active and (user.is_admin or user.role == Role.LEAD))


def _ensure_template_editor(actor: User) -> None:
    if not can_edit_templates(actor):
        raise PermissionDenied(_("Only administrators and team leads edit greeting templates."))


def _ensure_can_write(actor: User) -> None:
    if not actor.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))


def template_snapshot(template: GreetingTemplate) -> dict[str, Any]:
    return {
        "name": template.name,
        "occasion_kind": template.occasion_kind,
        "language": template.language,
        "subject": template.subject,
        "body": template.body,
        "active": template.active,
    }


def _text(data: dict[str, Any], field: str, errors: Errors, *, required: bool = True) -> str:
    text = str(data.get(field) or "")
    if "\x00" in text:
        errors[field] = [_("Null characters are not allowed.")]
    elif required and not text.strip():
        errors[field] = [_("This field is required.")]
    return text.strip() if field != "body" else text.strip("\n")


def _apply_template(template: GreetingTemplate, data: dict[str, Any], creating: bool) -> Errors:
    errors: Errors = {}
    for field in ("name", "subject", "body"):
        if creating or field in data:
            setattr(template, field, _text(data, field, errors))
    if creating or "occasion_kind" in data:
        kind = str(data.get("occasion_kind") or "")
        if kind not in TEMPLATE_KINDS:
            errors["occasion_kind"] = [_("Choose the occasion this greeting is for.")]
        template.occasion_kind = kind
    if creating or "language" in data:
        language = str(data.get("language") or "")
        if language not in LANGUAGES:
            errors["language"] = [_("Choose Ukrainian, Russian or English.")]
        template.language = language
    if "active" in data:
        template.active = bool(data["active"])
    for field, problems in template_errors(
        (f, getattr(template, f)) for f in ("subject", "body") if f not in errors
    ).items():
        errors[field] = problems
    if len(template.name) > 100:
        errors.setdefault("name", []).append(_("At most 100 characters."))
    if len(template.subject) > 200:
        errors.setdefault("subject", []).append(_("At most 200 characters."))
    return errors


@transaction.atomic
def greeting_template_create(*, actor: User, data: dict[str, Any]) -> GreetingTemplate:
    """A new template; every bad field (an unknown placeholder named) is a ValidationError."""
    _ensure_template_editor(actor)
    template = GreetingTemplate()
    errors = _apply_template(template, data, creating=True)
    if errors:
        raise ValidationError(errors)
    template.save()
    audit_record(
        actor=actor,
        action="create",
        obj=template,
        changes=audit_diff({}, template_snapshot(template)),
    )
    return template


@transaction.atomic
def greeting_template_update(
    *, actor: User, template: GreetingTemplate, data: dict[str, Any]
) -> GreetingTemplate:
    """Change the fields named in `data`; nothing is saved when one of them is wrong."""
    _ensure_template_editor(actor)
    template = GreetingTemplate.objects.select_for_update().get(pk=template.pk)
    before = template_snapshot(template)
    errors = _apply_template(template, data, creating=False)
    if errors:
        raise ValidationError(errors)
    template.save()
    changes = audit_diff(before, template_snapshot(template))
    if changes:
        audit_record(actor=actor, action="update", obj=template, changes=changes)
    return template


def greeting_template_deactivate(*, actor: User, template: GreetingTemplate) -> GreetingTemplate:
    """Take a template out of use (greetings sent with it keep their text)."""
    return greeting_template_update(actor=actor, template=template, data={"active": False})


# --- greetings ---------------------------------------------------------------------------------


def greeting_snapshot(greeting: Greeting) -> dict[str, Any]:
    return {
        "contact": str(greeting.contact) if greeting.contact_id else None,
        "company": str(greeting.company) if greeting.company_id else None,
        "to_email": greeting.to_email,
        "subject": greeting.subject,
        "language": greeting.language,
        "personal": greeting.personal,
        "status": greeting.status,
        "send_at": greeting.send_at.isoformat(),
    }


@dataclass(frozen=True)
class _Recipient:
    """The client a greeting goes to, and what the checks of `greeting_send` need of it."""

    client: Contact | Company
    field: str  # "contact" or "company": the greeting's column and the field errors name
    name: str  # the client as messages name it
    email: str
    no_consent: str  # why a marketing greeting is refused ("" when the client agreed)
    foreign_occasion: str  # the error of an occasion that is not the client's

    def owns(self, occasion: Occasion) -> bool:
        if isinstance(self.client, Company):
            return occasion.company_id == self.client.pk and occasion.contact_id is None
        return occasion.contact_id == self.client.pk


def _company_recipient(company: Company) -> _Recipient:
    name = company.name
    return _Recipient(
        client=company,
        field="company",
        name=name,
        email=company.primary_email,
        # Consent to marketing is a person's to give: a company has none on record.
        no_consent=_(
            "%(name)s is a company and has not agreed to marketing email: send it as your "
            "personal greeting, or not at all."
        )
        % {"name": name},
        foreign_occasion=_("This occasion is not the company's."),
    )


def _contact_recipient(contact: Contact) -> _Recipient:
    """`contact` (loaded with its company) as a greeting's recipient."""
    name = str(contact.formal_name or contact)
    no_consent = ""
    if not contact.marketing_consent:
        no_consent = _(
            "%(name)s has not agreed to marketing email: send it as your personal "
            "greeting, or not at all."
        ) % {"name": name}
    return _Recipient(
        client=contact,
        field="contact",
        name=name,
        email=contact.primary_email,
        no_consent=no_consent,
        foreign_occasion=_("This occasion is not the contact's."),
    )


def _recipient(actor: User, contact: Contact | None, company: Company | None) -> _Recipient:
    """The contact or company as `actor` may see it; a ValidationError on its field otherwise."""
    if (contact is None) == (company is None):
        raise TypeError("greeting_send takes exactly one of contact= and company=")
    if company is not None:
        found_company = Company.objects.visible_to(actor).filter(pk=company.pk).first()
        if found_company is None:
            raise ValidationError({"company": [_("There is no such company.")]})
        return _company_recipient(found_company)
    assert contact is not None
    found = (
        Contact.objects.visible_to(actor).select_related("company").filter(pk=contact.pk).first()
    )
    if found is None:
        raise ValidationError({"contact": [_("There is no such contact.")]})
    return _contact_recipient(found)


@dataclass(frozen=True)
class _Draft:
    """A greeting and its email, checked and written out, not yet saved."""

    greeting: Greeting
    email: OutgoingEmail


def _draft(
    *,
    actor: User,
    recipient: _Recipient,
    subject: str,
    body: str,
    language: str,
    personal: bool,
    template: GreetingTemplate | None,
    occasion: Occasion | None,
    send_at: datetime.datetime | None,
    occasion_name: str,
    now: datetime.datetime,
) -> _Draft:
    """Check one greeting (a ValidationError names every bad field) and write it out."""
    client = recipient.client
    errors: Errors = {}
    data = {"subject": subject, "body": body}
    subject = _text(data, "subject", errors)
    body = _text(data, "body", errors)
    errors.update(
        template_errors(
            (f, v) for f, v in (("subject", subject), ("body", body)) if f not in errors
        )
    )
    if language not in LANGUAGES:
        errors["language"] = [_("Choose Ukrainian, Russian or English.")]
    if not recipient.email:
        errors[recipient.field] = [
            _("%(name)s has no email address: log a call or record a postcard instead.")
            % {"name": recipient.name}
        ]
    if not personal and recipient.no_consent:
        errors["personal"] = [recipient.no_consent]
    if send_at is not None and send_at < now - datetime.timedelta(minutes=1):
        errors["send_at"] = [_("That moment has passed: send now or choose a later time.")]
    if occasion is not None and not recipient.owns(occasion):
        errors["occasion"] = [recipient.foreign_occasion]
    if errors:
        raise ValidationError(errors)

    kind = occasion.kind if occasion is not None else (template.occasion_kind if template else "")
    values = greeting_values(
        client,
        sender=actor,
        language=language,
        occasion_kind=kind,
        occasion_label=occasion.label if occasion is not None else occasion_name,
    )
    text = render_greeting(subject, body, values)
    moment = send_at if send_at is not None and send_at > now else now
    sender_name = actor.get_full_name() or actor.get_username()
    firm_address = str(settings.DEFAULT_FROM_EMAIL or "")
    body, headers = text.body, {KIND_HEADER: "personal" if personal else "marketing"}
    if not personal and isinstance(client, Contact):
        # Marketing email can be stopped from the email itself (occasions.unsubscribe).
        body += unsubscribe_footer(client.pk, language)
        headers |= unsubscribe_headers(client.pk)
    email = new_email(
        to=recipient.email,
        subject=text.subject,
        body=body,
        language=language,
        # A personal greeting carries the manager's name, and replies go to the manager.
        from_email=formataddr((sender_name, firm_address)) if personal else firm_address,
        reply_to=actor.email if personal and actor.email else "",
        headers=headers,
        purpose="greeting",
        send_after=moment,
    )
    greeting = Greeting(
        **{recipient.field: client},
        owner_id=client.owner_id,
        team_id=client.team_id,
        sender=actor,
        occasion=occasion,
        occasion_kind=kind,
        template=template,
        language=language,
        to_email=recipient.email,
        subject=text.subject[:300],
        body=text.body,
        personal=personal,
        status=Greeting.Status.SCHEDULED if moment > now else Greeting.Status.QUEUED,
        send_at=moment,
    )
    return _Draft(greeting, email)


def _save(actor: User, drafts: list[_Draft]) -> list[Greeting]:
    """Queue the drafts' emails and save their greetings and audit events, each kind with one
    INSERT per batch whatever the number of greetings."""
    emails = queue_emails([draft.email for draft in drafts])
    for draft, email in zip(drafts, emails, strict=True):
        draft.greeting.email = email
    greetings = Greeting.objects.bulk_create([draft.greeting for draft in drafts], batch_size=500)
    audit_records(
        actor=actor,
        action="create",
        changes=[(g, audit_diff({}, greeting_snapshot(g))) for g in greetings],
    )
    return greetings


@transaction.atomic
def greeting_send(
    *,
    actor: User,
    contact: Contact | None = None,
    company: Company | None = None,
    subject: str,
    body: str,
    language: str,
    personal: bool = True,
    template: GreetingTemplate | None = None,
    occasion: Occasion | None = None,
    send_at: datetime.datetime | None = None,
    occasion_name: str = "",
) -> Greeting:
    """Send a greeting to `contact` or to `company` (exactly one) now, or at `send_at` (an
    aware moment in the future).

    `subject` and `body` may hold placeholders; they are filled in for the client in
    `language`. Refused, naming the field: a client the actor cannot see or without an email
    address ("contact"/"company"), a marketing greeting (not `personal`) to a contact who has
    not agreed to marketing or to a company, which cannot ("personal"), a wrong placeholder
    ("subject"/"body"), a moment in the past ("send_at"), an occasion of another client
    ("occasion"). A personal greeting is marked so in its email's headers. `occasion_name`
    names an occasion that is not a client's date (a holiday of a campaign) in {occasion}.
    """
    _ensure_can_write(actor)
    draft = _draft(
        actor=actor,
        recipient=_recipient(actor, contact, company),
        subject=subject,
        body=body,
        language=language,
        personal=personal,
        template=template,
        occasion=occasion,
        send_at=send_at,
        occasion_name=occasion_name,
        now=timezone.now(),
    )
    [greeting] = _save(actor, [draft])
    return greeting


@transaction.atomic
def greetings_send_to_contacts(
    *,
    actor: User,
    recipients: list[tuple[Contact, GreetingTemplate]],
    send_at: datetime.datetime | None,
    occasion_names: dict[str, str],
    holiday: datetime.date | None = None,
) -> list[Greeting]:
    """A marketing greeting from `actor` to each contact, with their template (in the
    template's language), at `send_at` (None: now): `greeting_send` for many at once, with
    a constant number of queries. The contacts must be ones `actor` sees, loaded with their
    company (a campaign's plan); one that fails a check fails them all, naming the contact.
    `holiday` records the day greeted for (Greeting.holiday)."""
    _ensure_can_write(actor)
    now = timezone.now()
    drafts = []
    for contact, template in recipients:
        try:
            drafts.append(
                _draft(
                    actor=actor,
                    recipient=_contact_recipient(contact),
                    subject=template.subject,
                    body=template.body,
                    language=template.language,
                    personal=False,
                    template=template,
                    occasion=None,
                    send_at=send_at,
                    occasion_name=occasion_names.get(template.language, ""),
                    now=now,
                )
            )
        except ValidationError as error:
            raise ValidationError(
                {
                    "recipients": [
                        _("The greeting to %(client)s cannot be sent: %(problem)s")
                        % {"client": contact, "problem": " ".join(error.messages)}
                    ]
                }
            ) from error
    for draft in drafts:
        draft.greeting.holiday = holiday
    return _save(actor, drafts)


@transaction.atomic
def greeting_cancel(*, actor: User, greeting: Greeting) -> Greeting:
    """Stop a scheduled greeting. Once its email is on its way it cannot be called back:
    that is a ValidationError on "status"."""
    _ensure_can_write(actor)
    found = Greeting.objects.visible_to(actor).select_for_update().filter(pk=greeting.pk).first()
    if found is None:
        raise ValidationError({"greeting": [_("There is no such greeting.")]})
    greeting = found
    # Only an email still waiting is taken back; the outbox claims a due one with an UPDATE
    # of its status, so the conditional delete and the claim cannot both succeed.
    taken_back = 0
    if greeting.status == Greeting.Status.SCHEDULED and greeting.email_id is not None:
        taken_back, _deleted = OutgoingEmail.objects.filter(
            pk=greeting.email_id, status=OutgoingEmail.Status.QUEUED
        ).delete()
    if not taken_back:
        raise ValidationError(
            {"status": [_("This greeting is already on its way and cannot be cancelled.")]}
        )
    before = greeting_snapshot(greeting)
    greeting.status = Greeting.Status.CANCELLED
    greeting.email = None
    greeting.save(update_fields=["status", "email"])
    audit_record(
        actor=actor,
        action="update",
        obj=greeting,
        changes=audit_diff(before, greeting_snapshot(greeting)),
    )
    return greeting
