"""Two offices saving the same pool at once (PostgreSQL: real row locks).

On SQLite (no SELECT … FOR UPDATE) the stale-version test in test_services.py
covers the same rule; here two threads really race.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from jixiao.rewards.models import RewardPool, RuleKind, Source
from jixiao.rewards.services import PoolInput, RewardConflict, reward_share_update
from tests.rewards.conftest import make_assessment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not connection.features.has_select_for_update, reason="needs row locks (PostgreSQL)"
    ),
]


def test_two_saves_of_the_same_version_one_wins_one_conflicts(cast) -> None:
    from jixiao.rewards.services import reward_pool_create
    from jixiao.years.services import year_setup

    year = year_setup(actor=cast.office, org=cast.org, year=2024, choices={"person": "town-cadre"})
    pool = reward_pool_create(
        actor=cast.office,
        year=year,
        assessment=make_assessment(cast, year),
        data=PoolInput(
            name="p", source=Source.ENTERED, entered_amount="100", rule=RuleKind.CONTRIBUTION
        ),
    )
    shares = list(pool.shares.order_by("sort"))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(share, value) -> None:
        try:
            barrier.wait()
            reward_share_update(actor=cast.office, share=share, version=1, contribution=value)
            outcomes.append("saved")
        except RewardConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(shares[0], "1")),
        threading.Thread(target=save, args=(shares[1], "2")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    pool = RewardPool.objects.get(pk=pool.pk)
    assert pool.version == 2
    assert sum(s.amount for s in pool.shares.all()) == Decimal("100.00")
    assert [s.contribution for s in pool.shares.all()].count(None) == len(shares) - 1
