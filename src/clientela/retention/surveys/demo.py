"""Demo surveys: about 120 answers over the last six months, a realistic mix of promoters,
passives and detractors (with their tasks), and some requests still waiting or just sent.

Call `seed_surveys(rng, contacts)` from the demo command once the contacts exist. Answers are
written through the real service (token, lock, detractor task); their moments are then moved
back into the past, as the history they stand for.
"""

import datetime
import random
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from clientela.activities.models import Task
from clientela.contacts.models import Contact
from clientela.retention.surveys.models import SurveyAnswer, SurveyPolicy, SurveyRequest
from clientela.retention.surveys.services import (
    _send_one,
    contact_language,
    survey_answer,
)

COMMENTS = {
    "uk": ["Все чудово, дякую!", "Доставка затрималась", "Менеджер завжди на зв'язку", ""],
    "ru": ["Всё отлично, спасибо!", "Долго ждали ответа", "Очень доволен сервисом", ""],
    "en": ["Great service, thank you!", "Delivery was late", "Always helpful", ""],
}
NPS_WEIGHTS = [1, 1, 1, 1, 2, 3, 4, 8, 12, 16, 14]  # scores 0..10: mostly happy, some not
CSAT_WEIGHTS = [1, 2, 4, 9, 8]  # scores 1..5


def _request(contact: Contact, kind: str, when: datetime.datetime, trigger: str) -> SurveyRequest:
    return SurveyRequest.objects.create(
        contact=contact,
        owner_id=contact.owner_id,
        team_id=contact.team_id,
        kind=kind,
        trigger=trigger,
        language=contact_language(contact),
        send_at=when,
    )


def seed_surveys(rng: random.Random, contacts: Sequence[Contact], *, answers: int = 120) -> int:
    """Surveys for `contacts` (those with an email); the number of answers made."""
    with_email = [c for c in contacts if c.primary_email]
    if not with_email:
        return 0
    now = timezone.now()
    # The history is written in one go; the cool-down is for real clients, not for it.
    policy = SurveyPolicy.current()
    policy.cooldown_days = 0
    made = 0
    for n in range(answers):
        contact = with_email[n % len(with_email)]
        kind = "nps" if rng.random() < 0.7 else "csat"
        trigger = rng.choice(["purchase", "purchase", "purchase", "complaint", "manual"])
        sent = now - datetime.timedelta(days=rng.randint(1, 180), hours=rng.randint(0, 12))
        with transaction.atomic():
            request = _request(contact, kind, now, trigger)
            _send_one(request.pk, now, policy)
            request.refresh_from_db()
        raw = _raw_token_of(request)
        if kind == "nps":
            score = rng.choices(range(11), weights=NPS_WEIGHTS)[0]
        else:
            score = rng.choices(range(1, 6), weights=CSAT_WEIGHTS)[0]
        comment = rng.choice(COMMENTS[request.language])
        answer = survey_answer(raw_token=raw, score=score, comment=comment)
        answered = sent + datetime.timedelta(hours=rng.randint(1, 72))
        SurveyRequest.objects.filter(pk=request.pk).update(
            send_at=sent, sent_at=sent, expires_at=sent + datetime.timedelta(days=14)
        )
        SurveyAnswer.objects.filter(pk=answer.pk).update(answered_at=min(answered, now))
        if answer.task_id:
            Task.objects.filter(pk=answer.task_id).update(due_date=min(answered, now).date())
        made += 1
    # some still waiting: scheduled after recent purchases, and a few sent but not answered
    for contact in rng.sample(with_email, min(8, len(with_email))):
        _request(contact, "nps", now + datetime.timedelta(days=rng.randint(1, 3)), "purchase")
    return made


def _raw_token_of(request: SurveyRequest) -> str:
    """The demo reads its own token back from the queued email (the only place it exists)."""
    from clientela.core.models import OutgoingEmail

    assert request.email_id is not None
    body = OutgoingEmail.objects.get(pk=request.email_id).body
    start = body.index("/s/") + 3
    return body[start : body.index("/", start)]
