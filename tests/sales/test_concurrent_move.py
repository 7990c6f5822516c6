"""Two people drop the same card at the same moment: one move wins, the other gets a conflict.

A real race needs two connections, so the deal and its stages are committed (transactional
test) and two threads move it at once. On PostgreSQL the row lock makes the second mover wait
for the first and then see the deal in its new stage; SQLite's immediate transactions
serialise the writers the same way.
"""

import threading

import pytest
from django.db import connection

from clientela.core.errors import EditConflict
from clientela.sales.models import Deal, DealStageChange
from clientela.sales.services import deal_move_stage
from sales.support import make_deal


@pytest.mark.django_db(transaction=True)
def test_two_movers_at_once_one_conflict(owner, lead, contact, sales):
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("an in-memory SQLite database is not shared between threads")
    deal = make_deal(owner, contact)
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def move(name, actor, stage):
        seen = Deal.objects.get(pk=deal.pk)  # both saw the deal in "New"
        start.wait()
        try:
            deal_move_stage(deal=seen, stage=stage, actor=actor)
            outcomes[name] = "moved"
        except EditConflict:
            outcomes[name] = "conflict"
        except Exception as exc:  # a failure of the test itself, shown in the assertion
            outcomes[name] = repr(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=move, args=("owner", owner, sales.offer)),
        threading.Thread(target=move, args=("lead", lead, sales.won)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["conflict", "moved"]
    winner = sales.offer if outcomes["owner"] == "moved" else sales.won
    assert Deal.objects.get(pk=deal.pk).stage == winner
    assert DealStageChange.objects.filter(deal=deal).count() == 2  # created + one move
