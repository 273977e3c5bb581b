"""Cell parsers and formula-injection neutralisation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.spreadsheets.columns import (
    DANGEROUS_PREFIXES,
    CellError,
    choice,
    code_list,
    date_cell,
    decimal,
    integer,
    neutralise,
    text,
    unneutralise,
)

dangerous = st.sampled_from(DANGEROUS_PREFIXES)


@given(first=dangerous, rest=st.text())
def test_text_starting_with_a_formula_character_is_neutralised(first: str, rest: str) -> None:
    value = first + rest
    result = neutralise(value)
    assert result == "'" + value
    assert not result.startswith(DANGEROUS_PREFIXES)


@given(st.text().filter(lambda s: not s.startswith(DANGEROUS_PREFIXES)))
def test_other_text_is_unchanged(value: str) -> None:
    assert neutralise(value) == value


@given(st.text())
def test_unneutralise_undoes_neutralise(value: str) -> None:
    assert unneutralise(neutralise(value)) == value


def test_neutralise_examples() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\t=cmd") == "'\t=cmd"
    assert neutralise("经济发展办") == "经济发展办"
    assert neutralise("") == ""


def test_text_reads_numbers_typed_as_codes_and_checks_length() -> None:
    parse = text(5)
    assert parse(1001.0) == "1001"
    assert parse("  abc ") == "abc"
    assert parse(None) == ""
    assert parse("'=1+1") == "=1+1"
    with pytest.raises(CellError, match="不能超过 5 个字"):
        parse("六个字的名称")


def test_integer() -> None:
    parse = integer(0)
    assert parse(3) == 3
    assert parse(3.0) == 3
    assert parse(" 7 ") == 7
    assert parse(None) is None
    with pytest.raises(CellError, match="不是整数"):
        parse(2.5)
    with pytest.raises(CellError, match="不是整数"):
        parse("abc")
    with pytest.raises(CellError, match="应在 0 到"):
        parse(-1)


def test_decimal_keeps_exact_values_and_checks_places() -> None:
    parse = decimal(7, 2)
    assert parse(0.1) == Decimal("0.1")
    assert parse(12) == Decimal(12)
    assert parse("1,234.5") == Decimal("1234.5")
    assert parse("") is None
    with pytest.raises(CellError, match="最多 2 位小数"):
        parse(1.125)
    with pytest.raises(CellError, match="不是数字"):
        parse("十")
    with pytest.raises(CellError, match="太大"):
        parse(100000)


def test_dates_from_cells_and_text() -> None:
    assert date_cell(datetime(2025, 6, 30)) == date(2025, 6, 30)
    assert date_cell(date(2025, 6, 30)) == date(2025, 6, 30)
    assert date_cell("2025-6-30") == date(2025, 6, 30)
    assert date_cell("2025/06/30") == date(2025, 6, 30)
    assert date_cell("2025年6月30日") == date(2025, 6, 30)
    assert date_cell(None) is None
    with pytest.raises(CellError, match="不是日期"):
        date_cell("2025-02-30")
    with pytest.raises(CellError, match="不是日期"):
        date_cell("下个月")


def test_choice_names_the_allowed_values() -> None:
    parse = choice({"科室": "section", "村": "village"})
    assert parse("村") == "village"
    with pytest.raises(CellError, match="可选：科室、村"):
        parse("乡")


def test_code_list_separators() -> None:
    assert code_list("p1、p2,p3;p4，p5；p6") == ["p1", "p2", "p3", "p4", "p5", "p6"]
    assert code_list(" p1 、 ") == ["p1"]
    assert code_list(None) == []
