"""Shortcuts of the parser give what the general paths give, and step aside when they should."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfxl.grid import parse_a1
from perfxl.io import is_form_sheet_name
from perfxl.model import Ref
from perfxl.parse import parse_grid
from perfxl.parse.indicators import _address_parts
from perfxl.parse.labels import label_key
from perfxl.targets import _parse_general, _plain_match, parse_target, plain_number
from perfxl.text import _FULL_WIDTH, _LONG_TEXT, clean, fold, join_cjk, squash, without_spaces

OPERATORS = ["", "≥", "≤", "=", ">", "<"]
NUMBERS = ["0", "7", "12", "93", "0093", "100.00", "0.5", "2023", "2023.07", "2023.12", "1999.1"]
UNITS = ["%", "人", "万元", "小时", "年", "月", "日", "km", "m", "次", "户", "件", "\u03bcm", "Ω", "é"]


def _same(raw: str) -> None:
    assert repr(parse_target(raw)) == repr(_parse_general(raw))


@pytest.mark.parametrize("op", OPERATORS)
@pytest.mark.parametrize("number", NUMBERS)
@pytest.mark.parametrize("unit", [None, *UNITS])
def test_plain_values_take_the_shortcut_to_the_same_target(op, number, unit):
    raw = f"{op}{number}({unit})" if unit else f"{op}{number}"
    assert _plain_match(raw) is not None
    _same(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "≥ 95(%)", " 95", "95 ", "95%", "985米", "2023年", "2023年12月", "12月", "2023.07.01",
        ">=90(%)", "≥90（%）", "≥90(％)", "１２", "≥500(㎡)", "≥5(m2)", "-5", "1,800",
        "=0(万元/人)", "≥95(%", "≥95()", '"95"', "≥≥95", "2023.07-2024.01", "≤2023年12月31日",
        "95\u00a0", "9５", "≥5(ℓ)", "≥5(ｍ)", "≥5(Ⅻ)", "≥5(‰)", "≥5(m²)", "≥5(µm)", "≥5(%人)",
        "≥5(人 )",
    ],
)
def test_other_shapes_fall_back_to_the_general_path(raw):
    assert _plain_match(raw) is None
    _same(raw)


_PIECES = st.sampled_from(
    OPERATORS + NUMBERS + UNITS
    + ["(", ")", ".", " ", "-", "年", "%", "１", "ℓ", "ｍ", "²", "ﬁ", "\u0301"]
)


@given(st.lists(_PIECES, max_size=6).map("".join))
def test_any_text_parses_as_the_general_path_does(raw):
    _same(raw)


# --- the template's sheets: defined names and the structured indicator table ---------------


@pytest.fixture(scope="module")
def template_grids(tmp_path_factory, sample_path):
    """The bundled sample's forms written into template sheets and read back as grids."""
    from perfxl.io import read_forms, read_grids
    from perfxl.io.formsheet import write_forms_workbook

    path = tmp_path_factory.mktemp("template") / "forms.xlsx"
    write_forms_workbook(read_forms(sample_path), path)
    return read_grids(path, is_form_sheet_name)


def test_named_fields_read_as_when_every_label_is_followed(template_grids, monkeypatch):
    """A field that a defined name fills keeps the place its label gives it in ``cells``."""
    from perfxl.parse import header

    assert all(header._named_paths(grid) for grid in template_grids)
    shortcut = [repr(parse_grid(grid)) for grid in template_grids]
    monkeypatch.setattr(header, "_named_paths", lambda grid: frozenset())
    assert [repr(parse_grid(grid)) for grid in template_grids] == shortcut


def test_without_defined_names_the_labels_are_followed(template_grids):
    """No names (a copy of the sheet's cells): every field is searched for by its label, to
    the same values (the year, a number cell without 年度, is known from its name only)."""
    from perfxl.parse import header

    for grid in template_grids:
        bare = dataclasses.replace(grid, names={})
        assert header._named_paths(bare) == frozenset()
        (form,) = parse_grid(bare)
        (named,) = parse_grid(grid)
        assert form.year is None
        assert dataclasses.replace(form, year=named.year) == named


