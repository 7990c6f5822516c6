"""Input and output shapes of the surveys API."""

import datetime

from ninja import Field, Schema

from clientela.accounts.api import RecordId, Timestamp


class ResultQuery(Schema):
    date_from: str | None = Field(None, description="YYYY-MM-DD; default: six months back")
    date_to: str | None = Field(None, description="YYYY-MM-DD; default: today")
    kind: str | None = Field(None, description="nps or csat; default: both")
    manager: str | None = Field(None, description="id of the clients' owner")


class AnswerListQuery(ResultQuery):
    limit: int = Field(100, ge=1, le=500)


class AnswerOut(Schema):
    id: int
    request_id: int
    kind: str
    score: int
    comment: str
    is_detractor: bool
    answered_at: Timestamp
    contact_id: int
    owner_id: int
    task_id: int | None


class ScoreOut(Schema):
    nps: int | None
    nps_answers: int
    promoters: int
    passives: int
    detractors: int
    csat_average: float | None
    csat_answers: int
    csat_satisfied_percent: float | None


class ManagerScoreOut(ScoreOut):
    manager_id: int
    manager: str


class MonthScoreOut(ScoreOut):
    month: datetime.date


class ResultsOut(Schema):
    date_from: datetime.date
    date_to: datetime.date
    kind: str
    total: ScoreOut
    by_manager: list[ManagerScoreOut]
    by_month: list[MonthScoreOut]


class RequestIn(Schema):
    contact: RecordId
    kind: str = Field(description="nps or csat")


class RequestOut(Schema):
    id: int
    contact_id: int
    kind: str
    trigger: str
    status: str
    send_at: Timestamp
