""" "For whom?": the page that finds a contact or company before recording something for it.

Pages of the apps above (a purchase, a gesture) open it when their address names no client;
each result links back to that page with `?contact=` or `?company=` and whatever else the
page keeps in its address.
"""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise

from clientela.contacts.search import MIN_QUERY_LENGTH
from clientela.contacts.selectors import search_everything
from clientela.contacts.views.common import current_user

CHOOSER_LIMIT = 20


def choose_client(
    request: HttpRequest,
    *,
    url: str,
    title: Promise | str,
    question: Promise | str,
    note: Promise | str,
    keep: dict[str, str] | None = None,
) -> HttpResponse:
    """Find a client by name, phone or email; each result links to `url` for that client."""
    user = current_user(request)
    text = " ".join((request.GET.get("q") or "").split())[:200]
    results = None
    if len(text) >= MIN_QUERY_LENGTH:
        results = search_everything(user, text, limit=CHOOSER_LIMIT)
    kept = {name: value for name, value in (keep or {}).items() if value}
    return render(
        request,
        "contacts/choose_client.html",
        {
            "url": url,
            "title": title,
            "question": question,
            "note": note,
            "kept": kept,
            "kept_query": f"&{urlencode(kept)}" if kept else "",
            "search_text": text,
            "results": results,
            "too_short": bool(text) and results is None,
            "min_length": MIN_QUERY_LENGTH,
        },
    )
