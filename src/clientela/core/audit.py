"""Recording who changed what, when and through what."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from clientela.core.channel import current_channel
from clientela.core.models import AuditEvent

Snapshot = dict[str, Any]


def audit_diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    """{"field": [old, new]} for every field whose shown value changed."""
    changes = {}
    for field in before.keys() | after.keys():
        old, new = before.get(field), after.get(field)
        if old != new:
            changes[field] = [old, new]
    return dict(sorted(changes.items()))


def _event(actor: Any, action: str, obj: models.Model, changes: Any) -> AuditEvent:
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        channel=current_channel(),
        action=action,
        content_type=ContentType.objects.get_for_model(obj),  # cached per model
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        changes=changes or {},
    )


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, list[Any]] | None = None,
) -> AuditEvent:
    event = _event(actor, action, obj, changes)
    event.save()
    return event


def audit_records(
    *, actor: Any, action: str, changes: list[tuple[models.Model, dict[str, list[Any]]]]
) -> None:
    """`audit_record` for many objects at once (one INSERT per 500), e.g. a campaign's."""
    AuditEvent.objects.bulk_create(
        [_event(actor, action, obj, diff) for obj, diff in changes], batch_size=500
    )


def audit_history(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )
