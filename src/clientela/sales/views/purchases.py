"""Purchase pages: the list with its filters, recording, reading, editing, trash and restore."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clientela.accounts.models import User
from clientela.accounts.visibility import assignable_users
from clientela.contacts.models import Company, Contact
from clientela.contacts.selectors import company_get, contact_get
from clientela.contacts.views.chooser import choose_client
from clientela.contacts.views.common import (
    bad_request,
    current_user,
    is_htmx,
    parse_expected_updated_at,
    require_writer,
    safe_next,
)
from clientela.core.errors import EditConflict
from clientela.core.extensions import actions_for
from clientela.sales import selectors, services
from clientela.sales.forms_purchases import PurchaseForm
from clientela.sales.models import Deal, Purchase

SORT_LABELS = {
    "-date": gettext_lazy("Newest first"),
    "date": gettext_lazy("Oldest first"),
    "-created": gettext_lazy("Recently recorded"),
}


def deal_url(deal: Deal | None) -> str:
    """The deal's page, once the deal pages exist; "" shows the deal's title without a link."""
    if deal is None:
        return ""
    try:
        return reverse("sales:deal_detail", args=[deal.pk])
    except NoReverseMatch:
        return ""


def client_url(purchase: Purchase) -> str:
    if purchase.contact_id:
        return reverse("contacts:detail", args=[purchase.contact_id])
    return reverse("contacts:company_detail", args=[purchase.company_id])


# --- the list -----------------------------------------------------------------------------


def _client_name(user: User, model: type[Contact] | type[Company], pk: int | None) -> str:
    """The name of the client a list is narrowed to, for its label (one small query)."""
    if pk is None:
        return ""
    found = model.objects.visible_to(user).filter(pk=pk).first()
    return str(found) if found is not None else f"#{pk}"


@login_required
def purchase_list(request: HttpRequest) -> HttpResponse:
    """One page of the purchases the user sees; bad filters or a forged page link answer 400."""
    user = current_user(request)
    try:
        filters = selectors.purchase_filters_clean(user, request.GET)
        page = selectors.purchase_list(user, filters, cursor=request.GET.get("cursor") or None)
    except ValidationError as exc:
        return bad_request(request, exc)
    owners = list(assignable_users(user).only("id", "username", "first_name", "last_name"))
    context: dict[str, Any] = {
        "filters": filters,
        "page": page,
        "rows": [(p, deal_url(p.deal)) for p in page.items],
        "contact_name": _client_name(user, Contact, filters.contact),
        "company_name": _client_name(user, Company, filters.company),
        "owner_options": [
            ("", _("Anyone")),
            ("me", _("Me")),
            *((str(u.pk), str(u)) for u in owners if u.pk != user.pk),
        ],
        "owner_selected": request.GET.get("owner", ""),
        "sort_options": list(SORT_LABELS.items()),
        "filtered": any(
            value is not None
            for value in (
                filters.contact,
                filters.company,
                filters.deal,
                filters.owner,
                filters.date_from,
                filters.date_to,
            )
        ),
    }
    template = "sales/purchase_list.html"
    if is_htmx(request) and request.htmx.target == "results":  # type: ignore[attr-defined]
        template = "sales/_purchase_results.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


# --- recording a purchase -----------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Whom a new purchase is for, from the address: `?contact=`, `?company=` or `?deal=`."""

    param: str
    record: Contact | Company | Deal

    @property
    def client(self) -> Contact | Company | None:
        if isinstance(self.record, Deal):
            return self.record.contact or self.record.company
        return self.record

    @property
    def data(self) -> dict[str, Any]:
        return {self.param: self.record.pk}

    def back_url(self) -> str:
        if isinstance(self.record, Contact):
            return reverse("contacts:detail", args=[self.record.pk])
        if isinstance(self.record, Company):
            return reverse("contacts:company_detail", args=[self.record.pk])
        return deal_url(self.record) or reverse("sales:purchase_list")


def _origin(user: User, params: Any) -> Origin | None:
    """The client named in the address, which the user must see (404 otherwise)."""
    if params.get("deal"):
        return Origin("deal", selectors.deal_get(user, params["deal"]))
    if params.get("contact"):
        return Origin("contact", contact_get(user, params["contact"]))
    if params.get("company"):
        return Origin("company", company_get(user, params["company"]))
    return None


