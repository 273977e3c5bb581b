"""Reward pools from the seeds, with figures computed by hand (see each test)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jixiao.assessments.models import Status
from jixiao.audit.models import AuditEvent
from jixiao.rewards.models import RewardPool, RuleKind, Source
from jixiao.rewards.services import (
    PoolInput,
    RewardConflict,
    reward_pool_create,
    reward_pool_update,
    reward_share_update,
)
from tests.rewards.conftest import make_assessment

D = Decimal


def county(reward="10000", grade="良", rule=RuleKind.CONTRIBUTION, **kw) -> PoolInput:
    return PoolInput(
        name="2024年度绩效奖励",
        source=Source.COUNTY_MATCHED,
        county_reward=reward,
        county_grade=grade,
        rule=rule,
        **kw,
    )


def entered(amount, rule, **kw) -> PoolInput:
    return PoolInput(
        name="2024年终绩效奖", source=Source.ENTERED, entered_amount=amount, rule=rule, **kw
    )


def table(pool: RewardPool) -> dict[str, Decimal]:
    """Amounts by person name (a share's label also shows the post: 张伟（主任）)."""
    return {s.subject.person.name: s.amount for s in pool.shares.order_by("sort")}


def row(pool: RewardPool, name: str):
    return pool.shares.get(subject__person__name=name)


def rows(pool: RewardPool) -> dict:
    return {s.subject.person.name: s for s in pool.shares.select_related("subject__person")}


def create(cast, year, final, data) -> RewardPool:
    return reward_pool_create(actor=cast.office, year=year, assessment=final, data=data)


def test_county_reward_matched_and_shared_by_contribution(cast, year, final) -> None:
    # 002 篇一: county pays 10 000 for a 良, the town matches it: pool 20 000.00.
    # Eligible totals 92.5 + 88 + 80 + 70 = 330.5 (陈静 vetoed: 0).
    # Exact fen: 559757.94, 532526.48, 484114.98, 423600.61 → floors sum to 1 999 997;
    # the 3 fen go to the largest remainders: .98 (刘洋), .94 (李建国), .61 (周敏).
    pool = create(cast, year, final, county())
    assert pool.amount == D("20000.00") and pool.version == 1
    assert "镇配套 10000.00" in pool.amount_note
    assert table(pool) == {
        "李建国": D("5597.58"),
        "张伟": D("5325.26"),
        "刘洋": D("4841.15"),
        "陈静": D("0.00"),
        "周敏": D("4236.01"),
    }
    assert sum(table(pool).values()) == pool.amount
    vetoed = row(pool, "陈静")
    assert not vetoed.eligible and vetoed.reason == "一票否决：安全生产"
    assert row(pool, "张伟").reason == "总分 88"
    event = AuditEvent.objects.get(action="rewards.pool_create")
    assert event.after["allocation"]["李建国（党委副书记）"] == "5597.58" and event.before is None


def test_no_reward_when_the_county_grade_is_below_liang(cast, year, final) -> None:
    pool = create(cast, year, final, county(grade="一般"))
    assert pool.amount == D("0.00") and "不予奖励" in pool.amount_note
    assert set(table(pool).values()) == {D("0.00")}


def test_grade_coefficients(cast, year, final) -> None:
    # Our defaults: 优秀 1.2, 良好 1.0, 及格 0.8, 不及格 0. 10 000 over 3.0:
    # 4000.00, 3333.33⅓, 2666.66⅔ → the one fen left goes to the ⅔ (刘洋).
    pool = create(cast, year, final, entered("10000", RuleKind.GRADE_COEFFICIENT))
    assert table(pool) == {
        "李建国": D("4000.00"),
        "张伟": D("3333.33"),
        "刘洋": D("2666.67"),
        "陈静": D("0.00"),
        "周敏": D("0.00"),
    }
    assert row(pool, "周敏").reason == "等次 不及格，系数 0"
    assert row(pool, "周敏").eligible  # eligible, but the grade pays nothing


def test_grade_without_a_coefficient_is_refused_and_nothing_changes(cast, year, final) -> None:
    pool = create(cast, year, final, entered("10000", RuleKind.CONTRIBUTION))
    data = entered("10000", RuleKind.GRADE_COEFFICIENT, coefficients={"优秀": "1.5"})
    with pytest.raises(ValidationError, match="张伟（主任） 的等次“良好”没有设置系数"):
        reward_pool_update(actor=cast.office, pool=pool, version=1, data=data)
    pool.refresh_from_db()
    assert pool.rule == RuleKind.CONTRIBUTION and pool.version == 1
    assert not AuditEvent.objects.filter(action="rewards.pool_update").exists()


def test_monthly_compliance_ties_a_share_of_the_bonus_to_the_months(cast, year, final) -> None:
    # 003: 20 % of the year-end bonus tied to the monthly checks (our default share).
    # weight = total × (0.8 + 0.2 × months/12): 92.5×1, 88×(0.8+0.2×10/12)=85.0666…,
    # 80×1, 70×(0.8+0.2×6/12)=63 → 320.5666…; 30 000 in fen: 865654.57, 796090.26,
    # 748674.22, 589580.95 → 2 fen left to .95 (周敏) and .57 (李建国).
    pool = create(cast, year, final, entered("30000", RuleKind.MONTHLY_COMPLIANCE))
    assert pool.compliance_share == D("0.2")
    shares = rows(pool)
    for version, (label, months) in enumerate(
        [("李建国", 12), ("张伟", 10), ("刘洋", 12), ("周敏", 6)], start=1
    ):
        reward_share_update(
            actor=cast.office, share=shares[label], version=version, months_ok=months
        )
    pool.refresh_from_db()
    assert pool.version == 5
    assert table(pool) == {
        "李建国": D("8656.55"),
        "张伟": D("7960.90"),
        "刘洋": D("7486.74"),
        "陈静": D("0.00"),
        "周敏": D("5895.81"),
    }
    zhang = row(pool, "张伟")
    assert zhang.weight == D("85.06666667")
    assert zhang.reason == "总分 88 × (1 − 0.2 + 0.2 × 10/12)"


def test_months_not_entered_count_as_twelve_with_a_note(cast, year, final) -> None:
    pool = create(cast, year, final, entered("100", RuleKind.MONTHLY_COMPLIANCE))
    assert "未录入合格月数，按 12 个月计" in row(pool, "张伟").reason


def test_entered_contribution_replaces_the_total_and_exclusion_needs_a_reason(
    cast, year, final
) -> None:
    # 100.00 shared by 李建国 10 (entered), 张伟 88, 刘洋 80, 周敏 excluded:
    # 100 × 10/178 = 5.6179… , 49.4382…, 44.9438… → floors 5.61 + 49.43 + 44.94 = 99.98;
    # 2 fen to the remainders .79 (李建国) and .82 (张伟): 5.62, 49.44, 44.94.
    pool = create(cast, year, final, entered("100", RuleKind.CONTRIBUTION))
    shares = rows(pool)
    reward_share_update(actor=cast.office, share=shares["李建国"], version=1, contribution="10")
    with pytest.raises(ValidationError, match="请填写原因"):
        reward_share_update(actor=cast.office, share=shares["周敏"], version=2, excluded=True)
    reward_share_update(
        actor=cast.office, share=shares["周敏"], version=2, excluded=True, note="调离"
    )
    pool.refresh_from_db()
    assert table(pool) == {
        "李建国": D("5.62"),
        "张伟": D("49.44"),
        "刘洋": D("44.94"),
        "陈静": D("0.00"),
        "周敏": D("0.00"),
    }
    assert row(pool, "周敏").reason == "不参与分配：调离"
    assert row(pool, "李建国").reason == "贡献值 10"
    event = AuditEvent.objects.filter(action="rewards.share_update").latest("pk")
    assert event.before["row"]["excluded"] is False and event.after["row"]["excluded"] is True
    assert event.before["allocation"]["周敏（科员）"] != "0.00"
    assert event.after["allocation"]["周敏（科员）"] == "0.00"


def test_a_stale_version_is_a_conflict_and_saves_nothing(cast, year, final) -> None:
    pool = create(cast, year, final, entered("100", RuleKind.CONTRIBUTION))
    shares = rows(pool)
    # Two offices loaded version 1; the first saves, the second must not overwrite it.
    reward_share_update(actor=cast.office, share=shares["张伟"], version=1, contribution="50")
    with pytest.raises(RewardConflict, match="第 1 版，现为第 2 版"):
        reward_share_update(actor=cast.office, share=shares["刘洋"], version=1, contribution="1")
    with pytest.raises(RewardConflict):
        reward_pool_update(
            actor=cast.office, pool=pool, version=1, data=entered("999", RuleKind.CONTRIBUTION)
        )
    pool.refresh_from_db()
    assert pool.version == 2 and pool.amount == D("100.00")
    assert row(pool, "刘洋").contribution is None
    assert sum(table(pool).values()) == D("100.00")


def test_changing_the_pool_recomputes_every_share(cast, year, final) -> None:
    pool = create(cast, year, final, county())
    pool = reward_pool_update(
        actor=cast.office, pool=pool, version=1, data=county(reward="0.01", grade="优")
    )
    # 2 fen over 92.5/88/80/70: floors all 0; the two largest remainders are the two
    # largest exact shares, 李建国 and 张伟.
    assert pool.version == 2 and pool.amount == D("0.02")
    assert table(pool) == {
        "李建国": D("0.01"),
        "张伟": D("0.01"),
        "刘洋": D("0.00"),
        "陈静": D("0.00"),
        "周敏": D("0.00"),
    }
    event = AuditEvent.objects.get(action="rewards.pool_update")
    assert event.before["amount"] == "20000.00" and event.after["amount"] == "0.02"


def test_only_a_final_assessment_of_the_same_year(cast, year) -> None:
    draft = make_assessment(cast, year, status=Status.NOTICE)
    with pytest.raises(ValidationError, match="已定案"):
        create(cast, year, draft, county())
    from jixiao.years.services import year_setup

    other = year_setup(actor=cast.office, org=cast.org, year=2025, choices={"person": "town-cadre"})
    draft.status = Status.FINAL
    draft.save()
    with pytest.raises(ValidationError, match="不属于该年度"):
        create(cast, other, draft, county())
    assert not RewardPool.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (county(reward="100.001"), "county_reward"),
        (county(reward="-1"), "county_reward"),
        (county(reward=""), "county_reward"),
        (county(grade="优秀"), "county_grade"),
        (entered("abc", RuleKind.CONTRIBUTION), "entered_amount"),
        (entered("1", "bogus"), "rule"),
        (entered("1", RuleKind.MONTHLY_COMPLIANCE, compliance_share="1.5"), "compliance_share"),
        (entered("1", RuleKind.GRADE_COEFFICIENT, coefficients={"优秀": "-1"}), "coefficients"),
        (entered("1", RuleKind.GRADE_COEFFICIENT, coefficients={"优秀": "x"}), "coefficients"),
        (
            PoolInput(name=" ", source=Source.ENTERED, entered_amount="1", rule="contribution"),
            "name",
        ),
    ],
)
def test_bad_pool_input_names_the_field(cast, year, final, data, field) -> None:
    with pytest.raises(ValidationError) as info:
        create(cast, year, final, data)
    assert field in info.value.message_dict
    assert not RewardPool.objects.exists()


