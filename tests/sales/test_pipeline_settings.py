"""Pipeline settings: the services that rename, reorder and retire pipelines, stages and lost
reasons, the rules that keep a pipeline usable, and the administrators-only pages."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clientela.core.models import AuditEvent
from clientela.sales.models import LostReason, Pipeline, Stage
from clientela.sales.selectors import board, lost_reasons_active, pipeline_get
from clientela.sales.services import (
    deal_create,
    deal_delete,
    deal_move_stage,
    lost_reason_create,
    lost_reason_move,
    lost_reason_set_active,
    lost_reason_update,
    pipeline_create,
    pipeline_make_default,
    pipeline_move,
    pipeline_set_active,
    pipeline_update,
    stage_create,
    stage_move,
    stage_set_active,
    stage_update,
    stages_reorder,
)
from conftest import client_for
from sales.support import make_deal

NON_ADMINS = ["owner", "teammate", "lead", "outsider", "viewer"]
PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def positions(pipeline: Pipeline) -> list[tuple[str, int]]:
    return list(
        Stage.objects.filter(pipeline=pipeline).order_by("position").values_list("name", "position")
    )


def stage_snapshot() -> list[tuple[Any, ...]]:
    return list(
        Stage.objects.order_by("pk").values_list(
            "pk", "name", "kind", "probability", "position", "active"
        )
    )


# --- reordering ---------------------------------------------------------------------------


def test_moving_a_stage_keeps_positions_unique_and_in_order(admin, sales):
    stage_move(actor=admin, stage=sales.won, direction="up")

    assert positions(sales.pipeline) == [
        ("Новий", 0),
        ("Виграно", 1),
        ("Пропозиція", 2),
        ("Програно", 3),
    ]

    stage_move(actor=admin, stage=sales.new, direction="down")
    stage_move(actor=admin, stage=sales.lost, direction="down")  # already last: nothing moves
    stage_move(actor=admin, stage=sales.won, direction="up")

    assert positions(sales.pipeline) == [
        ("Виграно", 0),
        ("Новий", 1),
        ("Пропозиція", 2),
        ("Програно", 3),
    ]


def test_moving_renumbers_positions_left_with_gaps(admin, sales):
    Stage.objects.filter(pk=sales.lost.pk).update(position=40)
    Stage.objects.filter(pk=sales.won.pk).update(position=40)

    stage_move(actor=admin, stage=sales.lost, direction="up")

    assert [p for _name, p in positions(sales.pipeline)] == [0, 1, 2, 3]
    assert positions(sales.pipeline)[2:] == [("Програно", 2), ("Виграно", 3)]


def test_a_move_is_audited_with_the_old_and_new_position(admin, sales):
    stage_move(actor=admin, stage=sales.offer, direction="up")

    event = AuditEvent.objects.filter(object_id=sales.offer.pk, action="update").latest("id")
    assert event.changes == {"position": [1, 0]}
    assert event.actor == admin


def test_an_unknown_direction_is_refused(admin, sales):
    with pytest.raises(ValidationError) as caught:
        stage_move(actor=admin, stage=sales.offer, direction="sideways")  # type: ignore[arg-type]

    assert "direction" in caught.value.message_dict


def test_reorder_puts_the_stages_in_the_given_order(admin, sales):
    order = [sales.lost.pk, sales.won.pk, sales.new.pk, sales.offer.pk]

    stages_reorder(actor=admin, pipeline=sales.pipeline, ids=order)

    assert [name for name, _p in positions(sales.pipeline)] == [
        "Програно",
        "Виграно",
        "Новий",
        "Пропозиція",
    ]
    assert [p for _name, p in positions(sales.pipeline)] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    "which",
    [
        ["new", "offer", "won"],
        ["new", "offer", "won", "lost", "lost"],
        ["new", "offer", "won", "x"],
    ],
)
def test_reorder_must_name_every_stage_once(admin, sales, other_stage, which):
    ids = [other_stage.pk if name == "x" else getattr(sales, name).pk for name in which]
    before = stage_snapshot()

    with pytest.raises(ValidationError) as caught:
        stages_reorder(actor=admin, pipeline=sales.pipeline, ids=ids)

    assert list(caught.value.message_dict) == ["stages"]
    assert stage_snapshot() == before


def test_a_new_stage_goes_after_the_last_one_even_after_gaps(admin, sales):
    Stage.objects.filter(pk=sales.lost.pk).update(position=9)

    added = stage_create(actor=admin, pipeline=sales.pipeline, name="Архів", kind="lost")

    assert added.position == 10


def test_pipelines_move_like_stages(admin, sales):
    second = pipeline_create(actor=admin, name="Сервіс")

    pipeline_move(actor=admin, pipeline=second, direction="up")

    assert list(Pipeline.objects.order_by("position").values_list("name", "position")) == [
        ("Сервіс", 0),
        ("Продажі", 1),
    ]


# --- retiring stages ----------------------------------------------------------------------


def test_a_stage_holding_open_deals_cannot_be_retired(admin, owner, contact, sales):
    for _ in range(3):
        make_deal(owner, contact, stage=sales.offer.pk)
    before = stage_snapshot()

    with pytest.raises(ValidationError) as caught:
        stage_set_active(actor=admin, stage=sales.offer, active=False)

    assert caught.value.message_dict == {
        "active": ["3 open deals are in this stage; move them first."]
    }
    assert stage_snapshot() == before


def test_trashed_deals_do_not_hold_a_stage(admin, owner, contact, sales):
    deal_delete(actor=owner, deal=make_deal(owner, contact, stage=sales.offer.pk))

    stage_set_active(actor=admin, stage=sales.offer, active=False)

    sales.offer.refresh_from_db()
    assert sales.offer.active is False


def test_an_empty_stage_is_retired_and_brought_back_with_an_audit(admin, sales):
    stage_set_active(actor=admin, stage=sales.offer, active=False)
    sales.offer.refresh_from_db()
    assert sales.offer.active is False

    stage_set_active(actor=admin, stage=sales.offer, active=True)
    sales.offer.refresh_from_db()
    assert sales.offer.active is True
    changes = list(
        AuditEvent.objects.filter(object_id=sales.offer.pk, action="update")
        .order_by("id")
        .values_list("changes", flat=True)
    )
    assert changes == [{"active": [True, False]}, {"active": [False, True]}]


def test_the_last_open_stage_cannot_be_retired(admin, sales):
    stage_set_active(actor=admin, stage=sales.offer, active=False)

    with pytest.raises(ValidationError) as caught:
        stage_set_active(actor=admin, stage=sales.new, active=False)

    assert "last open stage" in caught.value.message_dict["active"][0]
    sales.new.refresh_from_db()
    assert sales.new.active is True


def test_the_last_won_stage_cannot_be_retired(admin, sales):
    with pytest.raises(ValidationError) as caught:
        stage_set_active(actor=admin, stage=sales.won, active=False)

    assert "last won stage" in caught.value.message_dict["active"][0]


def test_a_closed_stage_with_deals_can_be_retired_and_stays_on_the_board(
    admin, owner, contact, sales, reason
):
    lost = make_deal(owner, contact)
    deal_move_stage(deal=lost, stage=sales.lost, actor=owner, lost_reason=reason)
    extra_won = stage_create(actor=admin, pipeline=sales.pipeline, name="Оплачено", kind="won")

    stage_set_active(actor=admin, stage=sales.lost, active=False)
    stage_set_active(actor=admin, stage=extra_won, active=False)

    columns = [c.stage for c in board(owner, pipeline_get(sales.pipeline.pk)).columns]
    # The retired lost stage still holds a deal; the retired empty one is gone.
    assert columns == [sales.new, sales.offer, sales.won, sales.lost]


def test_a_retired_empty_stage_is_not_a_board_column(admin, owner, sales):
    stage_set_active(actor=admin, stage=sales.offer, active=False)

    columns = [c.stage for c in board(owner, pipeline_get(sales.pipeline.pk)).columns]

    assert columns == [sales.new, sales.won, sales.lost]


def test_a_retired_stage_is_not_offered_for_moves_or_new_deals(admin, owner, contact, sales):
    deal = make_deal(owner, contact)
    stage_set_active(actor=admin, stage=sales.offer, active=False)

    with pytest.raises(ValidationError) as moved:
        deal_move_stage(deal=deal, stage=sales.offer, actor=owner)
    with pytest.raises(ValidationError) as created:
        make_deal(owner, contact, stage=sales.offer.pk)

    assert moved.value.message_dict == {"stage": ["This stage is no longer in use."]}
    assert list(created.value.message_dict) == ["stage"]


def test_new_deals_start_in_the_first_active_open_stage(admin, owner, contact, sales):
    stage_set_active(actor=admin, stage=sales.new, active=False)

    deal = make_deal(owner, contact)

    assert deal.stage == sales.offer


# --- editing stages -----------------------------------------------------------------------


def test_a_stage_is_renamed_and_given_a_probability(admin, sales):
    stage_update(actor=admin, stage=sales.offer, data={"name": "Оферта", "probability": "60"})

    sales.offer.refresh_from_db()
    assert (sales.offer.name, sales.offer.probability) == ("Оферта", 60)
    event = AuditEvent.objects.filter(object_id=sales.offer.pk, action="update").latest("id")
    assert event.changes == {"name": ["Пропозиція", "Оферта"], "probability": [50, 60]}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"probability": "101"}, "probability"),
        ({"probability": "12.5"}, "probability"),
        ({"kind": "maybe"}, "kind"),
    ],
)
def test_bad_stage_values_are_refused_by_field(admin, sales, data, field):
    before = stage_snapshot()

    with pytest.raises(ValidationError) as caught:
        stage_update(actor=admin, stage=sales.offer, data=data)

    assert list(caught.value.message_dict) == [field]
    assert stage_snapshot() == before


def test_the_kind_of_the_last_open_stage_cannot_change(admin, sales):
    stage_set_active(actor=admin, stage=sales.offer, active=False)

    with pytest.raises(ValidationError) as caught:
        stage_update(actor=admin, stage=sales.new, data={"kind": "won"})

    assert "last open stage" in caught.value.message_dict["kind"][0]


def test_the_kind_of_a_stage_with_deals_cannot_change(admin, owner, contact, sales):
    make_deal(owner, contact, stage=sales.offer.pk)

    with pytest.raises(ValidationError) as caught:
        stage_update(actor=admin, stage=sales.offer, data={"kind": "lost"})

    assert caught.value.message_dict == {
        "kind": ["1 deal is in this stage; move it before changing the kind."]
    }


def test_the_kind_of_an_empty_stage_changes(admin, sales):
    stage_update(actor=admin, stage=sales.offer, data={"kind": "won", "probability": ""})

    sales.offer.refresh_from_db()
    assert (sales.offer.kind, sales.offer.probability) == ("won", 100)


# --- pipelines ----------------------------------------------------------------------------


def test_a_pipeline_is_renamed_with_an_audit(admin, sales):
    pipeline_update(actor=admin, pipeline=sales.pipeline, name="  Опт  ")

    sales.pipeline.refresh_from_db()
    assert sales.pipeline.name == "Опт"
    event = AuditEvent.objects.filter(object_id=sales.pipeline.pk, action="update").latest("id")
    assert event.changes == {"name": ["Продажі", "Опт"]}


def test_a_pipeline_needs_a_name(admin, sales):
    with pytest.raises(ValidationError) as caught:
        pipeline_update(actor=admin, pipeline=sales.pipeline, name=" ")

    assert list(caught.value.message_dict) == ["name"]


def test_making_a_pipeline_the_default_takes_it_from_the_other(admin, owner, contact, sales):
    second = pipeline_create(actor=admin, name="Сервіс")
    first_stage = stage_create(actor=admin, pipeline=second, name="Заявка")

    pipeline_make_default(actor=admin, pipeline=second)

    assert list(Pipeline.objects.filter(is_default=True)) == [second]
    assert make_deal(owner, contact).stage == first_stage


def test_a_pipeline_without_an_open_stage_cannot_be_the_default(admin, sales):
    second = pipeline_create(actor=admin, name="Сервіс")
    stage_create(actor=admin, pipeline=second, name="Виконано", kind="won")

    with pytest.raises(ValidationError) as caught:
        pipeline_make_default(actor=admin, pipeline=second)

    assert list(caught.value.message_dict) == ["stages"]
    sales.pipeline.refresh_from_db()
    assert sales.pipeline.is_default is True


def test_the_default_pipeline_cannot_be_retired(admin, sales):
    with pytest.raises(ValidationError) as caught:
        pipeline_set_active(actor=admin, pipeline=sales.pipeline, active=False)

    assert "default" in caught.value.message_dict["active"][0]


def test_a_pipeline_with_open_deals_cannot_be_retired(admin, owner, contact, sales):
    second = pipeline_create(actor=admin, name="Сервіс")
    stage = stage_create(actor=admin, pipeline=second, name="Заявка")
    make_deal(owner, contact, pipeline=second.pk, stage=stage.pk)
    make_deal(owner, contact, pipeline=second.pk, stage=stage.pk)

    with pytest.raises(ValidationError) as caught:
        pipeline_set_active(actor=admin, pipeline=second, active=False)

    assert caught.value.message_dict == {
        "active": ["2 open deals are in this pipeline; close or move them first."]
    }


def test_a_retired_pipeline_takes_no_new_deals_and_cannot_be_the_default(
    admin, owner, contact, sales
):
    second = pipeline_create(actor=admin, name="Сервіс")
    stage = stage_create(actor=admin, pipeline=second, name="Заявка")

    pipeline_set_active(actor=admin, pipeline=second, active=False)

    with pytest.raises(ValidationError) as created:
        deal_create(
            actor=owner,
            data={"title": "x", "contact": contact.pk, "pipeline": second.pk, "stage": stage.pk},
        )
    with pytest.raises(ValidationError) as made_default:
        pipeline_make_default(actor=admin, pipeline=second)
    assert created.value.message_dict["pipeline"] == ["This pipeline is no longer in use."]
    assert list(made_default.value.message_dict) == ["active"]


# --- lost reasons -------------------------------------------------------------------------


def test_lost_reasons_are_renamed_retired_and_reordered(admin, reason):
    other = lost_reason_create(actor=admin, name="Пішли до конкурента")

    lost_reason_update(actor=admin, reason=reason, name="Задорого")
    lost_reason_move(actor=admin, reason=other, direction="up")
    lost_reason_set_active(actor=admin, reason=reason, active=False)

    assert list(LostReason.objects.order_by("position").values_list("name", "position")) == [
        ("Пішли до конкурента", 0),
        ("Задорого", 1),
    ]
    assert list(lost_reasons_active()) == [other]


def test_lost_reason_names_are_unique(admin, reason):
    other = lost_reason_create(actor=admin, name="Інше")

    with pytest.raises(ValidationError) as caught:
        lost_reason_update(actor=admin, reason=other, name=reason.name)

    assert list(caught.value.message_dict) == ["name"]
    other.refresh_from_db()
    assert other.name == "Інше"


def test_a_retired_lost_reason_cannot_be_given(admin, owner, contact, sales, reason):
    deal = make_deal(owner, contact)
    lost_reason_set_active(actor=admin, reason=reason, active=False)

    with pytest.raises(ValidationError) as caught:
        deal_move_stage(deal=deal, stage=sales.lost, actor=owner, lost_reason=reason)

    assert list(caught.value.message_dict) == ["lost_reason"]


# --- only administrators ------------------------------------------------------------------


def _settings_changes(sales: Any, reason: LostReason) -> list[Any]:
    return [
        lambda actor: pipeline_create(actor=actor, name="Новий"),
        lambda actor: pipeline_update(actor=actor, pipeline=sales.pipeline, name="Інша"),
        lambda actor: pipeline_make_default(actor=actor, pipeline=sales.pipeline),
        lambda actor: pipeline_set_active(actor=actor, pipeline=sales.pipeline, active=True),
        lambda actor: pipeline_move(actor=actor, pipeline=sales.pipeline, direction="down"),
        lambda actor: stage_create(actor=actor, pipeline=sales.pipeline, name="Ще"),
        lambda actor: stage_update(actor=actor, stage=sales.offer, data={"name": "Інша"}),
        lambda actor: stage_set_active(actor=actor, stage=sales.offer, active=False),
        lambda actor: stage_move(actor=actor, stage=sales.offer, direction="up"),
        lambda actor: stages_reorder(
            actor=actor,
            pipeline=sales.pipeline,
            ids=list(
                Stage.objects.filter(pipeline=sales.pipeline)
                .order_by("-position")
                .values_list("pk", flat=True)
            ),
        ),
        lambda actor: lost_reason_create(actor=actor, name="Нова"),
        lambda actor: lost_reason_update(actor=actor, reason=reason, name="Інша"),
        lambda actor: lost_reason_set_active(actor=actor, reason=reason, active=False),
        lambda actor: lost_reason_move(actor=actor, reason=reason, direction="down"),
    ]


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_only_an_administrator_changes_the_settings(request, persona, sales, reason):
    user = request.getfixturevalue(persona)
    changes = _settings_changes(sales, reason)
    before = (stage_snapshot(), list(Pipeline.objects.values()), list(LostReason.objects.values()))

    for change in changes:
        with pytest.raises(PermissionDenied):
            change(user)

    after = (stage_snapshot(), list(Pipeline.objects.values()), list(LostReason.objects.values()))
    assert after == before


def test_an_administrator_makes_every_change(admin, sales, reason):
    for change in _settings_changes(sales, reason):
        change(admin)

    assert Stage.objects.filter(pipeline=sales.pipeline, name="Ще").exists()


# --- pages --------------------------------------------------------------------------------


def _page_cases() -> list[Any]:
    pages = [
        ("get", "/settings/pipelines/"),
        ("get", "/settings/pipelines/{pipeline}/"),
        ("get", "/settings/stages/{offer}/edit/"),
        ("get", "/settings/lost-reasons/"),
        ("get", "/settings/lost-reasons/{reason}/edit/"),
        ("post", "/settings/pipelines/new/"),
        ("post", "/settings/pipelines/{pipeline}/rename/"),
        ("post", "/settings/pipelines/{pipeline}/default/"),
        ("post", "/settings/pipelines/{pipeline}/active/"),
        ("post", "/settings/pipelines/{pipeline}/move/"),
        ("post", "/settings/pipelines/{pipeline}/stages/new/"),
        ("post", "/settings/pipelines/{pipeline}/stages/order/"),
        ("post", "/settings/stages/{offer}/edit/"),
        ("post", "/settings/stages/{offer}/active/"),
        ("post", "/settings/stages/{offer}/move/"),
        ("post", "/settings/lost-reasons/new/"),
        ("post", "/settings/lost-reasons/{reason}/edit/"),
        ("post", "/settings/lost-reasons/{reason}/active/"),
        ("post", "/settings/lost-reasons/{reason}/move/"),
    ]
    return [
        pytest.param(method, url, persona, id=f"{persona}-{method}-{url}")
        for method, url in pages
        for persona in PERSONAS
    ]


@pytest.mark.parametrize(("method", "url", "persona"), _page_cases())
def test_settings_pages_answer_only_administrators(request, sales, reason, method, url, persona):
    user = request.getfixturevalue(persona)
    address = url.format(pipeline=sales.pipeline.pk, offer=sales.offer.pk, reason=reason.pk)
    client = client_for(user)
    before = (stage_snapshot(), list(Pipeline.objects.values()), list(LostReason.objects.values()))

    response = client.post(address) if method == "post" else client.get(address)

    if persona == "admin":
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403
        after = (
            stage_snapshot(),
            list(Pipeline.objects.values()),
            list(LostReason.objects.values()),
        )
        assert after == before


def test_unknown_settings_records_are_not_found(admin, sales):
    client = client_for(admin)

    assert client.get("/settings/pipelines/999999/").status_code == 404
    assert client.get("/settings/stages/999999/edit/").status_code == 404
    assert client.post("/settings/lost-reasons/999999/move/").status_code == 404


@pytest.mark.parametrize(("persona", "shown"), [(p, p == "admin") for p in PERSONAS])
def test_the_settings_link_is_shown_to_administrators_only(request, persona, shown):
    client = client_for(request.getfixturevalue(persona))

    page = client.get("/settings/").content.decode()

    assert ('href="/settings/pipelines/"' in page) is shown


def test_the_settings_page_lists_pipelines_and_stages(admin, sales, other_stage):
    page = client_for(admin).get("/settings/pipelines/").content.decode()

    assert "Продажі" in page
    assert "Сервіс" in page
    assert f'href="/settings/pipelines/{sales.pipeline.pk}/"' in page
    assert "default" in page


def test_an_administrator_creates_a_pipeline_and_its_stages_on_the_pages(admin, sales):
    client = client_for(admin)

    created = client.post("/settings/pipelines/new/", {"name": "Сервіс"})
    pipeline = Pipeline.objects.get(name="Сервіс")
    assert created.status_code == 302
    assert created["Location"] == f"/settings/pipelines/{pipeline.pk}/"
    empty = client.get(created["Location"]).content.decode()
    assert "Deals cannot start in this pipeline yet: add an open stage." in empty
    assert "Deals cannot be won in this pipeline yet: add a won stage." in empty
    client.post(
        f"/settings/pipelines/{pipeline.pk}/stages/new/",
        {"name": "Заявка", "kind": "open", "probability": "20"},
    )
    client.post(
        f"/settings/pipelines/{pipeline.pk}/stages/new/",
        {"name": "Виконано", "kind": "won", "probability": ""},
    )

    assert list(
        Stage.objects.filter(pipeline=pipeline)
        .order_by("position")
        .values_list("name", "kind", "probability", "position")
    ) == [("Заявка", "open", 20, 0), ("Виконано", "won", 100, 1)]
    page = client.get(f"/settings/pipelines/{pipeline.pk}/").content.decode()
    assert "add an open stage" not in page
    assert "add a won stage" not in page
    assert "Заявка" in page
    assert "Виконано" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "kind": "open"}, "name"),
        ({"name": "Ще", "kind": "open", "probability": "150"}, "probability"),
        ({"name": "Ще", "kind": "open", "probability": "abc"}, "probability"),
        ({"name": "Ще", "kind": "maybe"}, "kind"),
    ],
)
def test_a_bad_new_stage_shows_the_error_next_to_the_field(admin, sales, data, field):
    before = stage_snapshot()

    response = client_for(admin).post(f"/settings/pipelines/{sales.pipeline.pk}/stages/new/", data)

    assert response.status_code == 200
    assert field in response.context["stage_form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert stage_snapshot() == before


def test_an_empty_pipeline_name_shows_the_error(admin, sales):
    response = client_for(admin).post(
        f"/settings/pipelines/{sales.pipeline.pk}/rename/", {"name": " "}
    )

    assert response.status_code == 200
    assert "name" in response.context["rename_form"].errors
    sales.pipeline.refresh_from_db()
    assert sales.pipeline.name == "Продажі"


def test_stage_buttons_reorder_and_retire_without_javascript(admin, sales):
    client = client_for(admin)

    moved = client.post(f"/settings/stages/{sales.won.pk}/move/", {"direction": "up"})
    client.post(f"/settings/stages/{sales.offer.pk}/active/", {"active": "0"})

    assert moved["Location"] == f"/settings/pipelines/{sales.pipeline.pk}/#stages"
    assert [name for name, _p in positions(sales.pipeline)] == [
        "Новий",
        "Виграно",
        "Пропозиція",
        "Програно",
    ]
    sales.offer.refresh_from_db()
    assert sales.offer.active is False


def test_the_drag_and_drop_order_is_saved(admin, sales):
    order = [sales.offer.pk, sales.new.pk, sales.won.pk, sales.lost.pk]

    response = client_for(admin).post(
        f"/settings/pipelines/{sales.pipeline.pk}/stages/order/",
        {"stage": order},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 204
    assert [name for name, _p in positions(sales.pipeline)][:2] == ["Пропозиція", "Новий"]


def test_a_refused_retirement_says_why_on_the_page(admin, owner, contact, sales):
    for _ in range(3):
        make_deal(owner, contact, stage=sales.offer.pk)
    client = client_for(admin)

    response = client.post(
        f"/settings/stages/{sales.offer.pk}/active/", {"active": "0"}, follow=True
    )

    page = response.content.decode()
    assert "3 open deals are in this stage; move them first." in page
    sales.offer.refresh_from_db()
    assert sales.offer.active is True


def test_a_stage_is_edited_on_its_page(admin, sales):
    client = client_for(admin)
    form = client.get(f"/settings/stages/{sales.offer.pk}/edit/")
    assert 'value="Пропозиція"' in form.content.decode()

    response = client.post(
        f"/settings/stages/{sales.offer.pk}/edit/",
        {"name": "Оферта", "kind": "open", "probability": "70"},
    )

    assert response.status_code == 302
    sales.offer.refresh_from_db()
    assert (sales.offer.name, sales.offer.probability) == ("Оферта", 70)


def test_a_refused_kind_change_is_shown_next_to_the_kind(admin, sales):
    stage_set_active(actor=admin, stage=sales.offer, active=False)

    response = client_for(admin).post(
        f"/settings/stages/{sales.new.pk}/edit/", {"name": "Новий", "kind": "lost"}
    )

    assert response.status_code == 200
    assert "last open stage" in response.context["form"].errors["kind"][0]
    sales.new.refresh_from_db()
    assert sales.new.kind == "open"


def test_default_and_retirement_of_a_pipeline_on_its_page(admin, sales):
    second = pipeline_create(actor=admin, name="Сервіс")
    stage_create(actor=admin, pipeline=second, name="Заявка")
    client = client_for(admin)

    refused = client.post(
        f"/settings/pipelines/{sales.pipeline.pk}/active/", {"active": "0"}, follow=True
    )
    client.post(f"/settings/pipelines/{second.pk}/default/")
    retired = client.post(f"/settings/pipelines/{sales.pipeline.pk}/active/", {"active": "0"})

    assert "make another one the default first" in refused.content.decode()
    assert retired.status_code == 302
    sales.pipeline.refresh_from_db()
    second.refresh_from_db()
    assert (second.is_default, sales.pipeline.is_default, sales.pipeline.active) == (
        True,
        False,
        False,
    )


def test_lost_reasons_on_their_pages(admin, reason):
    client = client_for(admin)

    client.post("/settings/lost-reasons/new/", {"name": "Немає бюджету"})
    duplicate = client.post("/settings/lost-reasons/new/", {"name": "Немає бюджету"})
    client.post(f"/settings/lost-reasons/{reason.pk}/edit/", {"name": "Задорого"})
    client.post(f"/settings/lost-reasons/{reason.pk}/move/", {"direction": "down"})
    client.post(f"/settings/lost-reasons/{reason.pk}/active/", {"active": "0"})

    assert duplicate.status_code == 200
    assert "name" in duplicate.context["form"].errors
    assert list(
        LostReason.objects.order_by("position").values_list("name", "position", "active")
    ) == [("Немає бюджету", 0, True), ("Задорого", 1, False)]
    page = client.get("/settings/lost-reasons/").content.decode()
    assert "Задорого" in page
    assert "not offered" in page
