"""Choosing how to filter a list by a linked table, by how many links there are.

A list page is the first rows of an ordered index. Filtered by a link table (tags, search
terms), the database can either gather the linked ids first and sort those rows (cheap when
they are few, a sort of a hundred thousand rows when they are many), or walk the list's
ordered index and probe the link table for each row (it stops as soon as a page is full when
links are many, but may walk far when they are few). Neither SQLite nor PostgreSQL always
picks well without statistics, so the choice is made here from a bounded count.
"""

from django.db.models import Exists, OuterRef, QuerySet

DENSE_LINKS = 2000


def is_dense(links: QuerySet, threshold: int | None = None) -> bool:
    """Whether `links` has at least `threshold` rows; reads at most that many index entries."""
    threshold = threshold or DENSE_LINKS
    return links.order_by().values("pk")[threshold - 1 : threshold].exists()


def filter_linked(
    queryset: QuerySet, links: QuerySet, fk: str, *, dense: bool | None = None
) -> QuerySet:
    """Rows of `queryset` that some row of `links` points at through its column `fk`."""
    if dense is None:
        dense = is_dense(links)
    if dense:
        return queryset.filter(Exists(links.filter(**{fk: OuterRef("pk")})))
    return queryset.filter(pk__in=links.values(fk))
