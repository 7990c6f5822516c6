from django.conf import settings

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact, Lifecycle
from clientela.core.pagination import capped_count


def dashboard_counts(user: User) -> dict[str, tuple[int, bool]]:
    """Counts for the home page, each capped so a million rows cost no more than ten thousand."""
    cap = settings.LIST_COUNT_CAP
    contacts = Contact.objects.visible_to(user)
    return {
        "contacts": capped_count(contacts, cap),
        "companies": capped_count(Company.objects.visible_to(user), cap),
        "leads": capped_count(contacts.filter(lifecycle=Lifecycle.LEAD), cap),
        "customers": capped_count(contacts.filter(lifecycle=Lifecycle.CUSTOMER), cap),
        "mine": capped_count(contacts.filter(owner=user), cap),
    }