def _choose_client(request: HttpRequest) -> HttpResponse:
    """No client in the address: find one by name, phone or email, then record for it."""
    return choose_client(
        request,
        url=reverse("sales:purchase_create"),
        title=_("Add a purchase"),
        question=_("Whose purchase is it? Find the contact or company by name, phone or email."),
        note=_("A purchase can also be added from the page of a contact, a company or a deal."),
    )


@login_required
def purchase_create(request: HttpRequest) -> HttpResponse:
    """Record a purchase of the client in the address; errors stay on the form, nothing saved."""
    user = current_user(request)
    require_writer(user)
    origin = _origin(user, request.GET)
    if origin is None:
        return _choose_client(request)
    if request.method != "POST":
        initial = {}
        if isinstance(origin.record, Deal):
            initial = {"amount": origin.record.value, "currency": origin.record.currency}
        form = PurchaseForm(initial=initial)
    else:
        form = PurchaseForm(request.POST)
        if form.is_valid():
            try:
                purchase = services.purchase_create(
                    actor=user, data={**form.service_data(), **origin.data}
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Purchase recorded: %(what)s.") % {"what": purchase})
                return redirect(safe_next(request, origin.back_url()))
    return render(
        request,
        "sales/purchase_form.html",
        {
            "form": form,
            "origin": origin,
            "client": origin.client,
            "deal": origin.record if isinstance(origin.record, Deal) else None,
            "cancel_url": origin.back_url(),
        },
    )


# --- one purchase -------------------------------------------------------------------------


@login_required
def purchase_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    purchase = selectors.purchase_get(user, pk)
    return render(
        request,
        "sales/purchase_detail.html",
        {
            "purchase": purchase,
            "client_url": client_url(purchase),
            "deal_url": deal_url(purchase.deal),
            "extra_actions": actions_for("purchase", user, purchase),
        },
    )


def _edit_page(
    request: HttpRequest,
    purchase: Purchase,
    form: PurchaseForm,
    *,
    version: str,
    conflict: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "sales/purchase_form.html",
        {
            "form": form,
            "purchase": purchase,
            "client": purchase.contact or purchase.company,
            "deal": purchase.deal,
            "cancel_url": reverse("sales:purchase_detail", args=[purchase.pk]),
            "version": version,
            "conflict": conflict,
        },
        status=status,
    )


@login_required
def purchase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a purchase; a save over someone else's newer change is refused with a notice."""
    user = current_user(request)
    purchase = selectors.purchase_get(user, pk)
    require_writer(user)
    if request.method != "POST":
        form = PurchaseForm(purchase=purchase)
        return _edit_page(request, purchase, form, version=purchase.updated_at.isoformat())
    form = PurchaseForm(request.POST, purchase=purchase)
    version = request.POST.get("expected_updated_at", "")
    try:
        expected = parse_expected_updated_at(version)
    except ValidationError as exc:
        return bad_request(request, exc)
    if form.is_valid():
        try:
            purchase = services.purchase_update(
                actor=user,
                purchase=purchase,
                data=form.service_data(),
                expected_updated_at=expected,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except EditConflict:
            fresh = selectors.purchase_get(user, pk)
            return _edit_page(
                request,
                fresh,
                form,
                version=fresh.updated_at.isoformat(),
                conflict=True,
                status=409,
            )
        else:
            messages.success(request, _("Purchase saved: %(what)s.") % {"what": purchase})
            return redirect("sales:purchase_detail", pk=purchase.pk)
    return _edit_page(request, purchase, form, version=version)


@login_required
def purchase_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then move the purchase to the trash (its owner or an administrator restores it)."""
    user = current_user(request)
    purchase = selectors.purchase_get(user, pk)
    require_writer(user)
    if request.method == "POST":
        back = client_url(purchase)
        services.purchase_delete(actor=user, purchase=purchase)
        messages.success(
            request,
            _("Purchase %(what)s moved to the trash; it can be restored from there.")
            % {"what": purchase},
        )
        return redirect(back)
    return render(request, "sales/purchase_confirm_delete.html", {"purchase": purchase})


@login_required
@require_POST
def purchase_restore(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    purchase = selectors.trashed_purchase_get(user, pk)
    services.purchase_restore(actor=user, purchase=purchase)
    messages.success(request, _("Purchase %(what)s restored.") % {"what": purchase})
    return redirect("sales:purchase_detail", pk=purchase.pk)
