"""The kanban board of a pipeline, the next cards of a column, and moving a deal.

The board works without JavaScript: each card has a small form (a stage select and a "Move"
button) that posts to the move page and comes back to the board; a won or lost stage first
asks for the purchase or the reason on a page of its own. board.js adds dragging and shows the
same question in a dialog; a move it sends (marked by the `HX-Target: board` header) is
answered with the board's columns as they are after the move, or after someone else's.
"""

import datetime
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clientela.accounts.models import Scope, Team, User
from clientela.accounts.visibility import assignable_users
from clientela.contacts.views.common import (
    bad_request,
    current_user,
    is_htmx,
    require_writer,
    safe_next,
)
from clientela.core.errors import EditConflict
from clientela.sales import selectors, services
from clientela.sales.forms import DealMoveForm
from clientela.sales.models import Deal, Pipeline, Stage, StageKind
from clientela.sales.selectors import BOARD_CARDS, Board, BoardColumn, DealFilters

# The board's own query parameters: which pipeline, and whose deals.
BOARD_PARAMS = ("pipeline", "owner", "team")


@dataclass(frozen=True)
class Card:
    deal: Deal
    overdue: bool  # open, and its expected close has passed


@dataclass(frozen=True)
class ColumnView:
    column: BoardColumn
    cards: list[Card]
    more_query: str  # the next cards of the column: pipeline, stage, filters and cursor

    @property
    def left(self) -> int:
        return self.column.count - len(self.cards)


@dataclass(frozen=True)
class BoardView:
    pipelines: list[Pipeline]  # the switcher: active pipelines, and this one if retired
    pipeline: Pipeline | None  # None: no pipeline exists yet
    board: Board | None
    columns: list[ColumnView]
    filters: DealFilters
    raw: dict[str, str]  # the board's parameters as given ("me", "mine" kept)

    @property
    def query(self) -> str:
        return urlencode({k: v for k, v in self.raw.items() if v})

    @property
    def url(self) -> str:
        query = self.query
        return reverse("sales:board") + (f"?{query}" if query else "")

    @property
    def stages(self) -> list[Stage]:
        return list(self.pipeline.stages.all()) if self.pipeline is not None else []


def cards_of(deals: list[Deal], today: datetime.date) -> list[Card]:
    return [
        Card(
            deal=deal,
            overdue=bool(
                deal.expected_close
                and deal.expected_close < today
                and deal.stage.kind == StageKind.OPEN
            ),
        )
        for deal in deals
    ]


def _more_query(
    raw: dict[str, str], pipeline: Pipeline, stage_id: int, cursor: str, left: int
) -> str:
    params = {k: v for k, v in raw.items() if v and k != "pipeline"}
    params |= {"pipeline": str(pipeline.pk), "stage": str(stage_id), "sort": "board"}
    params |= {"cursor": cursor, "left": str(max(left, 0))}
    return urlencode(params)


def board_view(user: User, params: QueryDict | dict[str, Any]) -> BoardView:
    """The board for `params` (pipeline, owner, team); ValidationError for a bad value."""
    raw = {name: str(params.get(name) or "") for name in BOARD_PARAMS}
    filters = selectors.deal_filters_clean(user, raw)
    every = list(selectors.pipelines_all())
    pipeline: Pipeline | None = None
    if filters.pipeline is not None:
        pipeline = next((p for p in every if p.pk == filters.pipeline), None)
        if pipeline is None:
            raise Http404
    else:
        active = [p for p in every if p.active] or every
        pipeline = next((p for p in active if p.is_default), active[0] if active else None)
    shown = selectors.board(user, pipeline, filters) if pipeline is not None else None
    today = timezone.localdate()
    columns = []
    if shown is not None and pipeline is not None:
        for column in shown.columns:
            cards = cards_of(column.cards, today)
            more = ""
            if column.next_cursor:
                left = column.count - len(cards)
                more = _more_query(raw, pipeline, column.stage.pk, column.next_cursor, left)
            columns.append(ColumnView(column=column, cards=cards, more_query=more))
    switcher = [p for p in every if p.active or p == pipeline]
    return BoardView(
        pipelines=switcher,
        pipeline=pipeline,
        board=shown,
        columns=columns,
        filters=filters,
        raw=raw,
    )


