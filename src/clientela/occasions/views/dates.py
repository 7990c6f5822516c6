"""A client's dates: the panel on contact and company pages, the "Edit dates" page, custom dates.

The panel shows the birthday (and the age it brings), the name day with its saint and calendar,
or says plainly that no saint of that name is known, the anniversary of working together and
the client's own dates, each with the next time it comes.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clientela.contacts.models import Contact
from clientela.contacts.views.common import current_user, require_writer
from clientela.core.extensions import Panel, register_panel
from clientela.core.models import FirmSettings
from clientela.occasions import selectors, services
from clientela.occasions.forms_dates import ClientDatesForm, CustomDateForm
from clientela.occasions.models import ClientDates

Client = selectors.Client


def _kind(client: Client) -> str:
    return "contact" if isinstance(client, Contact) else "company"


def client_page(client: Client) -> str:
    if isinstance(client, Contact):
        return reverse("contacts:detail", args=[client.pk])
    return reverse("contacts:company_detail", args=[client.pk])


def _panel_data(request: HttpRequest, client: Client, custom_form: Any = None) -> dict[str, Any]:
    user = current_user(request)
    view = selectors.client_dates(user, client, today=timezone.localdate())
    kind = _kind(client)
    return {
        "view": view,
        "kind": kind,
        "can_write": user.can_write,
        "edit_url": reverse("occasions:client_dates_edit", args=[kind, client.pk]),
        "add_url": reverse("occasions:custom_date_add", args=[kind, client.pk]),
        "custom_form": custom_form or CustomDateForm(auto_id=f"id_custom_{kind}_%s"),
        "first_name": client.first_name if isinstance(client, Contact) else "",
    }


def client_dates_panel(request: HttpRequest, record: Client) -> dict[str, Any]:
    """The panel's data: three queries whatever the number of dates."""
    return _panel_data(request, record)


def _initial(dates: ClientDates | None) -> dict[str, Any]:
    if dates is None:
        return {}
    return {
        "tradition": dates.tradition,
        "name_day_day": dates.name_day_day,
        "name_day_month": dates.name_day_month,
        "no_name_day": dates.no_name_day,
        "client_since": dates.client_since,
    }


@login_required
def client_dates_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Tradition, name day by hand (or none), "client since": read with GET, saved with POST."""
    user = current_user(request)
    client = selectors.client_get(user, kind, pk)
    require_writer(user)
    is_contact = isinstance(client, Contact)
    dates = ClientDates.objects.filter(**{kind: client}).first()
    if request.method == "POST":
        form = ClientDatesForm(request.POST, is_contact=is_contact)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.client_dates_set(actor=user, client=client, data=data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The dates are saved."))
                return redirect(client_page(client) + "#client-dates")
    else:
        form = ClientDatesForm(initial=_initial(dates), is_contact=is_contact)
    return render(
        request,
        "occasions/client_dates_form.html",
        {
            "form": form,
            "client": client,
            "is_contact": is_contact,
            "back": client_page(client),
            "firm_tradition": FirmSettings.current().get_calendar_tradition_display(),
            "mode": "dates",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def custom_date_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = current_user(request)
    client = selectors.client_get(user, kind, pk)
    require_writer(user)
    form = CustomDateForm(request.POST, auto_id=f"id_custom_{kind}_%s")
    if form.is_valid():
        try:
            services.custom_date_add(actor=user, client=client, data=form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if getattr(request, "htmx", False):
                return _panel(request, client, status=200)
            messages.success(request, _("The date is added."))
            return redirect(client_page(client) + "#client-dates")
    if getattr(request, "htmx", False):
        # htmx swaps only successful answers: the panel comes back with the errors in it.
        return _panel(request, client, form=form, status=200)
    action = reverse("occasions:custom_date_add", args=[kind, client.pk])
    return _custom_date_page(request, client, form, mode="custom", action=action)


def _custom_date_page(
    request: HttpRequest, client: Client, form: CustomDateForm, *, mode: str, action: str
) -> HttpResponse:
    """The page of one custom date's form: adding without htmx, or changing; 400 with errors."""
    return render(
        request,
        "occasions/client_dates_form.html",
        {
            "form": form,
            "client": client,
            "back": client_page(client),
            "mode": mode,
            "action": action,
        },
        status=400 if form.errors else 200,
    )


@login_required
def custom_date_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A date entered by hand, changed: read with GET, saved with POST."""
    user = current_user(request)
    occasion = selectors.occasion_get(user, pk)
    require_writer(user)
    client = occasion.contact or occasion.company
    if not occasion.manual or client is None:
        raise Http404
    if request.method == "POST":
        form = CustomDateForm(request.POST)
        if form.is_valid():
            try:
                services.custom_date_edit(actor=user, occasion=occasion, data=form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The date is saved."))
                return redirect(client_page(client) + "#client-dates")
    else:
        form = CustomDateForm(
            initial={
                "label": occasion.label,
                "day": occasion.day,
                "month": occasion.month,
                "year": occasion.year,
            }
        )
    action = reverse("occasions:custom_date_edit", args=[occasion.pk])
    return _custom_date_page(request, client, form, mode="custom_edit", action=action)


@login_required
@require_POST
def custom_date_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    occasion = selectors.occasion_get(user, pk)
    require_writer(user)
    client = occasion.contact or occasion.company
    services.custom_date_remove(actor=user, occasion=occasion)
    assert client is not None
    if getattr(request, "htmx", False):
        return _panel(request, client, status=200)
    messages.success(request, _("The date is removed."))
    return redirect(client_page(client) + "#client-dates")


def _panel(request: HttpRequest, client: Client, form: Any = None, status: int = 200) -> Any:
    return render(
        request,
        "occasions/_client_dates.html",
        {"data": _panel_data(request, client, custom_form=form)},
        status=status,
    )


def register_extensions() -> None:
    register_panel(
        Panel(
            key="client_dates",
            targets=frozenset({"contact", "company"}),
            order=15,
            template="occasions/_client_dates.html",
            context=client_dates_panel,
        )
    )
