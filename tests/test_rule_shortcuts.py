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

from perfxl.config import Config
from perfxl.rules import check_form
from perfxl.rules.base import per_form
from perfxl.rules.examples import example_form
from perfxl.rules.indicators import _near, bigrams, duplicate, name_key, text_bigrams
from perfxl.rules.indicators_context import _is_satisfaction_name
from perfxl.rules.values import (
    _AS_WRITTEN, NEGATIVE_KEYWORDS, NEUTRAL_KEYWORDS, POSITIVE_KEYWORDS, _decimal_places,
    canonical_unit,
    direction, quantitative_rows,
)
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


@given(texts)
def test_pairs_are_the_adjacent_cjk_characters(text):
    cjk = [i for i, c in enumerate(text) if "\u4e00" <= c <= "\u9fff"]
    assert bigrams(text) == {text[i:i + 2] for i in cjk if i + 1 in cjk}
    assert bigrams(text, frozenset({"养老"})) == bigrams(text) - {"养老"}


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


def test_decimal_places_of_plain_and_scientific_texts():
    texts = ["95.000", "-0.50", "2744", "1E+3", "1.5E-7", "0E-10"]
    assert [_decimal_places(str(Decimal(t))) for t in texts] == [3, 2, 0, 0, 8, 10]


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


def _duplicates_by_definition(names: list[str]) -> list[tuple[str, str, str]]:
    """I03 spelled out: each name against every earlier distinct key, by ``_near``."""
    found, earlier = [], {}  # earlier: key → its first name, in table order
    for name in names:
        key = name_key(name)
        if not key:
            continue
        if key in earlier:
            found.append(("default", name, earlier[key]))
            continue
        near = next((first for other, first in earlier.items() if _near(other, key)), None)
        if near is not None:
            found.append(("near", name, near))
        earlier[key] = name
    return found


indicator_names = st.text(alphabet=st.sampled_from(list("参观人次数率满意度 ，")), max_size=7)


@given(st.lists(indicator_names, max_size=12))
def test_duplicates_compare_only_keys_with_the_same_ending(names):
    assert _duplicate_hits(names) == _duplicates_by_definition(names)


def _duplicate_hits(names: list[str]) -> list[tuple[str, str, str]]:
    form = example_form({})
    form = dataclasses.replace(form, indicators=tuple(
        dataclasses.replace(form.indicators[0], name=name) for name in names))
    return [(h.variant, h.values["name"], h.values["other"]) for h in duplicate(form, Config())]


def test_near_names_found_among_other_endings():
    names = ["服务对象满意度", "道路修缮长度", "房租租赁", "培训场次", "房屋租赁", "服务对象满意率",
             "培训 场次", "房屋租金"]
    expected = [("near", "房屋租赁", "房租租赁"), ("default", "培训 场次", "培训场次")]
    assert _duplicate_hits(names) == _duplicates_by_definition(names) == expected


def _direction_by_definition(name: str) -> str | None:
    """The keyword that ends latest, the longer one on a tie, found by searching each."""
    best = None
    for words, side in ((NEGATIVE_KEYWORDS, "lower"), (POSITIVE_KEYWORDS, "higher"),
                        (NEUTRAL_KEYWORDS, "")):
        for word in words:
            at = name.rfind(word)
            if at >= 0:
                best = max(best or (0, 0, ""), (at + len(word), len(word), side))
    return (best[2] or None) if best else None


direction_names = st.text(alphabet=st.sampled_from(list("不合格率成本节约控制投诉次数满意度故障发生")),
                          max_size=10)


@given(direction_names)
def test_direction_read_from_the_end_is_the_latest_ending_keyword(name):
    assert direction(name) == _direction_by_definition(name)


def test_direction_examples():
    assert [direction(n) for n in ("成本节约率", "设备不合格率", "设备合格率", "成本控制率", "培训人数")] == [
        "higher", "lower", "higher", None, None]


def test_units_taken_as_written_are_their_own_canonical_unit():
    names = ["补贴资金", "服务老年人数", "道路修缮长度", "项目总成本"]
    assert all(canonical_unit(unit, name) == unit for unit in _AS_WRITTEN for name in names)
    assert {"万", "M", "人/次"}.isdisjoint(_AS_WRITTEN) and "%" in _AS_WRITTEN


def test_quantitative_rows_map_the_units_not_taken_as_written():
    form = example_form({"indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": name, "raw": raw}
        for name, raw in [("补贴 资金", "≤12(万)"), ("服务人数", "≥20(人/次)"), ("道路长度", "985M"),
                          ("完成率", "≥95(百分比)"), ("课程数", "≥12(堂课)"), ("设施数", "≥20(家)"),
                          ("培训次数", "≥3")]]})
    assert [row[3] for row in quantitative_rows(form)] == [
        canonical_unit(i.target.unit, squash(i.name)) for i in form.indicators]
    assert [row[3] for row in quantitative_rows(form)][:4] == ["万元", "人次", "米", "%"]
