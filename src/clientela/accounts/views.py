"""The account settings page: preferences and personal API tokens."""

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clientela.accounts.forms import ApiTokenForm, PreferencesForm
from clientela.accounts.models import ApiToken, User
from clientela.accounts.services import api_token_create, api_token_revoke, user_set_preferences

LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _page(
    request: HttpRequest,
    *,
    preferences: PreferencesForm | None = None,
    token_form: ApiTokenForm | None = None,
    new_secret: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    context: dict[str, Any] = {
        "preferences": preferences
        or PreferencesForm(initial={"language": user.language, "time_zone": user.time_zone}),
        "token_form": token_form or ApiTokenForm(),
        # Only the user's own tokens, newest first; the secret itself is never stored.
        "tokens": ApiToken.objects.filter(user=user).order_by("-created_at", "-id"),
        "new_secret": new_secret,
    }
    return render(request, "accounts/settings.html", context, status=status)


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """Language and time zone (saved on the user, so they follow it to every device)."""
    if request.method != "POST":
        return _page(request)
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return _page(request, preferences=form, status=400)
    language = form.cleaned_data["language"]
    try:
        user_set_preferences(
            user=_user(request), language=language, time_zone=form.cleaned_data["time_zone"]
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _page(request, preferences=form, status=400)
    response = redirect("accounts:settings")
    if language:
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=LANGUAGE_COOKIE_AGE, samesite="Lax"
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    messages.success(request, _("Preferences saved."))
    return response


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """A new token; its secret is on this one response and nowhere else."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, token_form=form, status=400)
    try:
        _token, secret = api_token_create(user=_user(request), name=form.cleaned_data["name"])
    except ValidationError as exc:
        form.add_error("name", exc.messages)
        return _page(request, token_form=form, status=400)
    response = _page(request, new_secret=secret)
    # The secret must not linger in a shared cache or the browser's history of pages.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=_user(request))
    api_token_revoke(token=token, actor=_user(request))
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:settings")
