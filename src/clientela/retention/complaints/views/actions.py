"""The complaint's actions, each a POST form on its page: start, resolve, close, reopen, and
its compensation (a new gesture, or one of the client's gestures linked)."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clientela.accounts.models import User
from clientela.contacts.views.common import current_user, require_writer
from clientela.retention.complaints import selectors, services
from clientela.retention.complaints.forms import (
    CompensationForm,
    LinkCompensationForm,
    ReopenForm,
    ResolveForm,
)
from clientela.retention.complaints.models import Complaint
from clientela.retention.complaints.views.pages import detail_page


def _writer_and_complaint(request: HttpRequest, pk: int) -> tuple[User, Complaint]:
    user = current_user(request)
    complaint = selectors.complaint_get(user, pk)  # 404 first: existence is not told
    require_writer(user)
    return user, complaint


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _simple(
    request: HttpRequest,
    pk: int,
    service: Callable[..., Complaint],
    done: str,
) -> HttpResponse:
    user, complaint = _writer_and_complaint(request, pk)
    try:
        service(actor=user, complaint=complaint)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    return redirect("complaints:detail", pk=complaint.pk)


@login_required
@require_POST
def complaint_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple(request, pk, services.complaint_start, _("The complaint is in progress."))


@login_required
@require_POST
def complaint_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple(request, pk, services.complaint_close, _("The complaint is closed."))


def _apply_text(
    request: HttpRequest,
    user: User,
    complaint: Complaint,
    form: ResolveForm | ReopenForm,
    field: str,
    service: Callable[..., Complaint],
    done: str,
) -> HttpResponse | None:
    """A transition that needs a text (`field`): back to the complaint once done, or refused
    for another reason; None when the text is empty or refused, so the page shows the form
    with its error."""
    if not form.is_valid():
        return None
    try:
        service(actor=user, complaint=complaint, **{field: form.cleaned_data[field]})
    except ValidationError as exc:
        if field in getattr(exc, "error_dict", {}):
            form.add_service_errors(exc)
            return None
        _refused(request, exc)
    else:
        messages.success(request, done)
    return redirect("complaints:detail", pk=complaint.pk)


@login_required
@require_POST
def complaint_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Resolve with the text typed; an empty text stays on the page with its error."""
    user, complaint = _writer_and_complaint(request, pk)
    form = ResolveForm(request.POST)
    done = _("The complaint is resolved.")
    return _apply_text(
        request, user, complaint, form, "resolution", services.complaint_resolve, done
    ) or detail_page(request, complaint, resolve_form=form)


@login_required
@require_POST
def complaint_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen with the reason typed; the complaint gets a new deadline from now."""
    user, complaint = _writer_and_complaint(request, pk)
    form = ReopenForm(request.POST)
    done = _("The complaint is reopened.")
    return _apply_text(
        request, user, complaint, form, "reason", services.complaint_reopen, done
    ) or detail_page(request, complaint, reopen_form=form)


@login_required
@require_POST
def compensation_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a gesture (a voucher, by default) for the client as the compensation."""
    user, complaint = _writer_and_complaint(request, pk)
    form = CompensationForm(request.POST)
    if form.is_valid():
        try:
            gesture = services.complaint_compensation_record(
                actor=user, complaint=complaint, data=form.service_data()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("Compensation recorded: %(what)s.") % {"what": gesture.get_kind_display()},
            )
            return redirect("complaints:detail", pk=complaint.pk)
    return detail_page(request, complaint, compensation_form=form)


@login_required
@require_POST
def compensation_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link one of the client's gestures as the compensation (none unlinks it)."""
    user, complaint = _writer_and_complaint(request, pk)
    gestures = selectors.client_gestures_for_complaint(user, complaint)
    form = LinkCompensationForm(request.POST, gestures=gestures)
    if form.is_valid():
        try:
            services.complaint_compensation_link(
                actor=user, complaint=complaint, gesture=form.cleaned_data["compensation"] or None
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Compensation saved."))
            return redirect("complaints:detail", pk=complaint.pk)
    return detail_page(request, complaint, link_form=form)
