"""The machinery every contact and company write shares: validate, save, audit, index."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.accounts.visibility import assignable_users
from clientela.contacts.channels import clean_emails, clean_phones, format_phone
from clientela.contacts.client_copies import client_copies_follow, client_copies_follow_many
from clientela.contacts.custom_fields import clean_custom_values
from clientela.contacts.models import (
    Channel,
    Company,
    CompanyTag,
    Contact,
    ContactTag,
    CustomFieldDefinition,
    Tag,
    tag_named,
)
from clientela.contacts.search import search_index_update
from clientela.contacts.services._birth_date import _validate_birth_date
from clientela.core.audit import audit_diff, audit_record, audit_records
from clientela.core.errors import DuplicateFound, DuplicateMatch, EditConflict
from clientela.core.ids import id_or_none as _id_or_none

Record = Contact | Company

CONTACT_FIELDS = [
    "first_name", "middle_name", "last_name", "birth_day", "birth_month", "birth_year",
    "language", "job_title", "address", "lifecycle", "source", "marketing_consent", "notes",
]  # fmt: skip
COMPANY_FIELDS = ["name", "legal_id", "industry", "website", "address", "notes"]
_TEXT_FIELDS = {
    "first_name", "middle_name", "last_name", "language", "job_title", "address", "source",
    "notes", "name", "legal_id", "industry", "website", "lifecycle",
}  # fmt: skip


def _ensure_can_write(actor: User) -> None:
    if not actor.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))


def _entity(record: Record | type[Record]) -> str:
    is_contact = record is Contact or isinstance(record, Contact)
    return (
        CustomFieldDefinition.Entity.CONTACT if is_contact else CustomFieldDefinition.Entity.COMPANY
    )


def _channels(record: Record) -> list[tuple[str, str]]:
    if record.pk is None:
        return []
    return list(record.channels.order_by("kind", "position", "id").values_list("kind", "value"))


def _tag_names(record: Record) -> list[str]:
    if record.pk is None:
        return []
    return sorted(record.tags.values_list("name", flat=True))


def snapshot(record: Record) -> dict[str, Any]:
    """The record as a person reads it, for the history: labels and names, not keys and ids."""
    fields = CONTACT_FIELDS if isinstance(record, Contact) else COMPANY_FIELDS
    shot: dict[str, Any] = {}
    for name in fields:
        # Choice fields keep their key; the history page shows the label in the reader's language.
        value = getattr(record, name)
        shot[name] = value if value not in (None, "") else None
    shot["owner"] = str(record.owner) if record.owner_id else None
    if isinstance(record, Contact):
        shot["company"] = str(record.company) if record.company_id else None
        shot["consent_at"] = record.consent_at.isoformat() if record.consent_at else None
    channels = _channels(record)
    shot["phones"] = (
        ", ".join(format_phone(v) for k, v in channels if k == Channel.Kind.PHONE) or None
    )
    shot["emails"] = ", ".join(v for k, v in channels if k == Channel.Kind.EMAIL) or None
    shot["tags"] = ", ".join(_tag_names(record)) or None
    for key, value in (record.custom or {}).items():
        shot[f"custom.{key}"] = value
    return shot


def _clean_tags(names: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for name in names:
        name = " ".join(str(name).split())[:50]
        if name and name.lower() not in {c.lower() for c in cleaned}:
            cleaned.append(name)
    return cleaned


def _tags_get_or_create(names: list[str]) -> list[Tag]:
    tags = []
    for name in names:
        tag = tag_named(name)
        if tag is None:
            try:
                # A savepoint: another user may create the same new tag at the same moment.
                with transaction.atomic():
                    tag = Tag.objects.create(name=name)
            except IntegrityError:
                tag = tag_named(name)
                if tag is None:
                    raise
        tags.append(tag)
    return tags


def _set_tags(record: Record, names: list[str]) -> None:
    tags = _tags_get_or_create(names)
    if isinstance(record, Contact):
        ContactTag.objects.filter(contact=record).exclude(tag__in=tags).delete()
        have = set(ContactTag.objects.filter(contact=record).values_list("tag_id", flat=True))
        ContactTag.objects.bulk_create(
            ContactTag(contact=record, tag=t) for t in tags if t.pk not in have
        )
    else:
        CompanyTag.objects.filter(company=record).exclude(tag__in=tags).delete()
        have = set(CompanyTag.objects.filter(company=record).values_list("tag_id", flat=True))
        CompanyTag.objects.bulk_create(
            CompanyTag(company=record, tag=t) for t in tags if t.pk not in have
        )


def _set_channels(record: Record, phones: list[str] | None, emails: list[str] | None) -> None:
    owner = {"contact": record} if isinstance(record, Contact) else {"company": record}
    for kind, values in ((Channel.Kind.PHONE, phones), (Channel.Kind.EMAIL, emails)):
        if values is None:
            continue
        Channel.objects.filter(kind=kind, **owner).delete()
        Channel.objects.bulk_create(
            Channel(kind=kind, value=value, position=i, **owner) for i, value in enumerate(values)
        )
        primary = values[0] if values else ""
        setattr(record, "primary_phone" if kind == Channel.Kind.PHONE else "primary_email", primary)


def _find_duplicates(
    actor: User, model: type[Record], phones: list[str], emails: list[str], exclude_pk: int | None
) -> list[DuplicateMatch]:
    wanted = [(Channel.Kind.PHONE, v) for v in phones] + [(Channel.Kind.EMAIL, v) for v in emails]
    if not wanted:
        return []
    owner_field = "contact" if model is Contact else "company"
    matches = []
    for kind, value in wanted:
        channel = (
            Channel.objects.filter(
                kind=kind, value=value, **{f"{owner_field}__deleted_at__isnull": True}
            )
            .exclude(**{f"{owner_field}__isnull": True})
            .exclude(**{f"{owner_field}_id": exclude_pk})
            .first()
        )
        if channel is None:
            continue
        record_id = getattr(channel, f"{owner_field}_id")
        visible = model.objects.visible_to(actor).filter(pk=record_id).first()
        field = "phones" if kind == Channel.Kind.PHONE else "emails"
        matches.append(DuplicateMatch(field=field, value=value, record=visible))
    return matches


def _added(values: list[str] | None, kind: str, had: list[tuple[str, str]]) -> list[str]:
    """The values of `kind` an update brings that the record did not have before it."""
    present = {value for k, value in had if k == kind}
    return [value for value in values or [] if value not in present]


def _apply(
    *, actor: User, record: Record, data: dict[str, Any], creating: bool
) -> tuple[list[str] | None, list[str] | None]:
    """Set the plain fields, owner and company of `record` from `data`; validate everything."""
    fields = CONTACT_FIELDS if isinstance(record, Contact) else COMPANY_FIELDS
    errors: dict[str, list[str]] = {}
    for name in fields:
        if name in data:
            value = data[name]
            if name in _TEXT_FIELDS:
                value = (value or "").strip()
                if "\x00" in value:
                    # PostgreSQL refuses NUL in text; say so instead of failing with a 500.
                    errors[name] = [_("Null characters are not allowed.")]
                    continue
            setattr(record, name, value)
    if "owner" in data or creating:
        owner_id = _id_or_none(data.get("owner") or actor.pk)
        owner = assignable_users(actor).filter(pk=owner_id).first() if owner_id else None
        if owner is None:
            errors["owner"] = [_("You cannot give records to this user.")]
        else:
            record.owner = owner
            record.team_id = owner.team_id
    if isinstance(record, Contact):
        if "company" in data:
            company_id = data["company"]
            if company_id in (None, ""):
                record.company = None
            else:
                pk = _id_or_none(company_id)
                company = Company.objects.visible_to(actor).filter(pk=pk).first() if pk else None
                if company is None:
                    errors["company"] = [_("There is no such company.")]
                else:
                    record.company = company
        if "marketing_consent" in data:
            if record.marketing_consent and record.consent_at is None:
                record.consent_at = data.get("consent_at") or timezone.now()
            elif not record.marketing_consent:
                record.consent_at = None
        try:
            _validate_birth_date(data, record)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        record.sort_name = record.full_name.lower()[:310]
    else:
        record.sort_name = record.name.lower()[:200]
    if "custom" in data:
        try:
            record.custom = clean_custom_values(_entity(record), data["custom"], record.custom)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    elif creating:
        try:
            record.custom = clean_custom_values(_entity(record), {})
        except ValidationError as exc:
            errors.update(exc.message_dict)
    phones = emails = None
    try:
        phones = clean_phones(data["phones"]) if "phones" in data else None
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        emails = clean_emails(data["emails"]) if "emails" in data else None
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        record.full_clean(exclude=["owner", "company", "custom", "sort_name", *errors.keys()])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return phones, emails


def _save(
    record: Record, phones: list[str] | None, emails: list[str] | None, data: dict[str, Any]
) -> None:
    record.save()
    _set_channels(record, phones, emails)
    if "tags" in data:
        _set_tags(record, _clean_tags(data["tags"]))
    record.save(update_fields=["primary_phone", "primary_email"])
    search_index_update(record, _channels(record))


def _create(
    *, actor: User, model: type[Record], data: dict[str, Any], allow_duplicate: bool
) -> Record:
    _ensure_can_write(actor)
    record = model()
    phones, emails = _apply(actor=actor, record=record, data=data, creating=True)
    if not allow_duplicate:
        duplicates = _find_duplicates(actor, model, phones or [], emails or [], exclude_pk=None)
        if duplicates:
            raise DuplicateFound(duplicates)
    _save(record, phones, emails, data)
    audit_record(actor=actor, action="create", obj=record, changes=audit_diff({}, snapshot(record)))
    return record


def _update(
    *,
    actor: User,
    record: Record,
    data: dict[str, Any],
    expected_updated_at: datetime.datetime | None,
    allow_duplicate: bool = False,
) -> Record:
    _ensure_can_write(actor)
    model = type(record)
    # Lock the row so two saves of one record run one after the other, never interleaved.
    # Only a live record the actor may see can change, whatever the caller looked it up with.
    locked = model.objects.visible_to(actor).select_for_update().filter(pk=record.pk).first()
    if locked is None:
        raise Http404
    if expected_updated_at is not None and locked.updated_at != expected_updated_at:
        raise EditConflict(_("Someone else changed this record while you were editing it."))
    before, version = snapshot(locked), locked.updated_at
    owner_before = (locked.owner_id, locked.team_id)
    had = _channels(locked) if "phones" in data or "emails" in data else []
    phones, emails = _apply(actor=actor, record=locked, data=data, creating=False)
    if not allow_duplicate:
        # Only what this change adds: a phone shared long ago, when someone chose to save
        # anyway, must not block every later edit of the record.
        duplicates = _find_duplicates(
            actor,
            model,
            _added(phones, Channel.Kind.PHONE, had),
            _added(emails, Channel.Kind.EMAIL, had),
            exclude_pk=locked.pk,
        )
        if duplicates:
            raise DuplicateFound(duplicates)
    _save(locked, phones, emails, data)
    if (locked.owner_id, locked.team_id) != owner_before:
        client_copies_follow(locked)
    changes = audit_diff(before, snapshot(locked))
    if changes:
        audit_record(actor=actor, action="update", obj=locked, changes=changes)
    else:
        # Nothing a person would see changed: keep the version, or someone editing the record
        # at the same time would be told of a conflict that is not there.
        model.all_objects.filter(pk=locked.pk).update(updated_at=version)
        locked.updated_at = version
    return locked


def _trash(*, actor: User, record: Record) -> None:
    _ensure_can_write(actor)
    if record.deleted_at is None:
        if not type(record).objects.visible_to(actor).filter(pk=record.pk).exists():
            raise Http404
        record.deleted_at = timezone.now()
        record.deleted_by = actor
        record.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        audit_record(actor=actor, action="delete", obj=record)


def _restore(*, actor: User, record: Record) -> None:
    if not (actor.is_admin or (record.owner_id == actor.pk and actor.can_write)):
        raise PermissionDenied(_("Only the owner or an administrator can restore this record."))
    if record.deleted_at is not None:
        record.deleted_at = None
        record.deleted_by = None
        record.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        audit_record(actor=actor, action="restore", obj=record)


def _reassign(*, actor: User, model: type[Record], ids: Iterable[int], owner: User | int) -> int:
    """Give the visible records among `ids` to `owner` (a user or an id), one audited change each."""
    _ensure_can_write(actor)
    owner_id = _id_or_none(owner)
    new_owner = assignable_users(actor).filter(pk=owner_id).first() if owner_id else None
    if new_owner is None:
        raise ValidationError({"owner": [_("You cannot give records to this user.")]})
    visible = model.objects.visible_to(actor).filter(pk__in=list(ids)).values_list("pk", flat=True)
    _reassign_many(actor=actor, model=model, moves=dict.fromkeys(visible, new_owner))
    return len(visible)


# Ids per IN (...): under SQLite's oldest limit of 999 parameters.
ID_CHUNK = 900


def _reassign_many(
    *, actor: User, model: type[Record], moves: Mapping[int, User], action: str = "update"
) -> list[Record]:
    """Give each record of `moves` (id: new owner) the actor may see to its new owner, in bulk:
    per owner one UPDATE of the records and one per client-copy model for their copies
    (contacts.client_copies), and one INSERT per 500 history events ({"owner": [old, new]},
    as `_update` records it, under `action`). A record already its new owner's is left alone.
    Returns the records moved, as they were before. Only the owner changes, so nothing else of
    the record is checked again."""
    _ensure_can_write(actor)
    owners = {user.pk: user for user in moves.values()}
    allowed = set(assignable_users(actor).filter(pk__in=owners).values_list("pk", flat=True))
    if set(owners) - allowed:
        raise ValidationError({"owner": [_("You cannot give records to this user.")]})
    ids = list(moves)
    records: list[Record] = []
    for start in range(0, len(ids), ID_CHUNK):
        part = ids[start : start + ID_CHUNK]
        rows = model.objects.visible_to(actor).select_for_update().filter(pk__in=part)
        records += list(rows.select_related("owner").order_by("pk"))
    moved = [record for record in records if record.owner_id != moves[record.pk].pk]
    by_owner: dict[int, list[int]] = {}
    for record in moved:
        by_owner.setdefault(moves[record.pk].pk, []).append(record.pk)
    now = timezone.now()
    for owner_id, group in by_owner.items():
        owner = owners[owner_id]
        for start in range(0, len(group), ID_CHUNK):
            part = group[start : start + ID_CHUNK]
            model.all_objects.filter(pk__in=part).update(
                owner_id=owner.pk, team_id=owner.team_id, updated_at=now
            )
            client_copies_follow_many(model, part, owner.pk, owner.team_id)
    audit_records(
        actor=actor,
        action=action,
        changes=[(r, {"owner": [str(r.owner), str(moves[r.pk])]}) for r in moved],
    )
    return moved


def _retag(
    *,
    actor: User,
    model: type[Record],
    ids: Iterable[int],
    add: Sequence[str],
    remove: Sequence[str],
) -> int:
    """Add and remove tags on the visible records among `ids`, one audited change each."""
    _ensure_can_write(actor)
    added, removed = _clean_tags(add), _clean_tags(remove)
    records = list(model.objects.visible_to(actor).filter(pk__in=list(ids)))
    for record in records:
        tags = _tags_after(record, added, removed)
        _update(actor=actor, record=record, data={"tags": tags}, expected_updated_at=None)
    return len(records)


def _tags_after(record: Record, add: list[str], remove: list[str]) -> list[str]:
    gone = {name.lower() for name in remove}
    return [name for name in _tag_names(record) + add if name.lower() not in gone]
