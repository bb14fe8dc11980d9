"""The indicator value grammar: parse_target / format_target (rules.md §3 V)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfxl.targets import format_target, is_date_text, parse_target


@pytest.mark.parametrize(
    "raw, op, number, unit",
    [
        ("≥95(%)", "≥", "95", "%"),  # the system's spelling
        ("=100.00(%)", "=", "100.00", "%"),
        ("≤24.00(小时)", "≤", "24.00", "小时"),
        ("≥0.00(次)", "≥", "0.00", "次"),
        ("95(%)", None, "95", "%"),
        ("985米", None, "985", "米"),
        ("10辆", None, "10", "辆"),
        ("292%", None, "292", "%"),
        ("≤95%", "≤", "95", "%"),
        ("＞＝90%", "≥", "90", "%"),  # full-width ＞＝
        (">=90%", "≥", "90", "%"),
        ("≧90(%)", "≥", "90", "%"),
        ("≥90(％)", "≥", "90", "%"),
        ("≥ 95 %", "≥", "95", "%"),
        ("≥95.00（%）", "≥", "95.00", "%"),
        ("≥1,800.00(人)", "≥", "1800.00", "人"),
        ("44,561", None, "44561", None),
        ("≥-5(%)", "≥", "-5", "%"),
        ("=0万元/人", "=", "0", "万元/人"),
        ("≥500(㎡)", "≥", "500", "m2"),  # NFKC: ㎡ → m2, a power is no stray digit
        ("≥12(月)", "≥", "12", "月"),
    ],
)
def test_quantitative_values(raw, op, number, unit):
    target = parse_target(raw)
    assert target.kind == "quantitative", target
    assert (target.op, target.number, target.unit) == (op, Decimal(number), unit)
    assert target.raw == raw


@pytest.mark.parametrize(
    "raw, problem",
    [
        ("二100百分比", "mixed"),
        ("≥百分之九十五", "operator"),
        ("≥**%", "placeholder"),
        ("=-", "placeholder"),
        ("*", "placeholder"),
        ("-", "placeholder"),
        ("xx", "placeholder"),
        ("XX%", "placeholder"),
        ("≥__(%)", "placeholder"),
        ("≥…%", "placeholder"),
        ("××", "placeholder"),
    ],
)
def test_malformed_values(raw, problem):
    target = parse_target(raw)
    assert (target.kind, target.problem) == ("malformed", problem)
    assert target.number is None


@pytest.mark.parametrize(
    "raw",
    ["全年正常运营", "可控", "较好", "达成年度指标", "降低", "95%-100%", "Linux系统稳定运行",
     "2023.07-2024.01", "2021年12月31日前", "12月底前", "2023年底前", "每月10日前",
     "≤2023年12月31日", "2023-07至2023-12"],
)
def test_qualitative_values(raw):
    target = parse_target(raw)
    assert target.kind == "qualitative", target
    assert target.text == raw and target.number is None


@pytest.mark.parametrize(
    "raw, is_date",
    [
        ("2023.07-2024.01", True),
        ("2021年12月31日前", True),
        ("12月底前", True),
        ("2023/7/1", True),
        ("≤2023年12月31日", True),
        ("2023.07", False),  # a number with two decimals as much as a month
        ("12月", False),  # a duration as much as a month
        ("≥12月", False),
        ("≥95(%)", False),
        ("全年正常运营", False),
    ],
)
def test_dates_are_told_from_numbers(raw, is_date):
    assert is_date_text(raw) is is_date


def test_a_unit_holds_no_digits():
    """A range or a date never passes for `number + unit`."""
    assert parse_target("95%-100%").kind == "qualitative"
    assert parse_target("≥90%-100%").kind == "malformed"


def test_empty_and_numbers_from_cells():
    assert parse_target("").kind == "empty"
    assert parse_target(None).kind == "empty"
    assert parse_target('"  "').kind == "empty"
    assert parse_target(95.5).number == Decimal("95.5")
    assert parse_target(44561).number == Decimal(44561)
    assert parse_target(Decimal("0.10")).number == Decimal("0.10")


def test_every_sample_value_parses(sample_forms):
    """The 7 real forms: every value is quantitative or qualitative, and prints back as read."""
    values = [ind for form in sample_forms for ind in form.indicators]
    assert len(values) > 50
    for ind in values:
        target = ind.target
        assert target.kind in ("quantitative", "qualitative"), (ind.name, target)
        if target.is_quantitative and target.op and target.unit:
            assert format_target(target.op, target.number, target.unit) == target.raw


def test_format_target():
    assert format_target("≥", Decimal("95.00"), "%") == "≥95.00(%)"
    assert format_target(None, Decimal("95"), "%") == "95(%)"
    assert format_target("=", Decimal("5"), None) == "=5"
    assert format_target(None, None, None, "全年正常运营") == "全年正常运营"
    assert format_target(None, None) == ""


_UNITS = st.sampled_from(["%", "次", "人", "个", "小时", "万元", "元/人", "平方米", "人次", None])
_NUMBERS = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False)


@given(st.sampled_from(["≥", "≤", "=", ">", "<", None]), _NUMBERS, _UNITS)
def test_format_then_parse_round_trips(op, number, unit):
    target = parse_target(format_target(op, number, unit))
    assert target.kind == "quantitative"
    assert (target.op, target.number, target.unit) == (op, number, unit)


@given(st.one_of(st.integers(min_value=-10**30, max_value=10**30), st.floats()))
def test_a_number_cell_reads_as_its_text_through_the_grammar_would(number):
    """Number cells skip the text grammar; the result is what the grammar gives their text."""
    from perfxl.targets import _parse_target

    assert parse_target(number) == _parse_target(number)
