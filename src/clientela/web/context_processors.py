from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The main navigation: (url name, label, the path prefix that marks it current).
NAVIGATION = [
    ("home", _("Dashboard"), "/"),
    ("contacts:list", _("Contacts"), "/contacts/"),
    ("contacts:company_list", _("Companies"), "/companies/"),
    ("contacts:trash", _("Trash"), "/trash/"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    entries = list(NAVIGATION)
    if getattr(user, "is_admin", False):
        # Users, teams, custom fields and tags are kept in Django's admin pages.
        entries.append(("admin:index", _("Administration"), "/admin/"))
    items = []
    for name, label, prefix in entries:
        current = request.path == prefix if prefix == "/" else request.path.startswith(prefix)
        items.append({"url": reverse(name), "label": label, "current": current})
    return {"navigation": items}
