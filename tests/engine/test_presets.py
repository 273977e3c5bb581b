"""Each preset against cases computed by hand from its seed document.

The arithmetic in each docstring is the hand calculation; the engine must
agree to the fen, and with the grade and award eligibility the document gives.
"""

from decimal import Decimal

import pytest

from jixiao.engine import evaluate, presets

D = Decimal


def score(preset: str, values: dict, vetoes: tuple[str, ...] = ()):
    return evaluate(presets.load(preset), values, vetoes)


def test_every_preset_loads_and_declares_its_source():
    assert presets.names() == [
        "bailian-town",
        "haiyong-taskforce",
        "hami-transport",
        "moa-3plus2",
        "town-cadre",
        "water-bureau",
        "xiazigai-township",
    ]
    for name in presets.names():
        scheme = presets.load(name)
        assert scheme.id == name
        assert scheme.source, name


# -- bailian-town (002 篇一): 指标考核 × 80% + 公众评议 × 20% − 察访核验 (≤ 3) -----------


def test_bailian_float_trap_lands_on_the_boundary_in_the_upper_band():
    """87.8 × 0.8 + 99.8 × 0.2 − 0.2 = 70.24 + 19.96 − 0.2 = 90.00 → 优.

    In binary floats the same sum is 89.99999999999999 and would grade 良.
    """
    assert 87.8 * 0.8 + 99.8 * 0.2 - 0.2 < 90  # the trap is real
    result = score("bailian-town", {"indicators": 87.8, "public": 99.8, "inspection": [0.2]})
    assert result.total == D("90.00")
    assert result.exact_total == D("90")
    assert result.grade == "优"
    assert result.award_eligible


def test_bailian_just_below_90_is_liang():
    """87.8 × 0.8 + 99.75 × 0.2 − 0.2 = 70.24 + 19.95 − 0.2 = 89.99 → 良."""
    result = score("bailian-town", {"indicators": 87.8, "public": 99.75, "inspection": [0.2]})
    assert (result.total, result.grade) == (D("89.99"), "良")


@pytest.mark.parametrize(
    ("indicators", "public", "total", "grade"),
    [
        ("85", "85", "85.00", "良"),  # on the 85 boundary
        ("85", "84.95", "84.99", "一般"),  # 68 + 16.99
        ("75", "75", "75.00", "一般"),  # on the 75 boundary
        ("75", "74.95", "74.99", "差"),  # 60 + 14.99
        ("60", "60", "60.00", "差"),
    ],
)
def test_bailian_grade_boundaries_from_both_sides(indicators, public, total, grade):
    result = score("bailian-town", {"indicators": indicators, "public": public, "inspection": []})
    assert (result.total, result.grade) == (D(total), grade)


def test_bailian_inspection_deductions_stop_at_three_points():
    """95 × 0.8 + 90 × 0.2 − min(3, 1 + 1.5 + 2) = 76 + 18 − 3 = 91.00."""
    result = score("bailian-town", {"indicators": 95, "public": 90, "inspection": [1, 1.5, 2]})
    assert result.total == D("91.00")
    inspection = result.to_dict()["breakdown"]["tree"]["children"][2]
    assert inspection["score"] == D("-3")
    assert inspection["caps"] == [{"rule": "cap", "limit": "3", "before": "4.5"}]


def test_bailian_level_one_indicators_roll_up_and_low_grade_loses_the_award():
    """(90 × 40% + 80 × 35% + 70 × 25%) = 81.5; 81.5 × 0.8 + 80 × 0.2 = 65.2 + 16 = 81.20.

    一般 is below 良, and 获得一般或差的，不予奖励.
    """
    values = {
        "indicators.sustainable": 90,
        "indicators.livelihood": 80,
        "indicators.governance": 70,
        "public": 80,
        "inspection": [],
    }
    result = score("bailian-town", values)
    assert (result.total, result.grade) == (D("81.20"), "一般")
    assert not result.award_eligible
    assert result.reasons == ["等次为一般，未达到良"]
    indicators = result.to_dict()["breakdown"]["tree"]["children"][0]
    assert indicators["score"] == D("81.5")
    assert indicators["contribution"] == D("65.2")


