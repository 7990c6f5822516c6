"""The address a request comes from, for the sign-in lockout (django-axes).

Without a proxy it is REMOTE_ADDR. Behind `CLIENTELA_PROXY_COUNT` reverse proxies, each of
which appends the address it received the request from to X-Forwarded-For, the client is the
address the outermost proxy appended: the N-th from the right. What the client itself wrote into
the header stands further left and is never taken, so a forged header does not escape the
lockout. A request with fewer addresses than proxies did not come through them all: REMOTE_ADDR.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = int(getattr(settings, "CLIENTELA_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    return hops[-count]
