"""Shortcuts of the parser give what the general paths give, and step aside when they should."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfxl.targets import _PLAIN_QUANTITY, _parse_general, parse_target

OPERATORS = ["", "≥", "≤", "=", ">", "<"]
NUMBERS = ["0", "7", "12", "93", "0093", "100.00", "0.5", "2023", "2023.07", "2023.12", "1999.1"]
UNITS = ["%", "人", "万元", "小时", "年", "月", "日", "km", "m", "次", "户", "件"]


def _same(raw: str) -> None:
    assert repr(parse_target(raw)) == repr(_parse_general(raw))


@pytest.mark.parametrize("op", OPERATORS)
@pytest.mark.parametrize("number", NUMBERS)
@pytest.mark.parametrize("unit", [None, *UNITS])
def test_plain_values_take_the_shortcut_to_the_same_target(op, number, unit):
    raw = f"{op}{number}({unit})" if unit else f"{op}{number}"
    assert _PLAIN_QUANTITY.fullmatch(raw) is not None
    _same(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "≥ 95(%)", " 95", "95 ", "95%", "985米", "2023年", "2023年12月", "12月", "2023.07.01",
        ">=90(%)", "≥90（%）", "≥90(％)", "１２", "≥500(㎡)", "≥5(m2)", "-5", "1,800",
        "=0(万元/人)", "≥95(%", "≥95()", '"95"', "≥≥95", "2023.07-2024.01", "≤2023年12月31日",
        "95\u00a0", "9５",
    ],
)
def test_other_shapes_fall_back_to_the_general_path(raw):
    assert _PLAIN_QUANTITY.fullmatch(raw) is None
    _same(raw)


_PIECES = st.sampled_from(OPERATORS + NUMBERS + UNITS + ["(", ")", ".", " ", "-", "年", "%", "１"])


@given(st.lists(_PIECES, max_size=6).map("".join))
def test_any_text_parses_as_the_general_path_does(raw):
    _same(raw)
