"""Writing deals through the services: what is stored, what is refused (nothing saved), who may."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from clientela.core.audit import audit_history
from clientela.core.errors import EditConflict
from clientela.sales.models import Deal, DealStageChange, Purchase
from clientela.sales.services import (
    deal_create,
    deal_delete,
    deal_move_stage,
    deal_restore,
    deal_update,
    pipeline_create,
    stage_create,
)
from clientela.sales.signals import deal_won
from conftest import make_contact
from sales.support import make_deal


@pytest.fixture
def deal(owner, contact, sales):
    return make_deal(owner, contact)


def test_new_deal_starts_in_the_first_open_stage_of_the_default_pipeline(owner, contact, sales):
    deal = make_deal(owner, contact, value="2500.5", currency=" eur")

    deal.refresh_from_db()
    assert (deal.pipeline, deal.stage) == (sales.pipeline, sales.new)
    assert deal.value == Decimal("2500.50")
    assert deal.currency == "EUR"
    assert deal.probability == 10
    assert deal.owner == owner
    assert deal.team == owner.team
    assert deal.closed_at is None
    change = DealStageChange.objects.get(deal=deal)
    assert (change.from_stage, change.to_stage, change.actor) == (None, sales.new, owner)
    event = audit_history(deal).get(action="create")
    assert event.changes["stage"] == [None, "Новий"]


def test_deal_of_a_company_only(owner, company, sales):
    deal = make_deal(owner, company)

    assert deal.company == company
    assert deal.contact is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"value": "-1"}, "value"),
        ({"value": "abc"}, "value"),
        ({"value": "1.005"}, "value"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": ""}, "currency"),
        ({"title": "  "}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"contact": None}, "contact"),
        ({"probability": 101}, "probability"),
        ({"expected_close": "31.12.2026"}, "expected_close"),
        ({"owner": 10**9}, "owner"),
    ],
)
def test_bad_deal_is_refused_by_field_and_nothing_saved(owner, contact, sales, counts, data, field):
    before = counts()

    with pytest.raises(ValidationError) as caught:
        make_deal(owner, contact, **data)

    assert field in caught.value.message_dict
    assert counts() == before


def test_a_contact_the_actor_cannot_see_is_no_client(owner, outsider, sales, counts):
    theirs = make_contact(outsider)
    before = counts()

    with pytest.raises(ValidationError) as caught:
        make_deal(owner, theirs)

    assert list(caught.value.message_dict) == ["contact"]
    assert counts() == before


def test_creating_in_a_stage_of_another_pipeline_is_refused(owner, contact, other_stage, counts):
    before = counts()

    with pytest.raises(ValidationError) as caught:
        make_deal(owner, contact, stage=other_stage.pk)

    assert list(caught.value.message_dict) == ["stage"]
    assert counts() == before


def test_creating_a_lost_deal_needs_a_reason(owner, contact, sales, reason, counts):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        make_deal(owner, contact, stage=sales.lost.pk)
    assert list(caught.value.message_dict) == ["lost_reason"]
    assert counts() == before

    deal = make_deal(owner, contact, stage=sales.lost.pk, lost_reason=reason.pk)

    assert deal.lost_reason == reason
    assert deal.closed_at is not None
    assert deal.probability == 0


def test_viewer_cannot_create_a_deal(viewer, contact, sales):
    with pytest.raises(PermissionDenied):
        deal_create(actor=viewer, data={"title": "x", "contact": contact.pk})


def test_only_an_admin_configures_pipelines(owner, lead, sales):
    for user in (owner, lead):
        with pytest.raises(PermissionDenied):
            pipeline_create(actor=user, name="Мій")
        with pytest.raises(PermissionDenied):
            stage_create(actor=user, pipeline=sales.pipeline, name="Мій")


def test_a_new_default_pipeline_replaces_the_old_default(admin, sales):
    second = pipeline_create(actor=admin, name="Опт", is_default=True)

    sales.pipeline.refresh_from_db()
    assert second.is_default
    assert not sales.pipeline.is_default
    assert sales.won.probability == 100
    assert sales.lost.probability == 0


def test_bad_stage_is_refused(admin, sales):
    with pytest.raises(ValidationError) as caught:
        stage_create(actor=admin, pipeline=sales.pipeline, name="", kind="maybe", probability=150)

    assert set(caught.value.message_dict) == {"name", "kind", "probability"}


# --- moving ------------------------------------------------------------------------------------


def test_move_records_the_change_and_the_probability(owner, deal, sales):
    moved = deal_move_stage(deal=deal, stage=sales.offer, actor=owner)

    moved.refresh_from_db()
    assert moved.stage == sales.offer
    assert moved.probability == 50
    assert moved.closed_at is None
    change = DealStageChange.objects.filter(deal=deal).latest("at", "id")
    assert (change.from_stage, change.to_stage, change.actor) == (sales.new, sales.offer, owner)
    event = audit_history(deal).get(action="update")
    assert event.changes["stage"] == ["Новий", "Пропозиція"]


def test_moving_to_a_stage_of_another_pipeline_names_the_stage(owner, deal, other_stage, counts):
    before = counts()

    with pytest.raises(ValidationError) as caught:
        deal_move_stage(deal=deal, stage=other_stage, actor=owner)

    assert list(caught.value.message_dict) == ["stage"]
    assert counts() == before
    deal.refresh_from_db()
    assert deal.stage_id != other_stage.pk


def test_lost_without_a_reason_is_refused(owner, deal, sales, counts):
    before = counts()

    with pytest.raises(ValidationError) as caught:
        deal_move_stage(deal=deal, stage=sales.lost, actor=owner)

    assert list(caught.value.message_dict) == ["lost_reason"]
    assert counts() == before
    deal.refresh_from_db()
    assert deal.stage == sales.new


def test_lost_with_a_reason_closes_and_reopening_clears_it(owner, deal, sales, reason):
    lost = deal_move_stage(deal=deal, stage=sales.lost, actor=owner, lost_reason=reason)
    assert lost.closed_at is not None
    assert lost.lost_reason == reason

    reopened = deal_move_stage(deal=lost, stage=sales.offer, actor=owner)

    reopened.refresh_from_db()
    assert reopened.closed_at is None
    assert reopened.lost_reason is None


def test_an_inactive_reason_is_refused(owner, deal, sales, reason):
    reason.active = False
    reason.save()

    with pytest.raises(ValidationError) as caught:
        deal_move_stage(deal=deal, stage=sales.lost, actor=owner, lost_reason=reason)

    assert list(caught.value.message_dict) == ["lost_reason"]


def test_second_mover_of_the_same_deal_gets_a_conflict(owner, lead, deal, sales, counts):
    # given: both opened the board with the deal in "New"
    seen_by_owner = Deal.objects.get(pk=deal.pk)
    seen_by_lead = Deal.objects.get(pk=deal.pk)
    deal_move_stage(deal=seen_by_owner, stage=sales.offer, actor=owner)
    before = counts()

    # when: the lead drops the card it still sees in "New"
    with pytest.raises(EditConflict) as caught:
        deal_move_stage(deal=seen_by_lead, stage=sales.won, actor=lead)

    # then
    assert "Пропозиція" in str(caught.value)
    assert counts() == before
    deal.refresh_from_db()
    assert deal.stage == sales.offer


def test_expected_stage_is_checked_against_the_stored_deal(owner, deal, sales):
    deal_move_stage(deal=deal, stage=sales.offer, actor=owner)
    fresh = Deal.objects.get(pk=deal.pk)

    with pytest.raises(EditConflict):
        deal_move_stage(deal=fresh, stage=sales.won, actor=owner, expected_stage=sales.new.pk)

    moved = deal_move_stage(deal=fresh, stage=sales.won, actor=owner, expected_stage=sales.offer)
    assert moved.stage == sales.won


def test_won_with_purchase_details_creates_the_purchase(owner, deal, sales, contact):
    won = deal_move_stage(
        deal=deal,
        stage=sales.won,
        actor=owner,
        purchase={"description": "Плитка", "discount_percent": "5"},
    )

    assert won.closed_at is not None
    assert won.probability == 100
    purchase = Purchase.objects.get(deal=won)
    assert purchase.contact == contact
    assert (purchase.amount, purchase.currency) == (Decimal("1500.00"), "UAH")
    assert purchase.discount_percent == Decimal("5")
    assert purchase.owner == owner


def test_bad_purchase_details_undo_the_whole_move(owner, deal, sales, counts):
    before = counts()

    with pytest.raises(ValidationError) as caught:
        deal_move_stage(deal=deal, stage=sales.won, actor=owner, purchase={"amount": "-5"})

    assert list(caught.value.message_dict) == ["purchase.amount"]
    assert counts() == before
    deal.refresh_from_db()
    assert deal.stage == sales.new


def test_purchase_details_only_for_a_won_stage(owner, deal, sales):
    with pytest.raises(ValidationError) as caught:
        deal_move_stage(deal=deal, stage=sales.offer, actor=owner, purchase={})

    assert list(caught.value.message_dict) == ["purchase"]


def test_deal_won_is_sent_after_the_commit_only(
    owner, deal, sales, django_capture_on_commit_callbacks
):
    received = []

    def on_won(sender, deal, actor, purchase, **kwargs):
        received.append((deal.pk, deal.stage_id, actor, purchase))

    deal_won.connect(on_won)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            deal_move_stage(deal=deal, stage=sales.won, actor=owner, purchase={})
        assert received == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        deal_won.disconnect(on_won)

    purchase = Purchase.objects.get(deal=deal)
    assert received == [(deal.pk, sales.won.pk, owner, purchase)]


def test_a_failing_receiver_does_not_undo_the_win(
    owner, deal, sales, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("the task app is down")

    deal_won.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            deal_move_stage(deal=deal, stage=sales.won, actor=owner)
    finally:
        deal_won.disconnect(broken)

    deal.refresh_from_db()
    assert deal.stage == sales.won


def test_moving_to_lost_or_open_sends_no_deal_won(
    owner, deal, sales, reason, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        deal_move_stage(deal=deal, stage=sales.lost, actor=owner, lost_reason=reason)

    assert callbacks == []


def test_others_cannot_move_what_they_do_not_see(teammate, outsider, viewer, deal, sales):
    for user in (teammate, outsider):
        with pytest.raises(Http404):
            deal_move_stage(deal=deal, stage=sales.offer, actor=user)
    with pytest.raises(PermissionDenied):
        deal_move_stage(deal=deal, stage=sales.offer, actor=viewer)


# --- changing, trash ---------------------------------------------------------------------------


def test_update_changes_the_fields_sent(owner, deal, company):
    updated = deal_update(
        actor=owner,
        deal=deal,
        data={"title": "Ремонт складу", "value": "99", "company": company.pk},
        expected_updated_at=deal.updated_at,
    )

    updated.refresh_from_db()
    assert updated.title == "Ремонт складу"
    assert updated.value == Decimal("99.00")
    assert updated.company == company
    event = audit_history(deal).get(action="update")
    assert event.changes["value"] == ["1500.00", "99.00"]


def test_update_after_someone_else_is_a_conflict(owner, lead, deal, counts):
    seen_at = deal.updated_at
    deal_update(actor=lead, deal=deal, data={"source": "виставка"})
    before = counts()

    with pytest.raises(EditConflict):
        deal_update(actor=owner, deal=deal, data={"title": "Моє"}, expected_updated_at=seen_at)

    assert counts() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"value": "-0.01"}, "value"),
        ({"currency": "HRYVNIA"}, "currency"),
        ({"contact": None}, "contact"),
        ({"stage": 1}, "stage"),
        ({"lost_reason": 1}, "lost_reason"),
    ],
)
def test_bad_update_is_refused_and_nothing_saved(owner, deal, counts, data, field):
    before = counts()

    with pytest.raises(ValidationError) as caught:
        deal_update(actor=owner, deal=deal, data=data)

    assert field in caught.value.message_dict
    assert counts() == before
    stored = Deal.objects.get(pk=deal.pk)
    assert (stored.value, stored.currency, stored.contact_id) == (
        Decimal("1500.00"),
        "UAH",
        deal.contact_id,
    )


def test_delete_and_restore(owner, teammate, deal):
    with pytest.raises(Http404):
        deal_delete(actor=teammate, deal=deal)

    deal_delete(actor=owner, deal=deal)
    assert not Deal.objects.filter(pk=deal.pk).exists()
    with pytest.raises(PermissionDenied):
        deal_restore(actor=teammate, deal=deal)

    deal_restore(actor=owner, deal=deal)
    assert Deal.objects.filter(pk=deal.pk).exists()


def test_deals_follow_their_owner_to_another_team(owner, deal, team_b):
    owner.team = team_b
    owner.save(update_fields=["team"])

    deal.refresh_from_db()
    assert deal.team == team_b


def test_deal_keeps_its_client_protected(owner, contact, deal):
    # A deal's history belongs to the relationship: its client cannot vanish under it.
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        contact.delete()


def test_expected_close_is_a_date(owner, contact, sales):
    deal = make_deal(owner, contact, expected_close="2026-12-31")

    assert deal.expected_close == datetime.date(2026, 12, 31)
