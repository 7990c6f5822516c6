"""Gesture pages: the list with its filters, recording, editing, deleting, and the report;
plus the "Gestures" panel and the "Record a gesture" actions on client and agenda rows."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
from clientela.core.extensions import Action, Panel, register_action, register_panel
from clientela.occasions import selectors_gestures as selectors
from clientela.occasions import services_gestures as services
from clientela.occasions.forms_gestures import GestureForm
from clientela.occasions.models import Gesture, GestureKind, Occasion

PANEL_GESTURES = 5


def client_url(record: Contact | Company | Gesture | Occasion) -> str:
    """The page of the record's client (the record itself for a contact or a company)."""
    if isinstance(record, Contact):
        return reverse("contacts:detail", args=[record.pk])
    if isinstance(record, Company):
        return reverse("contacts:company_detail", args=[record.pk])
    if record.contact_id:
        return reverse("contacts:detail", args=[record.contact_id])
    return reverse("contacts:company_detail", args=[record.company_id])


def _doers(user: User, also: User | None = None) -> list[User]:
    """Whom a gesture may be credited to: the users the actor works with (and the current doer)."""
    doers = list(assignable_users(user).only("id", "username", "first_name", "last_name"))
    if also is not None and all(d.pk != also.pk for d in doers):
        doers.append(also)
    if all(d.pk != user.pk for d in doers) and user.can_write:
        doers.insert(0, user)
    return doers


def _client_occasions(user: User, contact_id: int | None, company_id: int | None) -> list[Occasion]:
    if contact_id:
        found = Occasion.objects.visible_to(user).filter(contact_id=contact_id)
    elif company_id:
        found = Occasion.objects.visible_to(user).filter(company_id=company_id)
    else:
        return []
    return list(found.order_by("mmdd", "id"))


# --- the list -------------------------------------------------------------------------------


def _name_of(user: User, model: type[Contact] | type[Company], pk: int | None) -> str:
    if pk is None:
        return ""
    found = model.objects.visible_to(user).filter(pk=pk).first()
    return str(found) if found is not None else f"#{pk}"


@login_required
def gesture_list(request: HttpRequest) -> HttpResponse:
    """One page of the gestures the user sees; bad filters or a forged page link answer 400."""
    user = current_user(request)
    try:
        filters = selectors.gesture_filters_clean(user, request.GET)
        page = selectors.gesture_list(user, filters, cursor=request.GET.get("cursor") or None)
    except ValidationError as exc:
        return bad_request(request, exc)
    owners = list(assignable_users(user).only("id", "username", "first_name", "last_name"))
    context: dict[str, Any] = {
        "filters": filters,
        "page": page,
        "contact_name": _name_of(user, Contact, filters.contact),
        "company_name": _name_of(user, Company, filters.company),
        "kind_options": [("", _("Any gesture")), *GestureKind.choices],
        "status_options": [("", _("Any status")), *Gesture.Status.choices],
        "owner_options": [
            ("", _("Anyone")),
            ("me", _("Me")),
            *((str(u.pk), str(u)) for u in owners if u.pk != user.pk),
        ],
        "owner_selected": request.GET.get("owner", ""),
    }
    template = "occasions/gesture_list.html"
    if is_htmx(request) and request.htmx.target == "results":  # type: ignore[attr-defined]
        template = "occasions/_gesture_results.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


# --- recording a gesture --------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Whom a new gesture is for: `?contact=`, `?company=` or `?occasion=` in the address."""

    param: str
    record: Contact | Company | Occasion

    @property
    def client(self) -> Contact | Company | None:
        if isinstance(self.record, Occasion):
            return self.record.contact or self.record.company
        return self.record

    @property
    def contact_id(self) -> int | None:
        client = self.client
        return client.pk if isinstance(client, Contact) else None

    @property
    def company_id(self) -> int | None:
        client = self.client
        return client.pk if isinstance(client, Company) else None

    @property
    def data(self) -> dict[str, Any]:
        return {self.param: self.record.pk}


def _origin(user: User, params: Any) -> Origin | None:
    """The client or occasion named in the address, which the user must see (404 otherwise)."""
    if params.get("occasion"):
        try:
            pk = int(params["occasion"])
        except ValueError:
            pk = 0
        occasion = (
            Occasion.objects.visible_to(user)
            .select_related("contact", "company")
            .filter(pk=pk)
            .first()
        )
        if occasion is None:
            raise Http404
        return Origin("occasion", occasion)
    if params.get("contact"):
        return Origin("contact", contact_get(user, params["contact"]))
    if params.get("company"):
        return Origin("company", company_get(user, params["company"]))
    return None


def _choose_client(request: HttpRequest) -> HttpResponse:
    """No client in the address: find one by name, phone or email, then record for it."""
    return choose_client(
        request,
        url=reverse("occasions:gesture_new"),
        title=_("Record a gesture"),
        question=_("For whom? Find the contact or company by name, phone or email."),
        note=_(
            "A gesture can also be recorded from the page of a contact or a company, "
            "or from the agenda."
        ),
        keep={"kind": request.GET.get("kind", "")},
    )


