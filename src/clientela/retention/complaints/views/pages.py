"""Complaint pages: the list with its filters, recording, the detail page, editing, the trash."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import capfirst
from django.utils.translation import gettext as _
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
from clientela.core.audit import audit_history
from clientela.core.errors import EditConflict
from clientela.retention.complaints import selectors, services
from clientela.retention.complaints.forms import (
    CompensationForm,
    ComplaintForm,
    LinkCompensationForm,
    ReopenForm,
    ResolveForm,
)
from clientela.retention.complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintPolicy,
    ComplaintStatus,
    Severity,
)
from clientela.sales.models import Deal, Purchase
from clientela.sales.selectors import deal_get, purchase_get

HISTORY_ROWS = 50


def client_url(record: Complaint | Contact | Company) -> str:
    if isinstance(record, Contact):
        return reverse("contacts:detail", args=[record.pk])
    if isinstance(record, Company):
        return reverse("contacts:company_detail", args=[record.pk])
    if record.contact_id:
        return reverse("contacts:detail", args=[record.contact_id])
    return reverse("contacts:company_detail", args=[record.company_id])


def _owners(user: User, *also: User | None) -> list[User]:
    """Who may handle it: the users the actor may give records to, plus the ones named."""
    owners = list(assignable_users(user).only("id", "username", "first_name", "last_name"))
    for extra in also:
        if extra is not None and all(o.pk != extra.pk for o in owners):
            owners.insert(0, extra)
    return owners


# --- the list -------------------------------------------------------------------------------


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    """The complaints the user sees, soonest deadline first; bad filters answer 400."""
    user = current_user(request)
    try:
        filters = selectors.complaint_filters_clean(user, request.GET)
        page = selectors.complaint_list(user, filters, cursor=request.GET.get("cursor") or None)
    except ValidationError as exc:
        return bad_request(request, exc)
    owners = _owners(user)
    context: dict[str, Any] = {
        "filters": filters,
        "page": page,
        "status_options": [
            ("open", _("Open")),
            ("all", _("Any status")),
            *ComplaintStatus.choices,
        ],
        "severity_options": [("", _("Any severity")), *Severity.choices],
        "category_options": [("", _("Any category")), *ComplaintCategory.choices],
        "owner_options": [
            ("", _("Anyone")),
            ("me", _("Mine")),
            *((str(u.pk), str(u)) for u in owners if u.pk != user.pk),
        ],
        "owner_selected": request.GET.get("owner", ""),
    }
    template = "complaints/complaint_list.html"
    if is_htmx(request) and request.htmx.target == "results":  # type: ignore[attr-defined]
        template = "complaints/_complaint_results.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


# --- recording a complaint ------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """What a new complaint is about: `?contact=`, `?company=`, `?deal=` or `?purchase=`."""

    param: str
    record: Contact | Company | Deal | Purchase

    @property
    def client(self) -> Contact | Company:
        if isinstance(self.record, Contact | Company):
            return self.record
        return self.record.contact or self.record.company  # type: ignore[return-value]

    @property
    def data(self) -> dict[str, Any]:
        if isinstance(self.record, Deal | Purchase):
            return {self.param: self.record.pk}
        return {self.param: self.record.pk}

    @property
    def back_url(self) -> str:
        if isinstance(self.record, Deal):
            return reverse("sales:deal_detail", args=[self.record.pk])
        if isinstance(self.record, Purchase):
            return reverse("sales:purchase_detail", args=[self.record.pk])
        return client_url(self.record)


def _origin(user: User, params: Any) -> Origin | None:
    """The record named in the address, which the user must see (404 otherwise)."""
    if params.get("deal"):
        return Origin("deal", deal_get(user, params["deal"]))
    if params.get("purchase"):
        return Origin("purchase", purchase_get(user, params["purchase"]))
    if params.get("contact"):
        return Origin("contact", contact_get(user, params["contact"]))
    if params.get("company"):
        return Origin("company", company_get(user, params["company"]))
    return None


@login_required
def complaint_create(request: HttpRequest) -> HttpResponse:
    """Record a complaint of the client (or about the deal or purchase) in the address."""
    user = current_user(request)
    require_writer(user)
    origin = _origin(user, request.GET)
    if origin is None:
        return choose_client(
            request,
            url=reverse("complaints:new"),
            title=_("Record a complaint"),
            question=_("Whose complaint? Find the contact or company by name, phone or email."),
            note=_(
                "A complaint can also be recorded from the page of a contact, a company, "
                "a deal or a purchase."
            ),
        )
    client = origin.client
    owners = _owners(user, client.owner)
    deals = selectors.client_deals_for_complaint(user, client)
    purchases = selectors.client_purchases_for_complaint(user, client)
    options: dict[str, Any] = {"owners": owners, "deals": deals, "purchases": purchases}
    if request.method != "POST":
        initial: dict[str, Any] = {"owner": str(client.owner_id)}
        if isinstance(origin.record, Deal):
            initial["deal"] = str(origin.record.pk)
        if isinstance(origin.record, Purchase):
            initial["purchase"] = str(origin.record.pk)
        form = ComplaintForm(initial=initial, **options)
    else:
        form = ComplaintForm(request.POST, **options)
        if form.is_valid():
            data = form.service_data()
            if isinstance(client, Contact):
                data["contact"] = client.pk
                if isinstance(origin.record, Deal | Purchase) and origin.record.company_id:
                    data["company"] = origin.record.company_id
            else:
                data["company"] = client.pk
            try:
                complaint = services.complaint_create(actor=user, data=data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Complaint recorded: %(what)s.") % {"what": complaint})
                return redirect("complaints:detail", pk=complaint.pk)
    return render(
        request,
        "complaints/complaint_form.html",
        {
            "form": form,
            "client": client,
            "policy": ComplaintPolicy.current(),
            "cancel_url": origin.back_url,
        },
    )


# --- one complaint --------------------------------------------------------------------------


def _field_label(name: str) -> str:
    try:
        return str(capfirst(Complaint._meta.get_field(name).verbose_name))  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name


def _history(complaint: Complaint) -> list[tuple[Any, list[tuple[str, Any]]]]:
    """The complaint's latest history events with their changes as (label, new value)."""
    rows = []
    for event in audit_history(complaint)[:HISTORY_ROWS]:
        changes = [
            (_field_label(name), values[1] if isinstance(values, list) else values)
            for name, values in (event.changes or {}).items()
            if name not in ("description", "resolution")
        ]
        rows.append((event, changes))
    return rows


