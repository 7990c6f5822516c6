"""The client's timeline tells of surveys: "survey sent" at the moment it went, and "survey
answered" at the moment the client answered (with the score and the comment).

Two sources, one query each, narrowed by `visible_to`; only a contact's timeline has them.
"""

from django.utils.translation import gettext_lazy as _

from clientela.accounts.models import User
from clientela.activities.timeline.cursor import Cursor, after
from clientela.activities.timeline.entries import Entry, SubjectRef
from clientela.activities.timeline.registry import TimelineSource, register_timeline_source
from clientela.contacts.models import Contact
from clientela.retention.surveys.models import SurveyAnswer, SurveyRequest

# Part of the timeline's cursor: never change them once released.
RANK_SURVEY_SENT = 20
RANK_SURVEY_ANSWERED = 21


def sent_entries(
    user: User, subject: SubjectRef, kinds: set[str], cursor: Cursor | None, limit: int
) -> list[Entry]:
    if "survey_sent" not in kinds or not isinstance(subject.record, Contact):
        return []
    rows = (
        SurveyRequest.objects.visible_to(user)
        .filter(contact=subject.record, sent_at__isnull=False)
        .filter(after("sent_at", RANK_SURVEY_SENT, cursor))
        .order_by("-sent_at", "-id")[: limit + 1]
    )
    return [
        Entry(at=row.sent_at, kind="survey_sent", obj=row, actor=None, rank=RANK_SURVEY_SENT)
        for row in rows
    ]


def answered_entries(
    user: User, subject: SubjectRef, kinds: set[str], cursor: Cursor | None, limit: int
) -> list[Entry]:
    if "survey_answered" not in kinds or not isinstance(subject.record, Contact):
        return []
    rows = (
        SurveyAnswer.objects.visible_to(user)
        .filter(contact=subject.record)
        .filter(after("answered_at", RANK_SURVEY_ANSWERED, cursor))
        .order_by("-answered_at", "-id")[: limit + 1]
    )
    return [
        Entry(
            at=row.answered_at,
            kind="survey_answered",
            obj=row,
            actor=None,
            rank=RANK_SURVEY_ANSWERED,
        )
        for row in rows
    ]


def register_timeline() -> None:
    register_timeline_source(
        TimelineSource(
            group="survey",
            chip=_("Surveys sent"),
            kinds={"survey_sent": _("Survey")},
            rank=RANK_SURVEY_SENT,
            read=sent_entries,
            template="surveys/_timeline_entry.html",
        )
    )
    register_timeline_source(
        TimelineSource(
            group="survey_answer",
            chip=_("Survey answers"),
            kinds={"survey_answered": _("Survey answer")},
            rank=RANK_SURVEY_ANSWERED,
            read=answered_entries,
            template="surveys/_timeline_entry.html",
        )
    )
