"""The search page, its live results, and the trash."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clientela.contacts.channels import format_phone
from clientela.contacts.search import MIN_QUERY_LENGTH
from clientela.contacts.selectors import search_everything, trash_companies, trash_contacts
from clientela.contacts.views.common import current_user, is_htmx
from clientela.contacts.views.lists import ListRow
from clientela.core.extensions import search_sections, trash_sections

# The live results under the search box stay short; the full page shows more.
LIVE_LIMIT = 8
PAGE_LIMIT = 50
MAX_QUERY_LENGTH = 200


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    text = " ".join((request.GET.get("q") or "").split())[:MAX_QUERY_LENGTH]
    live = is_htmx(request)
    results = None
    sections = []
    if len(text) >= MIN_QUERY_LENGTH:
        limit = LIVE_LIMIT if live else PAGE_LIMIT
        results = search_everything(user, text, limit=limit)
        # Sections the apps above add (deals, ...), each narrowed to what the user sees.
        sections = search_sections(user, text, limit)
    context = {
        "search_query": text,
        "too_short": bool(text) and results is None,
        "results": results,
        "contacts": [
            ListRow(c, format_phone(c.primary_phone) if c.primary_phone else "")
            for c in results.contacts
        ]
        if results
        else [],
        "companies": results.companies if results else [],
        "min_length": MIN_QUERY_LENGTH,
        "sections": sections,
        "found_total": (results.total if results else 0) + sum(len(s.items) for s in sections),
    }
    template = "contacts/_search_results.html" if live else "contacts/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def trash(request: HttpRequest) -> HttpResponse:
    """What the user may restore: its own records, or everything for an administrator."""
    user = current_user(request)
    sections = [
        (_("Contacts"), trash_contacts(user), "contacts:restore"),
        (_("Companies"), trash_companies(user), "contacts:company_restore"),
        *trash_sections(user),
    ]
    return render(request, "contacts/trash.html", {"sections": sections})
