"""List pages of contacts and companies: filters, sorting, keyset pages, bulk changes."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clientela.contacts.channels import format_phone
from clientela.contacts.forms import BulkForm
from clientela.contacts.models import Company, Lifecycle
from clientela.contacts.selectors import list_filters_clean, tags_all
from clientela.contacts.views.common import (
    Record,
    bad_request,
    current_user,
    is_htmx,
    require_writer,
    safe_next,
)
from clientela.contacts.views.records import RecordKind, owners_for
from clientela.core.extensions import ActionLink, actions_for

SORT_LABELS = {
    "name": gettext_lazy("Name, A to Z"),
    "-name": gettext_lazy("Name, Z to A"),
    "-created": gettext_lazy("Newest first"),
    "created": gettext_lazy("Oldest first"),
    "-updated": gettext_lazy("Recently changed"),
}


@dataclass(frozen=True)
class ListRow:
    record: Record
    phone: str  # the primary phone as people write it
    actions: list[ActionLink] = field(default_factory=list)  # registered by the apps above


def record_list(request: HttpRequest, kind: RecordKind) -> HttpResponse:
    """One page of the list; unknown filter values or a forged page link answer 400."""
    user = current_user(request)
    try:
        filters = list_filters_clean(user, request.GET, sorts=kind.sorts)
        page = kind.list_page(user, filters, request.GET.get("cursor") or None)
    except ValidationError as exc:
        return bad_request(request, exc)
    count, capped = kind.count(user, filters)
    owners = owners_for(user)
    company_name = ""
    if kind.name == "contact" and filters.company is not None:
        # Only the name, for the filter's label: one small query, not the company's whole page.
        visible = Company.objects.visible_to(user).filter(pk=filters.company)
        company_name = visible.values_list("name", flat=True).first() or f"#{filters.company}"
    context: dict[str, Any] = {
        "kind": kind,
        "filters": filters,
        "page": page,
        "rows": [
            ListRow(
                r,
                format_phone(r.primary_phone) if r.primary_phone else "",
                actions_for(f"{kind.name}_row", user, r),
            )
            for r in page.items
        ],
        "count": count,
        "capped": capped,
        "company_name": company_name,
        "owner_options": [
            ("", _("Anyone")),
            ("me", _("Me")),
            *((str(u.pk), str(u)) for u in owners if u.pk != user.pk),
        ],
        "owner_selected": request.GET.get("owner", ""),
        "tag_options": [("", _("Any tag")), *((str(t.pk), t.name) for t in tags_all())],
        "tag_selected": str(filters.tag or ""),
        "lifecycle_options": [("", _("Any stage")), *Lifecycle.choices],
        "sort_options": [(key, SORT_LABELS[key]) for key in kind.sorts],
        "filtered": any(
            (filters.owner, filters.tag, filters.lifecycle, filters.company, filters.q)
        ),
        "bulk_form": BulkForm(owners=owners),
        "results_template": f"contacts/_{kind.name}_results.html",
    }
    template = "contacts/record_list.html"
    if is_htmx(request) and request.htmx.target == "results":  # type: ignore[attr-defined]
        template = context["results_template"]
    response = render(request, template, context)
    # One address answers with the whole page or only the results: caches must keep both apart.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def record_bulk(request: HttpRequest, kind: RecordKind) -> HttpResponse:
    """Tag, untag or hand over the ticked records, then go back to the same list page."""
    user = current_user(request)
    require_writer(user)
    back = safe_next(request, reverse(kind.url_list))
    form = BulkForm(request.POST, owners=owners_for(user))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    ids = form.cleaned_data["ids"]
    action = form.cleaned_data["action"]
    tag = form.cleaned_data.get("tag", "").strip()
    try:
        if action == BulkForm.ADD_TAG:
            changed = kind.bulk_tag(user, ids, [tag], [])
        elif action == BulkForm.REMOVE_TAG:
            changed = kind.bulk_tag(user, ids, [], [tag])
        else:
            changed = kind.bulk_reassign(user, ids, form.new_owner)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(request, kind.msg_bulk_done(changed))
    return redirect(back)
