"""The deadline policy page: hours per severity, for administrators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clientela.contacts.views.common import current_user
from clientela.retention.complaints import services
from clientela.retention.complaints.forms import PolicyForm
from clientela.retention.complaints.models import ComplaintPolicy


@login_required
def policy_edit(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not user.is_admin:
        raise PermissionDenied(_("Only an administrator sets the complaint deadlines."))
    policy = ComplaintPolicy.current()
    if request.method == "POST":
        form = PolicyForm(request.POST, policy=policy)
        if form.is_valid():
            try:
                services.complaint_policy_update(actor=user, data=form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Complaint deadlines saved."))
                return redirect("complaints:policy")
    else:
        form = PolicyForm(policy=policy)
    return render(request, "complaints/policy_form.html", {"form": form})
