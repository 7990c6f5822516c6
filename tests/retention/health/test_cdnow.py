"""The published CDNOW fits, reproduced from purchases imported through Clientela's services.

Fader, Hardie & Lee (2005): BG/NBD r = 0.243, α = 4.414, a = 0.793, b = 2.426 (log-likelihood
−9582.4) with the calibration period ending 1997-09-30; Gamma-Gamma on the 946 repeat buyers
p = 6.25, q = 3.74, γ = 15.44.
"""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from clientela.retention.health.models import ClientHealth, FitModel, HealthFit, HealthStatus
from clientela.retention.health.services import health_recompute
from clientela.sales.models import Purchase

from .conftest import CALIBRATION_END, CdnowImport

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def cdnow_fit(cdnow: CdnowImport, django_db_blocker: Any) -> Any:
    """The nightly recompute as it would have run at the end of 1997-09-30."""
    now = timezone.make_aware(datetime.datetime.combine(CALIBRATION_END, datetime.time(23, 0)))
    with django_db_blocker.unblock():
        result = health_recompute(now=now)
        rhythm = HealthFit.objects.get(model=FitModel.BGNBD, currency="")
        value = HealthFit.objects.get(model=FitModel.GAMMA_GAMMA, currency="USD")
    return result, rhythm, value


def test_sample_is_imported_through_the_services(cdnow: CdnowImport) -> None:
    assert len(cdnow.contacts) == 2357
    assert Purchase.objects.filter(contact_id__in=cdnow.contacts.values()).count() == 6919
    print(f"CDNOW import through services: {cdnow.seconds:.1f} s")


def test_bgnbd_fit_matches_the_published_estimates(cdnow_fit: Any) -> None:
    result, rhythm, _value = cdnow_fit
    assert result.enough_history
    assert rhythm.converged
    assert rhythm.enough_history
    assert rhythm.n == 2357
    assert rhythm.repeat_buyers == 946
    params = rhythm.params
    assert round(params["r"], 3) == 0.243
    assert round(params["alpha"], 3) == 4.414
    assert round(params["a"], 3) == 0.793
    assert round(params["b"], 3) == 2.426
    assert rhythm.log_likelihood == pytest.approx(-9582.4, abs=0.05)
    assert rhythm.calibration_end == CALIBRATION_END


def test_gamma_gamma_fit_matches_the_published_estimates(cdnow_fit: Any) -> None:
    _result, _rhythm, value = cdnow_fit
    assert value.converged
    assert value.enough_history
    assert value.n == 946
    assert round(value.params["p"], 2) == 6.25
    assert round(value.params["q"], 2) == 3.74
    assert round(value.params["gamma"], 2) == 15.44


def test_every_cdnow_client_is_scored(cdnow: CdnowImport, cdnow_fit: Any) -> None:
    result, _rhythm, _value = cdnow_fit
    assert result.clients == 2357
    rows = ClientHealth.objects.filter(contact_id__in=cdnow.contacts.values())
    assert rows.filter(status=HealthStatus.SCORED).count() == 2357
    # One-time buyers: P(alive) is 1 in the BG/NBD model (drop-out happens after a purchase).
    one_time = rows.filter(purchases=1)
    assert one_time.count() == 2357 - 946
    assert set(one_time.values_list("p_alive", flat=True)) == {1.0}
    # Client 1 of the sample: bought on 1997-01-01, 01-18, 08-02 (x = 2, t_x = 30.43, T = 38.86).
    first = rows.get(contact_id=cdnow.contacts[1])
    assert first.purchases == 3
    assert first.last_purchase == datetime.date(1997, 8, 2)
    assert first.currency == "USD"
    assert first.expected_value is not None
    assert first.value_at_stake is not None
