"""The worksheet functions, tested as the ordinary functions they are."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from perfxl.grid import a1, parse_a1
from perfxl.io import read_forms, read_grids
from perfxl.io.formsheet import write_forms_workbook
from perfxl.rules import validate
from perfxl.xl import udfs
from perfxl.xl.udfs import (
    perfxl_check_indicator, perfxl_check_sheet, perfxl_daxie, perfxl_remaining, perfxl_target,
    perfxl_wan, sheet_findings,
)


def test_target_splits_every_sample_value(sample_forms):
    for form in sample_forms:
        for indicator in form.indicators:
            target = indicator.target
            (row,) = perfxl_target(target.raw)
            if target.kind == "quantitative":
                assert row == [target.op or "", float(target.number), target.unit or ""]
            else:
                assert row == ["", target.text, ""]


@pytest.mark.parametrize("raw, expected", [
    ("≥95.00(%)", ["≥", 95.0, "%"]),
    ("≤24.00(小时)", ["≤", 24.0, "小时"]),
    ("95(%)", ["", 95.0, "%"]),
    (3000, ["", 3000.0, ""]),
    ("", ["", "", ""]),
    ("≥**%", ["指标值是占位符（如 * 或 -），请填写具体目标值", "", ""]),
    ("二100百分比", ["中文数字与阿拉伯数字混写，请只用阿拉伯数字", "", ""]),
])
def test_target_cases(raw, expected):
    assert perfxl_target(raw) == [expected]


def test_check_indicator_reports_the_row_only(sample_forms):
    park = sample_forms[1]
    wrong = next(i for i in park.indicators if i.level1 == "社会效益指标")
    message = perfxl_check_indicator(wrong.level1, wrong.level2, wrong.name, wrong.raw)
    assert message.startswith("E04 ") and "效益指标" in message
    good = park.indicators[0]
    assert perfxl_check_indicator(good.level1, good.level2, good.name, good.raw) == ""


def test_check_indicator_matches_the_full_form_check(sample_forms):
    """What the function says about a row is what validating the whole form says about it."""
    for form in sample_forms:
        report = validate([form])
        for indicator in form.indicators:
            cells = {str(ref.cell) for ref in indicator.refs.values()}
            codes = {f.code for f in report.findings if f.cell in cells
                     and f.code[0] in "EV"}
            message = perfxl_check_indicator(indicator.level1, indicator.level2, indicator.name,
                                             indicator.raw)
            found = {part.split(" ")[0] for part in message.split("；") if part}
            assert codes <= found, (form.project.name, indicator.name, codes, found)


@pytest.mark.parametrize("yuan, places, expected", [
    (27315700.0, 2, 2731.57),
    (148000, 2, 14.8),
    (106067522, 4, 10606.7522),
    (12345.0, 2, 1.23),
    (15000.0, 0, 2.0),
    ("1,234,500.00", 2, 123.45),
])
def test_wan(yuan, places, expected):
    assert perfxl_wan(yuan, places) == expected


def test_wan_defaults_and_blank():
    assert perfxl_wan(27315700.0) == 2731.57
    assert perfxl_wan(None) == ""
    with pytest.raises(ValueError):
        perfxl_wan("十万")


@pytest.mark.parametrize("amount, expected", [
    (27315700.0, "贰仟柒佰叁拾壹万伍仟柒佰元整"),
    (1234.56, "壹仟贰佰叁拾肆元伍角陆分"),
    (0.05, "伍分"),
    (100000010, "壹亿零壹拾元整"),
    ("", ""),
])
def test_daxie(amount, expected):
    assert perfxl_daxie(amount) == expected


@pytest.mark.parametrize("start, end", [
    (dt.datetime(2023, 1, 1), dt.datetime(2024, 12, 31)),
    (dt.date(2023, 1, 1), dt.date(2024, 12, 31)),
    ("2023-01-01", "2024/12/31"),
    (44927, 45657),  # Excel serials of the same dates
    (2023, 2024),
])
def test_remaining_of_the_multi_year_sample(start, end):
    assert perfxl_remaining(22438416.0, 11219208.0, 2023, start, end) == 11219208.0


def test_remaining_of_single_year_and_missing():
    assert perfxl_remaining(685890.0, 685890.0, 2023, "2023-01-01", "2023-12-31") == ""
    assert perfxl_remaining(None, 685890.0, 2023, "2023-01-01", "2024-12-31") == ""
    with pytest.raises(ValueError):
        perfxl_remaining(1.0, 1.0, 2023, "明年", "2024-12-31")


@pytest.fixture(scope="module")
def written(tmp_path_factory, sample_forms):
    path = tmp_path_factory.mktemp("udf") / "forms.xlsx"
    write_forms_workbook(sample_forms, path)
    return path


def test_sheet_findings_equal_validating_the_file(written):
    for grid, form in zip(read_grids(written), read_forms(written)):
        rows = sheet_findings(grid.rows, sheet=grid.sheet, names=grid.names)
        expected = validate([form]).findings
        if not expected:
            assert rows == [["未发现问题", "", "", "", ""]]
            continue
        assert rows[0] == udfs.FINDINGS_HEADER
        assert [(r[0], r[2]) for r in rows[1:]] == [(f.code, f.cell) for f in expected]
        assert all(len(r) == 5 for r in rows)


def test_sheet_findings_of_a_block_that_does_not_start_at_a1(written):
    """The same form placed at C6: findings name the cells where it really is."""
    grid = read_grids(written)[1]
    whole = sheet_findings(grid.rows, sheet=grid.sheet, names=grid.names)
    moved = {name: (r + 5, c + 2) for name, (r, c) in grid.names.items()}
    part = sheet_findings(grid.rows, sheet=grid.sheet, origin=(5, 2), names=moved)
    shifted = [a1(*(lambda r, c: (r + 5, c + 2))(*parse_a1(row[2]))) for row in whole[1:]]
    assert [row[2] for row in part[1:]] == shifted
    assert [row[0] for row in part[1:]] == [row[0] for row in whole[1:]]


def test_sheet_findings_of_something_that_is_no_form():
    (row,) = sheet_findings([["hello", 1], [None, 2]])
    assert "未找到" in row[0] and len(row) == 5


class _FakeRange:
    """What xlwings hands a UDF for an argument converted with "range"."""

    def __init__(self, grid, top: int, left: int):
        self._rows = [row[left:] for row in grid.rows[top:]]
        self.row, self.column = top + 1, left + 1
        names = [SimpleNamespace(name=f"{grid.sheet}!{name}",
                                 refers_to_range=SimpleNamespace(row=r + 1, column=c + 1))
                 for name, (r, c) in grid.names.items()]
        self.sheet = SimpleNamespace(name=grid.sheet, names=names)

    def options(self, ndim):
        assert ndim == 2
        return SimpleNamespace(value=self._rows)


def test_check_sheet_reads_the_range_and_the_sheet_names(written):
    grid = read_grids(written)[3]
    expected = sheet_findings(grid.rows, sheet=grid.sheet, names=grid.names)
    assert perfxl_check_sheet(_FakeRange(grid, 0, 0)) == expected
    assert perfxl_check_sheet(_FakeRange(grid, 2, 0)) == expected


def test_udfs_are_plain_functions_with_chinese_docstrings():
    for function in udfs.UDFS:
        assert function.__name__.startswith("perfxl_")
        first = function.__doc__.strip().splitlines()[0]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in first), function.__name__
        assert len(first) <= 255