def _filter_options(user: User) -> dict[str, Any]:
    """Whose deals the board can be narrowed to: the owners and teams within the user's sight."""
    owners = list(assignable_users(user).only("id", "username", "first_name", "last_name"))
    teams: list[Team] = []
    if user.effective_scope == Scope.ALL:
        teams = list(Team.objects.order_by("name"))
    return {
        "owner_options": [
            ("", _("Anyone")),
            ("me", _("Me")),
            *((str(u.pk), str(u)) for u in owners if u.pk != user.pk),
        ],
        "team_options": [("", _("Every team")), *((str(t.pk), t.name) for t in teams)],
        "show_owner_filter": len(owners) > 1 or user.effective_scope != Scope.OWN,
        "show_team_filter": bool(teams),
    }


def _board_context(user: User, view: BoardView) -> dict[str, Any]:
    return {
        "view": view,
        "stages": view.stages,
        "board_url": view.url,
        "can_write": user.can_write,
    }


@login_required
@require_GET
def board_page(request: HttpRequest) -> HttpResponse:
    """The board of the default pipeline (or `?pipeline=`), narrowed by owner or team."""
    user = current_user(request)
    try:
        view = board_view(user, request.GET)
    except ValidationError as exc:
        return bad_request(request, exc)
    context = _board_context(user, view)
    template = "sales/board.html"
    if is_htmx(request) and request.htmx.target == "board-area":  # type: ignore[attr-defined]
        template = "sales/_board_area.html"
    else:
        context |= _filter_options(user)
    response = render(request, template, context)
    # One address answers with the whole page or only the board: caches must keep both apart.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
@require_GET
def board_more(request: HttpRequest) -> HttpResponse:
    """The next cards of one column (an htmx partial); without htmx, the same deals as a list."""
    user = current_user(request)
    if not is_htmx(request):
        return redirect(f"{reverse('sales:deal_list')}?{request.GET.urlencode()}")
    params = {name: request.GET.get(name) or "" for name in (*BOARD_PARAMS, "stage")}
    try:
        filters = selectors.deal_filters_clean(user, params)
        if filters.pipeline is None or filters.stage is None:
            raise Http404
        pipeline = selectors.pipeline_get(filters.pipeline)
        if filters.stage not in {s.pk for s in pipeline.stages.all()}:
            raise Http404
        page = selectors.deal_list(
            user,
            replace(filters, sort="board"),
            cursor=request.GET.get("cursor") or None,
            size=BOARD_CARDS,
        )
    except ValidationError as exc:
        return bad_request(request, exc)
    try:
        left = max(int(request.GET.get("left") or 0) - len(page.items), 0)
    except ValueError:
        left = 0
    raw = {name: params[name] for name in BOARD_PARAMS}
    view = BoardView(
        pipelines=[], pipeline=pipeline, board=None, columns=[], filters=filters, raw=raw
    )
    more = ""
    if page.next_cursor:
        more = _more_query(raw, pipeline, filters.stage, page.next_cursor, left)
    return render(
        request,
        "sales/_board_cards.html",
        {
            **_board_context(user, view),
            "cards": cards_of(page.items, timezone.localdate()),
            "more_query": more,
            "left": left,
        },
    )


# --- moving a deal ------------------------------------------------------------------------------


def _from_board(request: HttpRequest) -> bool:
    """A move sent by board.js, which wants the board's columns back."""
    return is_htmx(request) and request.htmx.target == "board"  # type: ignore[attr-defined]


def _board_columns(request: HttpRequest, user: User, status: int = 200) -> HttpResponse:
    """The board as the mover sees it now (its query comes with the move), with the messages."""
    raw = request.POST.get("board_query") or request.GET.get("board_query") or ""
    query = QueryDict(raw.lstrip("?"))
    try:
        view = board_view(user, query)
    except (ValidationError, Http404):
        view = board_view(user, {})
    context = _board_context(user, view) | {"fragment": True}
    return render(request, "sales/_board_columns.html", context, status=status)


