"""V03 and V10 skip the common row (a known unit as written; a whole number) before their
general tests; what they find is what the plain definitions find."""

from __future__ import annotations

import pytest

from perfxl.config import Config
from perfxl.rules.examples import example_form
from perfxl.rules.values import (
    _MONEY_DECIMALS, _decimal_places, _unit_hit, excel_serial, number_format,
    quantitative_rows, run_together, unit,
)

_VALUES = ["≥20(家)", "985米", "≥12(堂课)", "90%以上", "≥5(M)", "≥95(百分比)", "44561", "88100",
           "≥95.000(%)", "≥1,000(%)", "≤12.3456(万元)", "≤1.23456(万元)", "=0.5(人/次)", "≥3",
           "≥1E+3(个)", "≥-2.125(个)", "≤100(%)", "3个工作日内"]
_NAMES = ["补贴养老服务设施数", "系统上线时间", "设备验收合格率", "项目总成本"]


def _form():
    rows = [{"level1": "产出指标", "level2": level2, "name": name, "raw": raw}
            for raw in _VALUES for name in _NAMES for level2 in ("数量指标", "时效指标")]
    return example_form({"indicators": rows})


def _found(hits):
    return [(h.indicator.name, h.indicator.raw, h.variant, h.severity, dict(h.values))
            for h in hits]


def test_units_as_the_plain_definition_finds_them():
    form = _form()
    expected = [_unit_hit(ind, target.unit, canonical)
                for ind, target, _, canonical in quantitative_rows(form)
                if not (excel_serial(ind) or run_together(ind))]
    found = _found(unit(form, Config()))
    assert found == _found(h for h in expected if h is not None)
    assert {variant for *_, variant, _, _ in found} >= {"default", "unknown", "wordy",
                                                         "ambiguous", "synonym"}


def test_decimals_as_the_plain_definition_counts_them():
    form = _form()
    expected = []
    for ind, target, _, unit_ in quantitative_rows(form):
        places = _decimal_places(str(target.number))
        if places > _MONEY_DECIMALS.get(target.unit or "", 2):
            expected.append((ind.name, ind.raw, "default", places))
        elif unit_ in ("%", "‰") and "," in target.raw:
            expected.append((ind.name, ind.raw, "separator", None))
    found = [(h.indicator.name, h.indicator.raw, h.variant, h.values.get("places"))
             for h in number_format(form, Config())]
    assert found == expected
    assert {variant for _, _, variant, _ in found} == {"default", "separator"}


@pytest.mark.parametrize("text, places", [("2744", 0), ("-3", 0), ("95.000", 3), ("1E+3", 0)])
def test_whole_numbers_have_no_decimals(text, places):
    assert _decimal_places(text) == places