def test_bailian_veto_removes_award_eligibility_but_keeps_total_and_grade():
    result = score(
        "bailian-town", {"indicators": 95, "public": 95, "inspection": []}, ("安全生产",)
    )
    assert (result.total, result.grade) == (D("95.00"), "优")
    assert not result.award_eligible
    assert result.reasons == ["一票否决：安全生产"]


def test_bailian_total_rounds_half_up_only_at_the_end():
    """89.99375 × 0.8 + 90 × 0.2 = 71.995 + 18 = 89.995 → 90.00 (half-up) → 优."""
    result = score("bailian-town", {"indicators": "89.99375", "public": 90, "inspection": []})
    assert result.exact_total == D("89.995")
    assert (result.total, result.grade) == (D("90.00"), "优")


# -- water-bureau (002 篇三): 业务 60% (10 × [完成 90 / 进步 5 / 创新 5]) + 行政能力 40% --


def _water_values(**overrides):
    values = {}
    for n in range(1, 11):
        for part in ("completion", "progress", "innovation"):
            values[f"business.{n}.{part}"] = 100
    values.update({"admin.democratic": 90, "admin.lawful": 80, "admin.efficient": 70})
    values["admin.clean"] = 100
    values.update(overrides)
    return values


def test_water_bureau_completion_progress_innovation_split():
    """business.1 = 80 × 0.9 + 100 × 0.05 + 100 × 0.05 = 82; business = (82 + 900) / 10 = 98.2;
    admin = (90 + 80 + 70 + 100) / 4 = 85; total = 98.2 × 0.6 + 85 × 0.4 = 58.92 + 34 = 92.92.
    """
    result = score("water-bureau", _water_values(**{"business.1.completion": 80}))
    assert (result.total, result.grade) == (D("92.92"), "优")
    business = result.to_dict()["breakdown"]["tree"]["children"][0]
    assert business["score"] == D("98.2")
    assert business["children"][0]["score"] == D("82")


def test_water_bureau_value_at_a_level_one_indicator_stands_for_its_parts():
    values = _water_values()
    for part in ("completion", "progress", "innovation"):
        del values[f"business.2.{part}"]
    values["business.2"] = 50  # (50 + 900) / 10 = 95; 95 × 0.6 + 34 = 91
    assert score("water-bureau", values).total == D("91.00")


# -- hami-transport (002 篇四): 任务 × 60% + 机关效能 (100 − 0.5 × 缺席) × 40% ----------


def _hami(tasks, absences, consecutive=0, total_leave=0):
    values = {"tasks": tasks, "absences": absences}
    values.update({"leave_consecutive_days": consecutive, "leave_total_days": total_leave})
    return score("hami-transport", values)


def test_hami_absences_cost_half_a_point_of_efficiency():
    """efficiency = 100 − 0.5 × 2 = 99; 96 × 0.6 + 99 × 0.4 = 57.6 + 39.6 = 97.20 → 优秀."""
    result = _hami(96, 2)
    assert (result.total, result.grade, result.award_eligible) == (D("97.20"), "优秀", True)
    efficiency = result.to_dict()["breakdown"]["tree"]["children"][1]
    assert efficiency["score"] == D("99")
    assert efficiency["formula"] == "100 − 0.5 × 2"


def test_hami_95_boundary_from_both_sides():
    """95 × 0.6 + (100 − 5) × 0.4 = 95.00 → 优秀; with 11 absences 57 + 37.8 = 94.80 → 合格."""
    assert (_hami(95, 10).total, _hami(95, 10).grade) == (D("95.00"), "优秀")
    assert (_hami(95, 11).total, _hami(95, 11).grade) == (D("94.80"), "合格")


def test_hami_75_boundary_and_efficiency_floor():
    """75 × 0.6 + 75 × 0.4 = 75 → 合格; 250 absences floor efficiency at 0: 80 × 0.6 = 48."""
    assert _hami(75, 50).grade == "合格"
    assert _hami(74, 50).grade == "不合格"  # 44.4 + 30 = 74.4
    floored = _hami(80, 250)
    assert floored.total == D("48.00")
    assert floored.to_dict()["breakdown"]["tree"]["children"][1]["caps"][0]["rule"] == "floor"


