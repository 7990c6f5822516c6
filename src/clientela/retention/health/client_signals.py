"""What besides purchases goes into a client's health: complaints, surveys, last contact.

Read in bulk for many contacts at once (a few queries per 900 contacts, never one per
contact). Complaints and surveys come from their apps' selectors (to the left of health).
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence

from django.db.models import Max
from django.utils import timezone

from clientela.activities.models import Activity
from clientela.retention.complaints.selectors import open_complaint_counts
from clientela.retention.health.scoring import ClientSignals, SurveyAnswer
from clientela.retention.surveys.selectors import last_answers

# Below SQLite's oldest limit on query parameters, so an IN (...) list is always accepted.
CHUNK = 900


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def last_contact_days(contact_ids: Sequence[int]) -> dict[int, datetime.date]:
    """The day of the latest activity (call, meeting, email, note) with each contact."""
    found: dict[int, datetime.date] = {}
    zone = timezone.get_current_timezone()
    for chunk in _chunks(contact_ids):
        rows = (
            Activity.objects.filter(contact_id__in=chunk)
            .values("contact_id")
            .annotate(last=Max("started_at"))
            .values_list("contact_id", "last")
        )
        for contact_id, last in rows:
            if last is not None:
                found[contact_id] = timezone.localtime(last, zone).date()
    return found


def client_signals(contact_ids: Iterable[int]) -> dict[int, ClientSignals]:
    """Every contact's complaints, last survey answer and last contact (absent: none known)."""
    ids = sorted(set(contact_ids))
    complaints: dict[int, tuple[int, int]] = {}
    answers: dict[int, SurveyAnswer] = {}
    for chunk in _chunks(ids):
        complaints.update(open_complaint_counts(list(chunk)))
        for contact_id, answer in last_answers(list(chunk)).items():
            answers[contact_id] = SurveyAnswer(
                kind=str(answer.kind),
                score=int(answer.score),
                answered_at=answer.answered_at,
                is_detractor=bool(answer.is_detractor),
            )
    contacted = last_contact_days(ids)
    signals: dict[int, ClientSignals] = {}
    for contact_id in ids:
        open_count, overdue = complaints.get(contact_id, (0, 0))
        signals[contact_id] = ClientSignals(
            open_complaints=open_count,
            overdue_complaints=overdue,
            survey=answers.get(contact_id),
            last_contact=contacted.get(contact_id),
        )
    return signals