def _move_page(
    request: HttpRequest,
    deal: Deal,
    form: DealMoveForm,
    *,
    back: str,
    status: int = 200,
) -> HttpResponse:
    """The question a won or lost stage asks: in the board's dialog, or as a page of its own."""
    template = "sales/_deal_move_form.html" if is_htmx(request) else "sales/deal_move.html"
    board_query = request.POST.get("board_query") or request.GET.get("board_query") or ""
    if not board_query and urlsplit(back).path == reverse("sales:board"):
        board_query = urlsplit(back).query
    context = {
        "deal": deal,
        "form": form,
        "target": form.target,
        "next": back,
        "board_query": board_query,
    }
    response = render(request, template, context, status=status)
    if is_htmx(request):
        # Tells board.js that this answer is a question for its dialog, not the board.
        response["X-Move-Question"] = "1"
    return response


def _refuse_stale(request: HttpRequest, user: User, stage: Stage | None, back: str) -> HttpResponse:
    """Someone moved the deal since the mover saw it: say where it is, show the true board."""
    if stage is None:
        text = _("Someone else changed this deal a moment ago; it is no longer yours to move.")
    else:
        text = _(
            "Someone else moved this deal to “%(stage)s” a moment ago. Nothing was changed; "
            "the board shows where it is now."
        ) % {"stage": stage}
    messages.error(request, text)
    if _from_board(request):
        return _board_columns(request, user, status=409)
    return redirect(back)


def _stage_now(user: User, deal: Deal) -> Stage | None:
    try:
        return selectors.deal_get(user, deal.pk).stage
    except Http404:
        return None


def _moved_message(deal: Deal, created_purchase: bool) -> str:
    if deal.stage.kind == StageKind.WON and created_purchase:
        return _("“%(title)s” is won and its purchase is recorded.") % {"title": deal.title}
    return _("“%(title)s” moved to “%(stage)s”.") % {"title": deal.title, "stage": deal.stage}


@login_required
@require_http_methods(["GET", "POST"])
def deal_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a deal to a stage of its pipeline.

    GET `?stage=` asks what a won stage needs (the purchase, or none) or a lost stage needs
    (the reason). POST moves; `from_stage` is the stage the mover saw, so a deal someone else
    moved meanwhile is left where it is and the mover is told.
    """
    user = current_user(request)
    deal = selectors.deal_get(user, pk)
    require_writer(user)
    stages = list(selectors.pipeline_get(deal.pipeline_id).stages.all())
    reasons = list(selectors.lost_reasons_active())
    back = safe_next(request, reverse("sales:board") + f"?pipeline={deal.pipeline_id}")
    if request.method == "GET":
        form = DealMoveForm(deal=deal, stages=stages, reasons=reasons)
        form.initial.update(
            {
                "stage": request.GET.get("stage"),
                "from_stage": request.GET.get("from_stage") or deal.stage_id,
                "confirm": True,
            }
        )
        if form.target is None:
            raise Http404
        if str(form.initial["from_stage"]) != str(deal.stage_id):
            return _refuse_stale(request, user, deal.stage, back)
        return _move_page(request, deal, form, back=back)

    form = DealMoveForm(request.POST, deal=deal, stages=stages, reasons=reasons)
    if not form.is_valid():
        return _move_page(request, deal, form, back=back, status=422)
    if form.expected_stage() != deal.stage_id:
        # Seen before the question is even asked; the service checks again under a lock.
        return _refuse_stale(request, user, deal.stage, back)
    if form.needs_details():
        # From a card's select: a won or lost stage first asks its question.
        form = DealMoveForm(deal=deal, stages=stages, reasons=reasons)
        form.initial.update(
            {
                "stage": request.POST.get("stage"),
                "from_stage": request.POST.get("from_stage") or deal.stage_id,
                "confirm": True,
            }
        )
        return _move_page(request, deal, form, back=back)
    purchase = form.purchase_data()
    try:
        moved = services.deal_move_stage(
            deal=deal,
            stage=form.cleaned_data["stage"],
            actor=user,
            lost_reason=form.cleaned_data.get("lost_reason"),
            expected_stage=form.expected_stage(),
            purchase=purchase,
        )
    except EditConflict:
        return _refuse_stale(request, user, _stage_now(user, deal), back)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _move_page(request, deal, form, back=back, status=422)
    messages.success(request, _moved_message(moved, purchase is not None))
    if _from_board(request):
        return _board_columns(request, user)
    return redirect(back)
