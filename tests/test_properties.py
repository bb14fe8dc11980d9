"""Properties over generated inputs (hypothesis).

Run with HYPOTHESIS_PROFILE=thorough for 10,000 examples per property; CI runs the
default profile.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfxl import vocab
from perfxl.errors import PerfxlError
from perfxl.formdict import render_text
from perfxl.grid import Grid
from perfxl.io import read_forms
from perfxl.io.textfile import decode, text_grid
from perfxl.parse import parse_grid
from perfxl.parse.labels import FIELD_LABELS
from perfxl.rules import validate

# ---- the parser never fails with anything but perfxl's own errors -------------------------

LABELS = list(FIELD_LABELS) + ["财政项目支出绩效目标申报表", "(2023年度)", "一级指标", "二级指标",
                               "三级指标", "年度(/项目)指标值", "项目总目标", "年度总体目标",
                               "符号", "数值", "计量单位"]
WORDS = LABELS + list(vocab.LEVEL1) + list(vocab.LEVEL2) + list(vocab.NATURES) + [
    "≥95(%)", "=100.00(%)", "≤24(小时)", "全年正常运营", "#REF!", "27,315,700.00", "0", "-5",
    "2023-01-01", "2026/1/1", "44927", "“", '"', "\u3000", "项 目", "＝１００％"]
cells = st.one_of(
    st.none(), st.sampled_from(WORDS), st.text(max_size=12),
    st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)), st.booleans(),
)
grids = st.lists(st.lists(cells, max_size=8), max_size=40)


@given(grids, st.sampled_from(["sheet", "text"]))
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_parser_raises_only_perfxl_errors_on_random_grids(rows, kind):
    try:
        forms = parse_grid(Grid(rows, "random.xlsx", "表1", kind))
    except PerfxlError:
        return
    validate(forms, across=True)


@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=20)), max_size=200),
       st.sampled_from(["\t", "\n", " "]))
def test_parser_raises_only_perfxl_errors_on_random_text(tokens, joiner):
    text = "\n".join(joiner.join(tokens[i:i + 5]) for i in range(0, len(tokens), 5))
    try:
        forms = parse_grid(text_grid(text, "random.txt"))
    except PerfxlError:
        return
    validate(forms)


@given(st.binary(max_size=2000))
def test_decoding_random_bytes_gives_text_or_a_clear_error(data):
    try:
        assert isinstance(decode(data, "random.txt"), str)
    except PerfxlError as error:
        assert "random.txt" in error.message("zh")


# ---- a random form survives text → form → sheet → form ---------------------------------

cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=2,
              max_size=12)
fen = st.integers(min_value=0, max_value=10**12).map(lambda n: Decimal(n) / 100)


@st.composite
def form_dicts(draw):
    year = draw(st.integers(2020, 2030))
    start = dt.date(year - draw(st.integers(0, 2)), 1, 1)
    end = dt.date(year + draw(st.integers(0, 2)), 12, 31)
    appropriation, carryover, other = draw(fen), draw(fen), draw(fen)
    annual = appropriation + carryover + other
    multi = start.year != end.year
    fiscal, other_total = (appropriation + draw(fen), other) if multi else (None, None)
    indicators = []
    for _ in range(draw(st.integers(1, 12))):
        level1 = draw(st.sampled_from(vocab.LEVEL1))
        level2 = draw(st.sampled_from(vocab.LEVELS[level1]))
        op = draw(st.sampled_from(["≥", "≤", "=", ">", "<"]))
        number = draw(st.decimals(0, 10**6, places=draw(st.integers(0, 2))))
        unit = draw(st.sampled_from(["%", "次", "人", "小时", "万元", "元/人"]))
        raw = draw(st.one_of(st.just(f"{op}{number}({unit})"), cjk))
        indicators.append({"level1": level1, "level2": level2, "name": draw(cjk), "raw": raw})
    money = lambda v: None if v is None else f"{v:,.2f}"  # noqa: E731
    return {
        "year": year,
        "project": {"name": draw(cjk), "nature": draw(st.sampled_from(vocab.NATURES)),
                    "category": draw(st.sampled_from(vocab.CATEGORIES)), "department": draw(cjk),
                    "unit": draw(cjk), "start": start.isoformat(), "end": end.isoformat()},
        "funding": {"annual": money(annual), "appropriation": money(appropriation),
                    "carryover": money(carryover), "other_annual": money(other),
                    "total": money(fiscal + other_total) if multi else None,
                    "fiscal": money(fiscal), "other_total": money(other_total)},
        "goals": {"overall": draw(cjk) if multi else "", "annual": draw(cjk)},
        "overall_label": f"项目总目标 ({start.year}年-{end.year}年)" if multi else "项目总目标",
        "indicators": indicators,
    }


@given(form_dicts())
def test_a_random_form_survives_a_sheet(tmp_path_factory, data):
    from perfxl.io.formsheet import write_forms_workbook

    (form,) = parse_grid(text_grid(render_text(data), "random.txt"))
    path = tmp_path_factory.mktemp("prop") / "form.xlsx"
    write_forms_workbook([form], path)
    assert read_forms(path) == [form]
    assert form.funding.annual == (form.funding.appropriation + form.funding.carryover
                                   + form.funding.other_annual)
