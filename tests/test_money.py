"""Money exact to the fen: amounts, 元 ↔ 万元, 人民币大写, the multi-year remainder."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfxl.money import (
    capital, fen, format_yuan, parse_amount, remaining, same_in_wan, wan_to_yuan, yuan_to_wan,
)


@pytest.mark.parametrize("text, value", [
    ("27,315,700.00", D("27315700.00")), ("0", D(0)), ("0.00", D("0.00")), ("1234.5", D("1234.5")),
    ("１２３４.５６", D("1234.56")), ("-1,000.00", D("-1000.00")), (27315700.0, D(27315700)),
    (0.1, D("0.1")), (1234.56, D("1234.56")), ("", None), (None, None),
])
def test_amounts_as_written(text, value):
    assert parse_amount(text).value == value


@pytest.mark.parametrize("text", ["12,34.00", "1.2.3", "约100万", "abc", "1e5"])
def test_text_that_is_not_an_amount(text):
    parsed = parse_amount(text)
    assert parsed.value is None and parsed.problem == "not_a_number"


@pytest.mark.parametrize("amount, words", [
    ("27315700.00", "贰仟柒佰叁拾壹万伍仟柒佰元整"),
    ("0", "零元整"),
    ("1005", "壹仟零伍元整"),
    ("1000005", "壹佰万零伍元整"),
    ("100000001", "壹亿零壹元整"),
    ("10500", "壹万零伍佰元整"),
    ("10", "壹拾元整"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("1.05", "壹元零伍分"),
    ("0.50", "伍角"),
    ("0.05", "伍分"),
    ("-12.00", "负壹拾贰元整"),
    ("11219208.00", "壹仟壹佰贰拾壹万玖仟贰佰零捌元整"),
    ("105000000.00", "壹亿零伍佰万元整"),
])
def test_chinese_capitals(amount, words):
    assert capital(D(amount)) == words


def test_wan_conversion_rounds_half_up():
    assert yuan_to_wan(D("3498000.00")) == D("349.80")
    assert yuan_to_wan(D("50.00")) == D("0.01")
    assert yuan_to_wan(D("49.99")) == D("0.00")
    assert yuan_to_wan(D("106067522"), 4) == D("10606.7522")
    assert wan_to_yuan(D("10606.7522")) == D("106067522.00")


def test_wan_display_tolerance():
    assert same_in_wan(D("3498000.00"), D("349.80"))
    assert same_in_wan(D("3498049.99"), D("349.80"))
    assert not same_in_wan(D("3498050.00"), D("349.80"))


def test_remaining_is_labelled_by_the_year():
    assert remaining(D(300), D(100), 2023, 2023, 2025).when == "later"
    assert remaining(D(300), D(100), 2025, 2023, 2025).when == "earlier"
    assert remaining(D(300), D(100), 2024, 2023, 2025).when == "both"
    assert remaining(D(300), D(100), 2023, 2023, 2023) is None
    assert remaining(None, D(100), 2023, 2023, 2024) is None


cents = st.integers(min_value=-10**14, max_value=10**14).map(lambda n: D(n) / 100)


@given(st.lists(cents, max_size=30))
def test_sums_are_exact_to_the_fen(amounts):
    total = sum(amounts, D(0))
    assert fen(total) == total
    assert total * 100 == sum(int(a * 100) for a in amounts)
    assert parse_amount(format_yuan(total)).value == total


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_capitals_never_leave_digits_or_double_zero(cents_value):
    words = capital(D(cents_value) / 100)
    assert "零零" not in words and not any(ch.isdigit() for ch in words)
    assert words.endswith(("整", "角", "分"))
