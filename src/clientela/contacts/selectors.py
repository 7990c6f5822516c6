"""Every read of contacts and companies, already narrowed to what the user may see."""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.contacts.models import (
    Channel,
    Company,
    CompanySearchTerm,
    CompanyTag,
    Contact,
    ContactSearchTerm,
    ContactTag,
    Lifecycle,
    Tag,
    tag_named,
)
from clientela.contacts.search import (
    SearchResults,
    companies_matching,
    contacts_matching,
    ranked_ids,
)
from clientela.core.ids import id_or_404 as _int_or_404
from clientela.core.ids import id_or_error as _int_or_error
from clientela.core.pagination import Page, capped_count, keyset_page
from clientela.core.plans import filter_linked, is_dense

# What a list may be sorted by, and the keyset order behind each (the last field is unique).
CONTACT_SORTS = {
    "name": ["sort_name", "id"],
    "-name": ["-sort_name", "-id"],
    "created": ["created_at", "id"],
    "-created": ["-created_at", "-id"],
    "-updated": ["-updated_at", "-id"],
}
COMPANY_SORTS = CONTACT_SORTS

CONTACT_LIST_COLUMNS = [
    "id", "first_name", "middle_name", "last_name", "sort_name", "lifecycle", "primary_phone",
    "primary_email", "job_title", "created_at", "updated_at", "owner_id", "company_id",
    "owner__id", "owner__first_name", "owner__last_name", "owner__username",
    "company__id", "company__name",
]  # fmt: skip
COMPANY_LIST_COLUMNS = [
    "id", "name", "sort_name", "industry", "primary_phone", "primary_email", "created_at",
    "updated_at", "owner_id", "owner__id", "owner__first_name", "owner__last_name",
    "owner__username",
]  # fmt: skip


@dataclass(frozen=True)
class ListFilters:
    owner: int | None = None
    tag: int | None = None
    lifecycle: str | None = None
    company: int | None = None
    q: str = ""
    sort: str = "name"
    # Plans chosen for these filters (core.plans), decided once for the count and the page.
    plans: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def dense(self, key: str, links: QuerySet) -> bool:
        if key not in self.plans:
            self.plans[key] = is_dense(links)
        return self.plans[key]


# Ids are 64-bit: a bigger number is no id, and SQLite and PostgreSQL would fail on it (500).


def list_filters_clean(
    user: User, params: dict[str, Any], *, sorts: dict[str, list[str]]
) -> ListFilters:
    """Parse list filters from a query string; unknown values are a ValidationError (HTTP 400)."""
    owner_raw = params.get("owner")
    owner = user.pk if owner_raw == "me" else _int_or_error("owner", owner_raw)
    tag_raw = params.get("tag")
    tag = None
    if tag_raw not in (None, ""):
        tag = _int_or_error("tag", tag_raw) if str(tag_raw).isdigit() else None
        if tag is None:
            found = tag_named(str(tag_raw).strip())
            if found is None:
                raise ValidationError(
                    {"tag": [_("There is no tag “%(value)s”.") % {"value": tag_raw}]}
                )
            tag = found.pk
    lifecycle = params.get("lifecycle") or None
    if lifecycle is not None and lifecycle not in Lifecycle.values:
        allowed = ", ".join(Lifecycle.values)
        raise ValidationError({"lifecycle": [_("Use one of: %(allowed)s.") % {"allowed": allowed}]})
    sort = params.get("sort") or "name"
    if sort not in sorts:
        raise ValidationError(
            {"sort": [_("Sort by one of: %(allowed)s.") % {"allowed": ", ".join(sorts)}]}
        )
    return ListFilters(
        owner=owner,
        tag=tag,
        lifecycle=lifecycle,
        company=_int_or_error("company", params.get("company")),
        q=(params.get("q") or "").strip(),
        sort=sort,
    )


def contacts_filtered(user: User, filters: ListFilters) -> QuerySet[Contact]:
    queryset: QuerySet[Contact] = Contact.objects.visible_to(user)
    if filters.owner is not None:
        queryset = queryset.filter(owner_id=filters.owner)
    if filters.lifecycle:
        queryset = queryset.filter(lifecycle=filters.lifecycle)
    if filters.company is not None:
        queryset = queryset.filter(company_id=filters.company)
    if filters.tag is not None:
        tagged = ContactTag.objects.filter(tag_id=filters.tag)
        queryset = filter_linked(
            queryset, tagged, "contact_id", dense=filters.dense("contact_tag", tagged)
        )
    if filters.q:
        queryset = contacts_matching(queryset, filters.q)
    return queryset


def companies_filtered(user: User, filters: ListFilters) -> QuerySet[Company]:
    queryset: QuerySet[Company] = Company.objects.visible_to(user)
    if filters.owner is not None:
        queryset = queryset.filter(owner_id=filters.owner)
    if filters.tag is not None:
        tagged = CompanyTag.objects.filter(tag_id=filters.tag)
        queryset = filter_linked(
            queryset, tagged, "company_id", dense=filters.dense("company_tag", tagged)
        )
    if filters.q:
        queryset = companies_matching(queryset, filters.q)
    return queryset


