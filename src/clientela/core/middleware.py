from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from clientela.core.channel import audit_channel


class AuditChannelMiddleware:
    """Marks changes made while serving a page as coming through the web (the API overrides)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        with audit_channel(channel):
            return self.get_response(request)
