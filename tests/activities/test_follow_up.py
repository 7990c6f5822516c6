"""A won deal gets one follow-up task for its owner, however often the win is announced."""

import datetime
import logging

import pytest
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from clientela.activities.models import Task, TaskOrigin
from clientela.activities.receivers import follow_up_on_win
from clientela.activities.services import task_follow_up_create
from clientela.core.audit import audit_history
from clientela.core.models import FirmSettings
from clientela.sales.models import Deal
from clientela.sales.services import deal_move_stage
from clientela.sales.signals import deal_won


def _title_in(language, deal):
    with translation.override(language):
        return gettext("Follow up: %(deal)s") % {"deal": deal.title}


def _win(deal, stage, actor, capture):
    with capture(execute=True):
        return deal_move_stage(deal=deal, stage=stage, actor=actor)


def test_winning_a_deal_creates_one_follow_up_in_seven_days(
    owner, lead, deal, sales, django_capture_on_commit_callbacks
):
    won = _win(deal, sales.won, lead, django_capture_on_commit_callbacks)

    task = Task.objects.get()
    win_day = timezone.localdate(won.closed_at)
    assert task.due_date == win_day + datetime.timedelta(days=7)
    assert (task.owner, task.team, task.deal, task.contact) == (
        owner,
        owner.team,
        deal,
        deal.contact,
    )
    assert (task.origin, task.created_by) == (TaskOrigin.FOLLOW_UP, None)
    assert task.origin_key == f"deal_won:{deal.pk}:{won.closed_at:%Y%m%dT%H%M%S%f}"
    assert task.due_time is None
    assert not task.is_done
    [event] = audit_history(task)
    assert (event.action, event.actor) == ("create", lead)  # who won it


@pytest.mark.parametrize("days", [0, 3, 30])
def test_the_delay_is_the_firms(owner, deal, sales, django_capture_on_commit_callbacks, days):
    firm = FirmSettings.current()
    firm.follow_up_days = days
    firm.save()

    won = _win(deal, sales.won, owner, django_capture_on_commit_callbacks)

    task = Task.objects.get()
    assert task.due_date == timezone.localdate(won.closed_at) + datetime.timedelta(days=days)


@pytest.mark.parametrize("language", ["en", "uk", "ru"])
def test_the_title_is_in_the_owners_language(
    owner, deal, sales, django_capture_on_commit_callbacks, language
):
    owner.language = language
    owner.save(update_fields=["language"])
    other = "uk" if language == "en" else "en"

    with translation.override(other):
        _win(deal, sales.won, owner, django_capture_on_commit_callbacks)

    assert Task.objects.get().title == _title_in(language, deal)
    assert "Ремонт офісу" in Task.objects.get().title


def test_the_signal_sent_twice_creates_one_task(
    owner, deal, sales, django_capture_on_commit_callbacks
):
    won = _win(deal, sales.won, owner, django_capture_on_commit_callbacks)

    deal_won.send(sender=Deal, deal=won, actor=owner, purchase=None)
    deal_won.send(sender=Deal, deal=won, actor=owner, purchase=None)

    assert Task.objects.count() == 1
    assert task_follow_up_create(deal=won, actor=owner) is None


def test_a_trashed_follow_up_is_not_made_again(
    owner, deal, sales, django_capture_on_commit_callbacks
):
    won = _win(deal, sales.won, owner, django_capture_on_commit_callbacks)
    Task.objects.update(deleted_at=timezone.now())

    deal_won.send(sender=Deal, deal=won, actor=owner, purchase=None)

    assert Task.all_objects.count() == 1


def test_a_deal_won_again_gets_a_new_follow_up(
    owner, deal, sales, django_capture_on_commit_callbacks
):
    _win(deal, sales.won, owner, django_capture_on_commit_callbacks)
    reopened = deal_move_stage(deal=Deal.objects.get(pk=deal.pk), stage=sales.offer, actor=owner)

    _win(reopened, sales.won, owner, django_capture_on_commit_callbacks)

    assert Task.objects.filter(origin=TaskOrigin.FOLLOW_UP).count() == 2


def test_a_rolled_back_win_creates_no_task(owner, deal, sales, django_capture_on_commit_callbacks):
    def move_then_fail():
        with transaction.atomic():
            deal_move_stage(deal=deal, stage=sales.won, actor=owner)
            raise RuntimeError("the request failed after the move")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        move_then_fail()

    assert callbacks == []
    assert Task.all_objects.count() == 0


def test_no_task_for_a_lost_or_open_move(
    owner, deal, sales, reason, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        offered = deal_move_stage(deal=deal, stage=sales.offer, actor=owner)
        deal_move_stage(deal=offered, stage=sales.lost, actor=owner, lost_reason=reason)

    assert Task.all_objects.count() == 0


def test_the_due_date_is_the_owners_local_day_of_the_win(owner, deal, sales):
    owner.time_zone = "America/Los_Angeles"
    owner.save(update_fields=["time_zone"])
    # 03:00 UTC on 10 March is still the 9th in California.
    Deal.objects.filter(pk=deal.pk).update(
        stage=sales.won, closed_at=datetime.datetime(2026, 3, 10, 3, 0, tzinfo=datetime.UTC)
    )

    task = task_follow_up_create(
        deal=Deal.objects.select_related("owner").get(pk=deal.pk), actor=owner
    )

    assert task is not None
    assert task.due_date == datetime.date(2026, 3, 16)


def test_a_failing_follow_up_is_logged_not_lost(caplog, owner, deal):
    broken = Deal(pk=deal.pk, title="Без власника")  # no owner: the task cannot be made

    with caplog.at_level(logging.ERROR, logger="clientela.activities.receivers"):
        follow_up_on_win(sender=Deal, deal=broken, actor=owner)

    [record] = caplog.records
    assert "could not be created" in record.getMessage()
    assert record.exc_info is not None
    assert Task.all_objects.count() == 0