@login_required
def gesture_create(request: HttpRequest) -> HttpResponse:
    """Record a gesture for the client in the address; errors stay on the form."""
    user = current_user(request)
    require_writer(user)
    origin = _origin(user, request.GET)
    if origin is None:
        return _choose_client(request)
    occasions = _client_occasions(user, origin.contact_id, origin.company_id)
    doers = _doers(user)
    if request.method != "POST":
        initial: dict[str, Any] = {"user": str(user.pk)}
        if request.GET.get("kind") in GestureKind.values:
            initial["kind"] = request.GET["kind"]
        if isinstance(origin.record, Occasion):
            initial["occasion"] = str(origin.record.pk)
        form = GestureForm(initial=initial, occasions=occasions, doers=doers)
    else:
        form = GestureForm(request.POST, occasions=occasions, doers=doers)
        if form.is_valid():
            data = form.service_data()
            data.update({"contact": origin.contact_id, "company": origin.company_id})
            try:
                gesture = services.gesture_create(actor=user, data=data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Gesture recorded: %(what)s.") % {"what": gesture})
                return redirect(safe_next(request, client_url(gesture)))
    return render(
        request,
        "occasions/gesture_form.html",
        {
            "form": form,
            "client": origin.client,
            "cancel_url": client_url(origin.record),
        },
    )


# --- one gesture ----------------------------------------------------------------------------


def _edit_page(
    request: HttpRequest,
    gesture: Gesture,
    form: GestureForm,
    *,
    version: str,
    conflict: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "occasions/gesture_form.html",
        {
            "form": form,
            "gesture": gesture,
            "client": gesture.contact or gesture.company,
            "cancel_url": reverse("occasions:gesture_list")
            + "?"
            + urlencode(
                {"contact": gesture.contact_id}
                if gesture.contact_id
                else {"company": gesture.company_id}
            ),
            "version": version,
            "conflict": conflict,
        },
        status=status,
    )


@login_required
def gesture_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a gesture (its status and the client's response, most often)."""
    user = current_user(request)
    gesture = selectors.gesture_get(user, pk)
    require_writer(user)
    occasions = _client_occasions(user, gesture.contact_id, gesture.company_id)
    doers = _doers(user, gesture.user)
    if request.method != "POST":
        form = GestureForm(gesture=gesture, occasions=occasions, doers=doers)
        return _edit_page(request, gesture, form, version=gesture.updated_at.isoformat())
    form = GestureForm(request.POST, gesture=gesture, occasions=occasions, doers=doers)
    version = request.POST.get("expected_updated_at", "")
    try:
        expected = parse_expected_updated_at(version)
    except ValidationError as exc:
        return bad_request(request, exc)
    if form.is_valid():
        try:
            gesture = services.gesture_update(
                actor=user, gesture=gesture, data=form.service_data(), expected_updated_at=expected
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except EditConflict:
            fresh = selectors.gesture_get(user, pk)
            return _edit_page(
                request,
                fresh,
                form,
                version=fresh.updated_at.isoformat(),
                conflict=True,
                status=409,
            )
        else:
            messages.success(request, _("Gesture saved: %(what)s.") % {"what": gesture})
            return redirect(safe_next(request, client_url(gesture)))
    return _edit_page(request, gesture, form, version=version)


@login_required
def gesture_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then delete a gesture recorded by mistake (the audit log keeps what it was)."""
    user = current_user(request)
    gesture = selectors.gesture_get(user, pk)
    require_writer(user)
    if request.method == "POST":
        back = client_url(gesture)
        services.gesture_delete(actor=user, gesture=gesture)
        messages.success(request, _("Gesture deleted: %(what)s.") % {"what": gesture})
        return redirect(back)
    return render(
        request,
        "occasions/gesture_confirm_delete.html",
        {"gesture": gesture, "cancel_url": client_url(gesture)},
    )


# --- the report -----------------------------------------------------------------------------


@login_required
def gesture_report(request: HttpRequest) -> HttpResponse:
    """Gestures of a period (default: this year) by kind, manager and client."""
    user = current_user(request)
    try:
        date_from, date_to = selectors.report_period_clean(request.GET)
    except ValidationError as exc:
        return bad_request(request, exc)
    report = selectors.gesture_report(user, date_from=date_from, date_to=date_to)
    return render(request, "occasions/gesture_report.html", {"report": report})


# --- on other pages -------------------------------------------------------------------------


def client_gestures_panel(request: HttpRequest, record: Contact | Company) -> dict[str, Any]:
    """The panel's data: the client's latest gestures and what they cost (two queries)."""
    user = current_user(request)
    param = "contact" if isinstance(record, Contact) else "company"
    if isinstance(record, Contact):
        found = selectors.client_gestures(user, contact=record, limit=PANEL_GESTURES)
    else:
        found = selectors.client_gestures(user, company=record, limit=PANEL_GESTURES)
    query = urlencode({param: record.pk})
    return {
        "gestures": found.recent,
        "count": found.count,
        "spent": found.spent,
        "more": found.count > len(found.recent),
        "list_url": f"{reverse('occasions:gesture_list')}?{query}",
        "new_url": f"{reverse('occasions:gesture_new')}?{query}",
        "can_write": user.can_write,
    }


ACTION_LABEL = gettext_lazy("Record a gesture")


def register_extensions() -> None:
    register_panel(
        Panel(
            key="gestures",
            targets=frozenset({"contact", "company"}),
            order=45,
            template="occasions/_gesture_panel.html",
            context=client_gestures_panel,
        )
    )
    for target, param in (
        ("contact", "contact"),
        ("company", "company"),
        ("occasion_row", "occasion"),
    ):
        register_action(
            Action(
                key=f"gesture_new_{target}",
                targets=frozenset({target}),
                order=60,
                label=ACTION_LABEL,
                url_name="occasions:gesture_new",
                param=param,
            )
        )