def detail_page(
    request: HttpRequest,
    complaint: Complaint,
    *,
    resolve_form: ResolveForm | None = None,
    reopen_form: ReopenForm | None = None,
    compensation_form: CompensationForm | None = None,
    link_form: LinkCompensationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    gestures = selectors.client_gestures_for_complaint(user, complaint) if user.can_write else []
    return render(
        request,
        "complaints/complaint_detail.html",
        {
            "complaint": complaint,
            "client_url": client_url(complaint),
            "escalated_to": list(complaint.escalated_to.all()),
            "history": _history(complaint),
            "resolve_form": resolve_form
            or ResolveForm(initial={"resolution": complaint.resolution}),
            "reopen_form": reopen_form or ReopenForm(),
            "compensation_form": compensation_form or CompensationForm(),
            "link_form": link_form
            or LinkCompensationForm(
                gestures=gestures,
                initial={"compensation": str(complaint.compensation_id or "")},
            ),
            "can_write": user.can_write,
        },
        status=status,
    )


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    return detail_page(request, selectors.complaint_get(user, pk))


def _edit_page(
    request: HttpRequest,
    complaint: Complaint,
    form: ComplaintForm,
    *,
    version: str,
    conflict: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "complaints/complaint_form.html",
        {
            "form": form,
            "complaint": complaint,
            "client": complaint.contact or complaint.company,
            "policy": ComplaintPolicy.current(),
            "cancel_url": reverse("complaints:detail", args=[complaint.pk]),
            "version": version,
            "conflict": conflict,
        },
        status=status,
    )


@login_required
def complaint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a complaint; a new severity or receipt moves its deadline."""
    user = current_user(request)
    complaint = selectors.complaint_get(user, pk)
    require_writer(user)
    client = complaint.contact or complaint.company
    assert client is not None
    options: dict[str, Any] = {
        "owners": _owners(user, complaint.owner, client.owner),
        "deals": selectors.client_deals_for_complaint(user, client),
        "purchases": selectors.client_purchases_for_complaint(user, client),
    }
    if request.method != "POST":
        form = ComplaintForm(complaint=complaint, **options)
        return _edit_page(request, complaint, form, version=complaint.updated_at.isoformat())
    form = ComplaintForm(request.POST, complaint=complaint, **options)
    version = request.POST.get("expected_updated_at", "")
    try:
        expected = parse_expected_updated_at(version)
    except ValidationError as exc:
        return bad_request(request, exc)
    if form.is_valid():
        try:
            complaint = services.complaint_update(
                actor=user,
                complaint=complaint,
                data=form.service_data(),
                expected_updated_at=expected,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except EditConflict:
            fresh = selectors.complaint_get(user, pk)
            return _edit_page(
                request,
                fresh,
                form,
                version=fresh.updated_at.isoformat(),
                conflict=True,
                status=409,
            )
        else:
            messages.success(request, _("Complaint saved: %(what)s.") % {"what": complaint})
            return redirect(safe_next(request, reverse("complaints:detail", args=[complaint.pk])))
    return _edit_page(request, complaint, form, version=version)


@login_required
def complaint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then move the complaint to the trash."""
    user = current_user(request)
    complaint = selectors.complaint_get(user, pk)
    require_writer(user)
    if request.method == "POST":
        services.complaint_delete(actor=user, complaint=complaint)
        messages.success(
            request, _("Complaint moved to the trash: %(what)s.") % {"what": complaint}
        )
        return redirect(client_url(complaint))
    return render(request, "complaints/complaint_confirm_delete.html", {"complaint": complaint})


@login_required
@require_POST
def complaint_restore(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    complaint = selectors.trashed_complaint_get(user, pk)
    services.complaint_restore(actor=user, complaint=complaint)
    messages.success(request, _("Complaint restored: %(what)s.") % {"what": complaint})
    return redirect("complaints:detail", pk=complaint.pk)
