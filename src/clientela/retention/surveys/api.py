"""Surveys over JSON: answers, the results summary, asking a contact by hand.

Mounted at /api/v1/ by clientela.api. Reads go through the selectors (what the caller sees),
the one write through the service in a transaction.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from clientela.accounts.api import BadQuery, actor, error_responses
from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.retention.surveys import selectors, services
from clientela.retention.surveys.schemas import (
    AnswerListQuery,
    AnswerOut,
    RequestIn,
    RequestOut,
    ResultQuery,
    ResultsOut,
)
from clientela.retention.surveys.selectors import ResultFilters, Score

router = Router(tags=["surveys"])


def _filters(who: User, query: ResultQuery) -> ResultFilters:
    try:
        return selectors.result_filters_clean(
            who, query.model_dump(include={"date_from", "date_to", "kind", "manager"})
        )
    except ValidationError as exc:
        raise BadQuery(exc) from exc


def _score(score: Score) -> dict[str, Any]:
    return {
        "nps": score.nps,
        "nps_answers": score.nps_count,
        "promoters": score.promoters,
        "passives": score.passives,
        "detractors": score.detractors,
        "csat_average": score.csat_average,
        "csat_answers": score.csat_count,
        "csat_satisfied_percent": score.csat_satisfied_percent,
    }


@router.get("/surveys/answers", response={200: list[AnswerOut], **error_responses(400, 401)})
def answer_list(request: HttpRequest, query: Query[AnswerListQuery]) -> Any:
    """Survey answers the caller sees in the period, newest first."""
    who = actor(request)
    return selectors.answer_list(who, _filters(who, query), limit=query.limit)


@router.get("/surveys/results", response={200: ResultsOut, **error_responses(400, 401)})
def results(request: HttpRequest, query: Query[ResultQuery]) -> Any:
    """NPS and CSAT of the answers the caller sees: in all, per manager, per month."""
    who = actor(request)
    found = selectors.survey_results(who, _filters(who, query))
    return {
        "date_from": found.filters.date_from,
        "date_to": found.filters.date_to,
        "kind": found.filters.kind,
        "total": _score(found.total),
        "by_manager": [
            {"manager_id": user.pk, "manager": str(user), **_score(score)}
            for user, score in found.by_manager
        ],
        "by_month": [{"month": month, **_score(score)} for month, score in found.by_month],
    }


@router.post("/surveys/requests", response={201: RequestOut, **error_responses(401, 403, 422)})
def request_create(request: HttpRequest, payload: RequestIn) -> Status:
    """Ask a contact the caller sees (NPS or CSAT); it is emailed within a minute."""
    who = actor(request)
    with transaction.atomic():
        contact = Contact.objects.visible_to(who).filter(pk=payload.contact).first()
        if contact is None:
            raise ValidationError({"contact": [_("There is no such contact.")]})
        created = services.survey_request_create(actor=who, contact=contact, kind=payload.kind)
        out = RequestOut.from_orm(created)
    return Status(201, out)
