"""Deals in the search: the folded words of a title in a term table, as for contacts.

The matching itself is the contacts search's (contacts.search): a deal's terms are the same
kind of folded words, so "olena" finds "Олена — ремонт офісу" and "remont" finds "ремонт".
The global search box lives in contacts, which may not import sales; the page that shows
deals beside contacts calls `sales.selectors.deals_search` itself.
"""

from django.db.models import QuerySet

from clientela.contacts.search import _matching
from clientela.core.text import name_terms
from clientela.sales.models import Deal, DealSearchTerm


def deal_search_index_update(deal: Deal) -> None:
    """Replace the terms of one deal; called by the services inside their transaction."""
    DealSearchTerm.objects.filter(deal=deal).delete()
    DealSearchTerm.objects.bulk_create(
        DealSearchTerm(deal=deal, term=term) for term in name_terms(deal.title)
    )


def deals_matching(queryset: QuerySet[Deal], text: str) -> QuerySet[Deal]:
    """The deals of `queryset` whose title has, for every word of `text`, a word starting so."""
    return _matching(queryset, DealSearchTerm, "deal_id", text)
