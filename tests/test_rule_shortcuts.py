"""The rules' shortcuts give what the plain definitions give (kept values, shared rows).

Each test states the slow, obvious version of a helper and compares it with the one the
rules use, on generated input.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from perfxl.rules import check_form
from perfxl.rules.base import per_form
from perfxl.rules.examples import example_form
from perfxl.rules.indicators import _near, bigrams, text_bigrams
from perfxl.rules.indicators_context import _is_satisfaction_name
from perfxl.rules.values import _decimal_places, canonical_unit, quantitative_rows
from perfxl.text import squash


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _near_by_definition(a: str, b: str) -> bool:
    """One edit apart, names of four or more, and the first difference before the last two."""
    if min(len(a), len(b)) < 4 or _edit_distance(a, b) != 1:
        return False
    prefix = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
    return prefix < max(len(a), len(b)) - 2


names = st.text(alphabet=st.sampled_from(list("参观人次数率满意度")), max_size=8)


@given(names, names)
def test_near_is_one_edit_apart_before_the_measure(a, b):
    assert _near(a, b) == _near(b, a) == _near_by_definition(a, b)


def test_near_examples():
    assert _near("房租租赁", "房屋租赁")
    assert not _near("参观人数", "参观次数")  # the measure differs: two indicators
    assert not _near("房屋租赁", "房屋租赁")


texts = st.text(alphabet=st.sampled_from(list("养老服务设施满意度 ,，A1")), max_size=12)


@given(st.lists(texts, max_size=5))
def test_pairs_of_joined_texts_are_the_union_of_their_parts(parts):
    union = frozenset().union(*map(text_bigrams, parts))
    assert union == bigrams(" ".join(parts))


@given(st.text(alphabet=st.sampled_from(list("满意度率程不")), max_size=6))
def test_satisfaction_name_is_what_the_pattern_finds(name):
    assert _is_satisfaction_name(name) == bool(re.search(r"满意(?:度|率|程度)?", name))


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_decimal_places_from_the_text(number):
    assert _decimal_places(str(number)) == max(0, -number.as_tuple().exponent)


def test_per_form_keeps_the_value_of_the_last_form_only():
    calls = []

    @per_form
    def labels(form):
        calls.append(form)
        return form.label

    first = example_form({})
    second = dataclasses.replace(first)  # equal, but another form
    assert [labels(first), labels(first), labels(second), labels(first)] == [first.label] * 4
    assert [c is f for c, f in zip(calls, [first, second, first])] == [True] * 3


def test_quantitative_rows_are_the_quantitative_indicators_with_name_and_unit():
    form = example_form({"add_indicators": [
        {"level1": "成本指标", "level2": "经济成本指标", "name": "补贴 资金", "raw": "≤12(万)"},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "居民生活环境", "raw": "有所改善"},
    ]})
    expected = [(i, i.target, squash(i.name), canonical_unit(i.target.unit, squash(i.name)))
                for i in form.indicators if i.target.is_quantitative]
    assert list(quantitative_rows(form)) == expected
    assert expected[-1][2:] == ("补贴资金", "万元")
    assert quantitative_rows(form) is quantitative_rows(form)


def test_a_changed_form_is_checked_afresh():
    form = example_form({})
    assert check_form(form) == []
    wrong = dataclasses.replace(form, indicators=tuple(
        dataclasses.replace(i, target=dataclasses.replace(i.target, op="≥", number=Decimal(292)))
        if i.name == "补贴发放准确率" else i for i in form.indicators))
    assert [f.code for f in check_form(wrong)] == ["V04"]
    assert check_form(form) == []