def test_bad_row_input(cast, year, final) -> None:
    pool = create(cast, year, final, entered("100", RuleKind.MONTHLY_COMPLIANCE))
    share = row(pool, "张伟")
    for kwargs, field in [
        ({"months_ok": "13"}, "months_ok"),
        ({"months_ok": "-1"}, "months_ok"),
        ({"contribution": "-5"}, "contribution"),
        ({"contribution": "1.00001"}, "contribution"),
    ]:
        with pytest.raises(ValidationError) as info:
            reward_share_update(actor=cast.office, share=share, version=1, **kwargs)
        assert field in info.value.message_dict
    pool.refresh_from_db()
    assert pool.version == 1


def test_everyone_weighted_zero_is_refused(cast, year, final) -> None:
    pool = create(cast, year, final, entered("100", RuleKind.CONTRIBUTION))
    data = entered(
        "100",
        RuleKind.GRADE_COEFFICIENT,
        coefficients={"优秀": "0", "良好": "0", "及格": "0", "不及格": "0"},
    )
    with pytest.raises(ValidationError, match="无法分配"):
        reward_pool_update(actor=cast.office, pool=pool, version=1, data=data)
    pool.refresh_from_db()
    assert pool.version == 1 and pool.rule == RuleKind.CONTRIBUTION


def test_writes_lock_the_pool_row_where_the_database_can(cast, year, final) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pool = create(cast, year, final, entered("100", RuleKind.CONTRIBUTION))
    with CaptureQueriesContext(connection) as queries:
        reward_share_update(actor=cast.office, share=row(pool, "张伟"), version=1, contribution="5")
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    if connection.features.has_select_for_update:  # PostgreSQL in CI
        assert locks and '"rewards_rewardpool"' in locks[0]
    else:  # SQLite serialises writers itself; the version check still applies
        assert locks == []
