"""Company pages."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from clientela.contacts import selectors, services
from clientela.contacts.channels import format_phone
from clientela.contacts.custom_fields import custom_field_definitions
from clientela.contacts.forms import CompanyForm
from clientela.contacts.models import Company, CustomFieldDefinition
from clientela.contacts.views.common import channel_views, current_user, custom_values
from clientela.contacts.views.lists import ListRow, record_bulk, record_list
from clientela.contacts.views.records import (
    RecordKind,
    record_create,
    record_delete,
    record_edit,
    record_history,
    record_restore,
)
from clientela.core.extensions import actions_for, panels_for

# How many suggestions the company box of the contact form offers while typing.
SUGGESTIONS = 10


def _company_update(
    actor: Any, record: Any, data: dict[str, Any], expected: Any, allow: bool
) -> Company:
    return services.company_update(
        actor=actor, company=record, data=data, expected_updated_at=expected, allow_duplicate=allow
    )


COMPANIES = RecordKind(
    name="company",
    entity=CustomFieldDefinition.Entity.COMPANY,
    form_class=CompanyForm,
    get=selectors.company_get,
    trashed_get=selectors.trashed_company_get,
    create=lambda actor, data, allow: services.company_create(
        actor=actor, data=data, allow_duplicate=allow
    ),
    update=_company_update,
    delete=lambda actor, record: services.company_delete(actor=actor, company=record),  # type: ignore[arg-type]
    restore=lambda actor, record: services.company_restore(actor=actor, company=record),  # type: ignore[arg-type]
    list_page=lambda user, filters, cursor: selectors.company_list(user, filters, cursor=cursor),
    count=selectors.company_count,
    sorts=selectors.COMPANY_SORTS,
    bulk_tag=lambda actor, ids, add, remove: services.companies_bulk_tag(
        actor=actor, company_ids=ids, add=add, remove=remove
    ),
    bulk_reassign=lambda actor, ids, owner: services.companies_bulk_reassign(
        actor=actor, company_ids=ids, owner=owner
    ),
    url_list="contacts:company_list",
    url_create="contacts:company_create",
    url_bulk="contacts:company_bulk",
    url_detail="contacts:company_detail",
    url_edit="contacts:company_edit",
    url_delete="contacts:company_delete",
    url_history="contacts:company_history",
    url_restore="contacts:company_restore",
    title_list=gettext_lazy("Companies"),
    title_new=gettext_lazy("New company"),
    msg_bulk_done=lambda n: (
        ngettext("%(count)d company changed.", "%(count)d companies changed.", n) % {"count": n}
    ),
    msg_created=gettext_lazy("Company “%(name)s” created."),
    msg_updated=gettext_lazy("Company “%(name)s” saved."),
    msg_deleted=gettext_lazy(
        "Company “%(name)s” moved to the trash; it can be restored from there."
    ),
    msg_restored=gettext_lazy("Company “%(name)s” restored."),
)


@login_required
def company_list(request: HttpRequest) -> HttpResponse:
    return record_list(request, COMPANIES)


@login_required
@require_POST
def company_bulk(request: HttpRequest) -> HttpResponse:
    return record_bulk(request, COMPANIES)


@login_required
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    company = selectors.company_get(user, pk)
    phones, emails = channel_views(company)
    definitions = custom_field_definitions(CustomFieldDefinition.Entity.COMPANY)
    people = selectors.company_contacts(user, company)
    return render(
        request,
        "contacts/company_detail.html",
        {
            "kind": COMPANIES,
            "company": company,
            "record": company,
            "phones": phones,
            "emails": emails,
            "tags": list(company.tags.all()),
            "custom": custom_values(definitions, company.custom),
            "people": [
                ListRow(c, format_phone(c.primary_phone) if c.primary_phone else "") for c in people
            ],
            "panels": panels_for("company", request, company),
            "extra_actions": actions_for("company", user, company),
        },
    )


@login_required
def company_create(request: HttpRequest) -> HttpResponse:
    return record_create(request, COMPANIES)


@login_required
def company_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_edit(request, COMPANIES, pk)


@login_required
def company_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return record_delete(request, COMPANIES, pk)


@login_required
@require_POST
def company_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return record_restore(request, COMPANIES, pk)


@login_required
def company_history(request: HttpRequest, pk: int) -> HttpResponse:
    return record_history(request, COMPANIES, pk)


@login_required
@require_GET
def company_suggest(request: HttpRequest) -> HttpResponse:
    """Options for the company box of the contact form (an htmx partial)."""
    text = (request.GET.get("company") or "")[:200]
    filters = selectors.ListFilters(q=text)
    companies = selectors.company_list(current_user(request), filters, size=SUGGESTIONS).items
    return render(request, "contacts/_company_options.html", {"companies": companies})
