from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from clientela.accounts.services import user_set_preferences
from clientela.insights.workload import is_worker, my_load
from clientela.occasions.views.agenda import upcoming_block
from clientela.web.retain import retain_summary
from clientela.web.selectors import dashboard_counts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "web/home.html",
        {
            "counts": dashboard_counts(user),  # type: ignore[arg-type]
            "today_load": my_load(user) if is_worker(user) else None,  # type: ignore[arg-type]
            "upcoming": upcoming_block(user),  # type: ignore[arg-type]
            "retain": retain_summary(user),  # type: ignore[arg-type]
        },
    )


@login_required
def retain(request: HttpRequest) -> HttpResponse:
    """The retain cornerstone: complaints, satisfaction, clients at risk, experiments."""
    return render(
        request,
        "web/retain.html",
        {"retain": retain_summary(request.user)},  # type: ignore[arg-type]
    )


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps it across devices."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            user_set_preferences(user=request.user, language=language)
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response