def with_company_visibility(queryset: QuerySet[Contact], user: User) -> QuerySet[Contact]:
    """Each contact with `company_visible`: whether `user` may open its company. A contact's
    company is part of the contact and is named, but a company of another team is not linked
    (its page would only say it is not there)."""
    visible = Company.objects.visible_to(user).filter(pk=OuterRef("company_id"))
    return queryset.annotate(company_visible=Exists(visible))


def contact_list(
    user: User, filters: ListFilters, *, cursor: str | None = None, size: int | None = None
) -> Page:
    """One page of contacts: a single query with only the shown columns (owner, company joined)."""
    queryset = (
        with_company_visibility(contacts_filtered(user, filters), user)
        .select_related("owner", "company")
        .only(*CONTACT_LIST_COLUMNS)
    )
    return keyset_page(
        queryset,
        order=CONTACT_SORTS[filters.sort],
        cursor=cursor,
        size=size or settings.LIST_PAGE_SIZE,
        gather=bool(filters.q),
    )


def company_list(
    user: User, filters: ListFilters, *, cursor: str | None = None, size: int | None = None
) -> Page:
    queryset = companies_filtered(user, filters).select_related("owner").only(*COMPANY_LIST_COLUMNS)
    return keyset_page(
        queryset,
        order=COMPANY_SORTS[filters.sort],
        cursor=cursor,
        size=size or settings.LIST_PAGE_SIZE,
        gather=bool(filters.q),
    )


def contact_count(user: User, filters: ListFilters) -> tuple[int, bool]:
    return capped_count(contacts_filtered(user, filters), settings.LIST_COUNT_CAP)


def company_count(user: User, filters: ListFilters) -> tuple[int, bool]:
    return capped_count(companies_filtered(user, filters), settings.LIST_COUNT_CAP)


def _detail_prefetch() -> list[Any]:
    return [
        Prefetch("channels", queryset=Channel.objects.order_by("kind", "position", "id")),
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
    ]


def contact_get(user: User, pk: Any) -> Contact:
    """A contact the user may see, with its channels and tags; Http404 otherwise."""
    contact = (
        with_company_visibility(Contact.objects.visible_to(user), user)
        .select_related("owner", "company")
        .prefetch_related(*_detail_prefetch())
        .filter(pk=_int_or_404(pk))
        .first()
    )
    if contact is None:
        raise Http404
    return contact


def company_get(user: User, pk: Any) -> Company:
    company = (
        Company.objects.visible_to(user)
        .select_related("owner")
        .prefetch_related(*_detail_prefetch())
        .filter(pk=_int_or_404(pk))
        .first()
    )
    if company is None:
        raise Http404
    return company


def company_contacts(user: User, company: Company, limit: int = 50) -> list[Contact]:
    return list(
        Contact.objects.visible_to(user)
        .filter(company=company)
        .select_related("owner", "company")
        .only(*CONTACT_LIST_COLUMNS)
        .order_by("sort_name", "id")[:limit]
    )


def trash_contacts(user: User, limit: int = 200) -> list[Contact]:
    """Contacts in the trash that the user may restore: its own, or all for an administrator."""
    queryset = Contact.all_objects.trashed().select_related("owner", "deleted_by")
    if not user.is_admin:
        queryset = queryset.filter(owner=user)
    return list(queryset.order_by("-deleted_at", "-id")[:limit])


def trash_companies(user: User, limit: int = 200) -> list[Company]:
    queryset = Company.all_objects.trashed().select_related("owner", "deleted_by")
    if not user.is_admin:
        queryset = queryset.filter(owner=user)
    return list(queryset.order_by("-deleted_at", "-id")[:limit])


def trashed_contact_get(user: User, pk: Any) -> Contact:
    contact = Contact.all_objects.trashed().filter(pk=_int_or_404(pk)).first()
    if contact is None or not (user.is_admin or contact.owner_id == user.pk):
        raise Http404
    return contact


def trashed_company_get(user: User, pk: Any) -> Company:
    company = Company.all_objects.trashed().filter(pk=_int_or_404(pk)).first()
    if company is None or not (user.is_admin or company.owner_id == user.pk):
        raise Http404
    return company


def search_everything(user: User, text: str, *, limit: int = 20) -> SearchResults:
    """The one search box: contacts and companies the user may see, closest matches first.

    Four queries whatever the number of matches: the ranked ids of each kind from the term
    index (see search.ranked_ids), then those few records.
    """
    contact_ids = ranked_ids(
        ContactSearchTerm, "contact_id", Contact.objects.visible_to(user), text, limit
    )
    company_ids = ranked_ids(
        CompanySearchTerm, "company_id", Company.objects.visible_to(user), text, limit
    )
    contacts = _in_order(
        Contact.objects.filter(pk__in=contact_ids)
        .select_related("owner", "company")
        .only(*CONTACT_LIST_COLUMNS),
        contact_ids,
    )
    companies = _in_order(
        Company.objects.filter(pk__in=company_ids)
        .select_related("owner")
        .only(*COMPANY_LIST_COLUMNS),
        company_ids,
    )
    return SearchResults(query=text, contacts=contacts, companies=companies)


def _in_order(queryset: QuerySet, ids: list[int]) -> list[Any]:
    if not ids:
        return []
    by_id = {record.pk: record for record in queryset}
    return [by_id[pk] for pk in ids if pk in by_id]


def tags_all() -> QuerySet[Tag]:
    return Tag.objects.order_by("name")