def test_hami_leave_over_the_limits_removes_award_eligibility():
    assert _hami(99, 0, consecutive=15, total_leave=30).award_eligible  # "超过" is strict
    long_leave = _hami(99, 0, consecutive=16)
    assert not long_leave.award_eligible
    assert long_leave.reasons == ["事假病假连续超过十五天，取消评优资格（连续事假病假天数 16）"]
    assert not _hami(99, 0, total_leave=31).award_eligible
    assert _hami(99, 0, consecutive=16).grade == "优秀"  # the grade stands


# -- town-cadre (003): 本职 90% + 中心 10%, each 部门负责人 50 / 自评 20 / 民主测评 30 ------


CADRE = {
    "duty.head": 90,
    "duty.self": 95,
    "duty.peer": 80,
    "central.head": 80,
    "central.self": 90,
    "central.peer": 70,
}


def test_town_cadre_rater_weights():
    """duty = 45 + 19 + 24 = 88; central = 40 + 18 + 21 = 79; 88 × 0.9 + 79 × 0.1 = 87.10."""
    result = score("town-cadre", CADRE)
    assert (result.total, result.grade) == (D("87.10"), "良好")


def test_town_cadre_village_item_takes_its_weight_from_the_others():
    """With 蹲点村 95 at 10%: 88 × 81% + 79 × 9% + 95 × 10% = 71.28 + 7.11 + 9.5 = 87.89."""
    result = score("town-cadre", {**CADRE, "village": 95})
    assert result.total == D("87.89")
    duty = result.to_dict()["breakdown"]["tree"]["children"][0]
    assert duty["effective_weight"] == D("81")


# -- xiazigai-township (000): 50% own + 50% unit ---------------------------------------


def test_xiazigai_half_of_a_persons_score_is_their_units():
    assert score("xiazigai-township", {"own": 90, "unit": 80}).total == D("85.00")
    result = score("xiazigai-township", {"own": 92, "unit": "87.5"})
    assert (result.total, result.grade) == (D("89.75"), "良好")


# -- haiyong-taskforce (001): monthly group score ---------------------------------------


def test_haiyong_monthly_group_score():
    """90 × 40% + 80 × 20% + 100 × 15% + 85 × 15% + 100 × 10% = 36 + 16 + 15 + 12.75 + 10."""
    values = {"results": 90, "plan": 80, "timeliness": 100, "ballot": 85, "stability": 100}
    result = score("haiyong-taskforce", values)
    assert (result.total, result.grade) == (D("89.75"), "良")


# -- moa-3plus2 (004): 3 main parts of 基础分 + 效果分, innovation bonus, misconduct penalty --


def _moa_values(**overrides):
    scheme = presets.load("moa-3plus2")
    values = {}
    for node, _depth in scheme.walk():
        if node.kind == "score":
            values[node.id] = node.max  # full marks: base 60, effect 40
    values.update({"innovation": [], "misconduct": []})
    values.update(overrides)
    return values


def test_moa_base_plus_effect_bonus_and_penalty():
    """立项督查 50 + 30 = 80; 职能履行 (80 + 100) / 2 = 90; 90 × 0.5 + 100 × 0.25 + 100 × 0.25
    = 95; innovation min(2, 3) + 1 = 3; misconduct −2: 95 + 3 − 2 = 96.00 → 优秀.
    """
    values = _moa_values(
        **{"function.projects.base": 50, "function.projects.effect": 30},
        innovation=[3, 1],
        misconduct=[2],
    )
    result = score("moa-3plus2", values)
    assert (result.total, result.grade) == (D("96.00"), "优秀")
    tree = result.to_dict()["breakdown"]["tree"]
    innovation = next(c for c in tree["children"] if c["id"] == "innovation")
    assert innovation["score"] == D("3")
    assert innovation["caps"] == [{"rule": "item_cap", "limit": "2", "items_capped": "1"}]


def test_moa_bonus_total_is_capped_at_five():
    result = score("moa-3plus2", _moa_values(innovation=[2, 2, 2]))
    assert result.total == D("105.00")  # 100 + min(5, 6)
