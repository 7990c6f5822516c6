"""Through what a change came in (web, api, cli, import, system), for the audit history.

A context variable, so the web middleware, the API authenticator and the command line set it
once at their edge and every service below records it without passing it through each call.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

CHANNELS = ("web", "api", "cli", "import", "system")

_channel: ContextVar[str] = ContextVar("clientela_audit_channel", default="system")


def current_channel() -> str:
    return _channel.get()


@contextmanager
def audit_channel(name: str) -> Iterator[None]:
    if name not in CHANNELS:
        raise ValueError(f"unknown audit channel {name!r}")
    token = _channel.set(name)
    try:
        yield
    finally:
        _channel.reset(token)
