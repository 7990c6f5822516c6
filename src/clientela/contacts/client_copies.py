"""Records that are seen by whoever sees their client, by keeping a copy of its owner and team.

A purchase or an activity belongs to a contact and/or a company; its `owner` and `team` are
the client's (the contact's, else the company's), copied when it is written, so that
`visible_to` stays one index range. Apps above contacts register such models here (in their
AppConfig.ready) and the contacts services move the copies along in the same transaction
whenever a client changes hands (an edit, a bulk reassign, a handover): a client given to a
colleague arrives with its whole history, and nothing of it stays with the old owner.
"""

from django.db.models import Model

from clientela.contacts.models import Company, Contact

_models: list[type[Model]] = []


def register_client_copy(model: type[Model]) -> None:
    """`model` has nullable `contact` and `company`, `owner`, `team` and an `all_objects` manager."""
    if model not in _models:
        _models.append(model)


def client_copies_follow(client: Contact | Company) -> int:
    """Give every copy of `client`'s owner and team the current ones; the number of rows moved."""
    moved = 0
    for model in _models:
        rows = model.all_objects  # type: ignore[attr-defined]
        if isinstance(client, Contact):
            rows = rows.filter(contact_id=client.pk)
        else:
            rows = rows.filter(company_id=client.pk, contact__isnull=True)
        moved += rows.exclude(owner_id=client.owner_id, team_id=client.team_id).update(
            owner_id=client.owner_id, team_id=client.team_id
        )
    return moved


def client_copies_follow_many(
    client_model: type[Contact] | type[Company],
    ids: list[int],
    owner_id: int,
    team_id: int | None,
) -> int:
    """`client_copies_follow` for many clients given to one owner: one UPDATE per model."""
    moved = 0
    for model in _models:
        rows = model.all_objects  # type: ignore[attr-defined]
        if client_model is Contact:
            rows = rows.filter(contact_id__in=ids)
        else:
            rows = rows.filter(company_id__in=ids, contact__isnull=True)
        moved += rows.exclude(owner_id=owner_id, team_id=team_id).update(
            owner_id=owner_id, team_id=team_id
        )
    return moved
