"""Contact pages."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from clientela.contacts import selectors, services
from clientela.contacts.custom_fields import custom_field_definitions
from clientela.contacts.forms import ContactForm
from clientela.contacts.models import Contact, CustomFieldDefinition
from clientela.contacts.views.common import (
    birth_date_display,
    channel_views,
    current_user,
    custom_values,
)
from clientela.contacts.views.lists import record_bulk, record_list
from clientela.contacts.views.records import (
    RecordKind,
    record_create,
    record_delete,
    record_edit,
    record_history,
    record_restore,
)
from clientela.core.extensions import actions_for, panels_for


def _contact_update(
    actor: Any, record: Any, data: dict[str, Any], expected: Any, allow: bool
) -> Contact:
    return services.contact_update(
        actor=actor, contact=record, data=data, expected_updated_at=expected, allow_duplicate=allow
    )


CONTACTS = RecordKind(
    name="contact",
    entity=CustomFieldDefinition.Entity.CONTACT,
    form_class=ContactForm,
    get=selectors.contact_get,
    trashed_get=selectors.trashed_contact_get,
    create=lambda actor, data, allow: services.contact_create(
        actor=actor, data=data, allow_duplicate=allow
    ),
    update=_contact_update,
    delete=lambda actor, record: services.contact_delete(actor=actor, contact=record),  # type: ignore[arg-type]
    restore=lambda actor, record: services.contact_restore(actor=actor, contact=record),  # type: ignore[arg-type]
    list_page=lambda user, filters, cursor: selectors.contact_list(user, filters, cursor=cursor),
    count=selectors.contact_count,
    sorts=selectors.CONTACT_SORTS,
    bulk_tag=lambda actor, ids, add, remove: services.contacts_bulk_tag(
        actor=actor, contact_ids=ids, add=add, remove=remove
    ),
    bulk_reassign=lambda actor, ids, owner: services.contacts_bulk_reassign(
        actor=actor, contact_ids=ids, owner=owner
    ),
    url_list="contacts:list",
    url_create="contacts:create",
    url_bulk="contacts:bulk",
    url_detail="contacts:detail",
    url_edit="contacts:edit",
    url_delete="contacts:delete",
    url_history="contacts:history",
    url_restore="contacts:restore",
    title_list=gettext_lazy("Contacts"),
    title_new=gettext_lazy("New contact"),
    msg_bulk_done=lambda n: (
        ngettext("%(count)d contact changed.", "%(count)d contacts changed.", n) % {"count": n}
    ),
    msg_created=gettext_lazy("Contact “%(name)s” created."),
    msg_updated=gettext_lazy("Contact “%(name)s” saved."),
    msg_deleted=gettext_lazy(
        "Contact “%(name)s” moved to the trash; it can be restored from there."
    ),
    msg_restored=gettext_lazy("Contact “%(name)s” restored."),
)


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    return record_list(request, CONTACTS)


@login_required
@require_POST
def contact_bulk(request: HttpRequest) -> HttpResponse:
    return record_bulk(request, CONTACTS)


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    contact = selectors.contact_get(user, pk)
    phones, emails = channel_views(contact)
    definitions = custom_field_definitions(CustomFieldDefinition.Entity.CONTACT)
    return render(
        request,
        "contacts/contact_detail.html",
        {
            "kind": CONTACTS,
            "contact": contact,
            "record": contact,
            "phones": phones,
            "emails": emails,
            "tags": list(contact.tags.all()),
            "custom": custom_values(definitions, contact.custom),
            "birth_date": birth_date_display(
                contact.birth_day, contact.birth_month, contact.birth_year
            ),
            "panels": panels_for("contact", request, contact),
            "extra_actions": actions_for("contact", user, contact),
        },
    )


@login_required
def contact_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    company_id = request.GET.get("company")
    if company_id:
        # "Add a contact" from a company's page starts with that company filled in.
        try:
            company = selectors.company_get(current_user(request), company_id)
        except Http404:
            pass
        else:
            initial["company"] = company.name
    return record_create(request, CONTACTS, initial)


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_edit(request, CONTACTS, pk)


@login_required
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return record_delete(request, CONTACTS, pk)


@login_required
@require_POST
def contact_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return record_restore(request, CONTACTS, pk)


@login_required
def contact_history(request: HttpRequest, pk: int) -> HttpResponse:
    return record_history(request, CONTACTS, pk)


__all__ = [
    "CONTACTS",
    "contact_bulk",
    "contact_create",
    "contact_delete",
    "contact_detail",
    "contact_edit",
    "contact_history",
    "contact_list",
    "contact_restore",
]