@pytest.mark.parametrize("kind", ["sheet", "text"])
def test_indicator_addresses_are_the_grids(template_grids, kind):
    grid = dataclasses.replace(template_grids[0], kind=kind)
    for col in range(0, 60):
        head, tail = _address_parts(grid, col)
        for row in (0, 8, 9, 99, 12345):
            assert Ref(grid.file, grid.sheet, f"{head}{row + 1}{tail}") == grid.ref(row, col)


def test_indicator_refs_point_at_their_cells(template_grids):
    for grid in template_grids:
        for indicator in parse_grid(grid)[0].indicators:
            for part, ref in indicator.refs.items():
                row, col = parse_a1(ref.cell)
                value = grid.value(row, col)
                if part == "value":
                    assert str(value) in indicator.raw
                elif part == "name":
                    assert indicator.name == join_cjk(clean(value))
                else:
                    assert getattr(indicator, part) == label_key(value)


@pytest.mark.parametrize("text", NUMBERS)
def test_a_plain_number_is_the_number_parse_target_reads(text):
    target = parse_target(text)
    assert (target.kind, target.op, target.unit) == ("quantitative", None, None)
    assert repr(plain_number(text)) == repr(target.number)


@pytest.mark.parametrize("text", ["-5", "1,800", " 7", "7 ", "７", "93%", "≥93", "1e3", "", "2023年"])
def test_other_numbers_are_not_plain(text):
    assert plain_number(text) is None


@given(st.lists(_PIECES, max_size=4).map("".join))
def test_plain_numbers_agree_with_parse_target(text):
    plain, target = plain_number(text), parse_target(text)
    if plain is not None:
        assert (target.kind, target.op, target.unit) == ("quantitative", None, None)
        assert repr(plain) == repr(target.number)


@pytest.mark.parametrize("size", [64, 65, 300, _LONG_TEXT, _LONG_TEXT + 1])
def test_squash_keeps_its_result_for_long_texts(size):
    text = ("按计划完成 各项目标任务，（提升）服务质量 ２０２４年度\u00a0" * 200)[:size]
    expected = without_spaces(unicodedata.normalize("NFKC", clean(text)))
    assert squash(text) == expected
    assert squash(text) == expected  # from the cache where it keeps one


def test_fold_replaces_punctuation_only_by_its_decomposition():
    for wide, narrow in _FULL_WIDTH:
        assert unicodedata.normalize("NFKD", wide) == narrow and narrow.isascii()


_TEXT_PIECES = st.sampled_from(
    ["项目", "目标", "，", "（", "）", "：", "；", "！", "？", "％", "\u3000", " ", "a", "Ａ", "１",
     "\u0301", "\u0323", "e", "⼀", "㎡", "ﬁ", "Å", "が", "\u3099", "ｶ", "ﾞ", "²", "。", "、"]
)


@given(st.lists(_TEXT_PIECES, max_size=12).map("".join))
def test_fold_is_nfkc(text):
    assert fold(text) == unicodedata.normalize("NFKC", text)


CELL_NUMBERS = [93, 93.0, 0.5, 0, 0.0, -0.0, -3.5, 1e20, True, "93", "093", " 93 ", "九十", "≥93",
                "", "  ", 2.0000001]


@given(op=st.sampled_from([None, "", "≥", " ≤ ", 5]),
       number=st.sampled_from(CELL_NUMBERS) | st.floats(allow_nan=False) | st.text(max_size=6),
       unit=st.sampled_from([None, "", "%", " 万元 ", 3.0]))
def test_target_texts_remembered_across_cells_are_what_the_cells_make(op, number, unit):
    from perfxl.parse.indicators import _compose, _composed

    first, again = _compose(op, number, unit), _compose(op, number, unit)
    assert first == again == _composed(op, number, unit)


def test_equal_numbers_of_another_kind_are_not_taken_for_each_other():
    from perfxl.parse.indicators import _compose, _composed

    for number in (93, 93.0, True, 1, 1.0, -0.0, 0, 0.0):  # 1 == 1.0 == True
        assert _compose("≥", number, "%") == _composed("≥", number, "%")
    assert _compose("≥", 0.0, None) == _composed("≥", 0.0, None)
    assert _compose("≥", -0.0, None) == _composed("≥", -0.0, None)
