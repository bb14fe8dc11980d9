"""Worksheet functions (UDFs): thin wrappers over the core, usable as ordinary functions.

The xlwings decorators only attach metadata (on Windows; on other systems they do
nothing), so every function here is tested as a plain function. The build turns them
into VBA wrappers (``xlwings_udfs``) and registers each docstring's first line as the
description Excel's function wizard shows, with the argument docs below.

Numbers arrive from Excel as floats; money is turned into Decimal (shortest repr, see
``perfxl.money.to_decimal``) before anything is computed, and goes back as a number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Mapping

import xlwings as xw

from ..grid import Grid
from ..errors import FormParseError
from ..model import Form, Indicator, Ref
from ..money import capital, remaining, to_decimal, yuan_to_wan
from ..parse import parse_date, parse_grid
from ..report import Finding
from ..rules import check_form, validate
from ..rules.examples import example_form
from ..targets import parse_target

CATEGORY = "perfxl"
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_PROBLEMS = {
    "placeholder": "指标值是占位符（如 * 或 -），请填写具体目标值",
    "operator": "符号后应为“数值(单位)”，如 ≥95(%)",
    "mixed": "中文数字与阿拉伯数字混写，请只用阿拉伯数字",
}
_PARTS = ("level1", "level2", "name", "value")
FINDINGS_HEADER = ["代码", "级别", "单元格", "问题", "修改建议"]


def _number(value: Any) -> Decimal | None:
    """A numeric cell as Decimal; blank → None; text such as ``1,234.50`` is accepted."""
    if value is None or value == "":
        return None
    try:
        return to_decimal(value)
    except InvalidOperation:
        text = str(value).replace(",", "").strip()
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"不是数字：{value}") from None


def _year(value: Any) -> int | None:
    """A year from a number (2024), a date cell or a date text."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1900 < value < 3000:
            return int(value)
        return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).year  # a date serial
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    parsed = parse_date(value)
    if parsed.value is None:
        raise ValueError(f"无法识别的日期：{value}")
    return parsed.value.year


@xw.func(category=CATEGORY)
@xw.arg("value", doc="指标值，如 ≥95.00(%) 或 全年正常运营")
def perfxl_target(value: Any) -> list[list[Any]]:
    """拆分指标值为 符号、数值、单位 三格；定性指标返回其文字。

    Split an indicator value into operator, number and unit (one row of three cells);
    a qualitative value comes back as its text, a malformed one as the reason.
    """
    target = parse_target(value)
    if target.kind == "quantitative":
        return [[target.op or "", float(target.number), target.unit or ""]]
    if target.kind == "qualitative":
        return [["", target.text, ""]]
    if target.kind == "empty":
        return [["", "", ""]]
    return [[_PROBLEMS.get(target.problem or "", "指标值格式不正确"), "", ""]]


@lru_cache(maxsize=1)
def _clean_form() -> Form:
    """A complete form no rule objects to: the row under check is added to it."""
    return example_form({})


def indicator_findings(level1: Any, level2: Any, name: Any, value: Any) -> list[Finding]:
    """The findings about one indicator row, judged inside an otherwise clean form."""
    refs = {part: Ref(sheet="", cell=f"#{part}") for part in _PARTS}
    indicator = Indicator(str(level1 or "").strip(), str(level2 or "").strip(),
                          str(name or "").strip(), parse_target(value), refs)
    form = _clean_form()
    form = replace(form, indicators=(*form.indicators, indicator))
    cells = {ref.cell for ref in refs.values()}
    return [f for f in check_form(form) if f.cell in cells]


@xw.func(category=CATEGORY)
@xw.arg("level1", doc="一级指标")
@xw.arg("level2", doc="二级指标")
@xw.arg("name", doc="三级指标（指标名称）")
@xw.arg("value", doc="指标值，如 ≥95.00(%)")
def perfxl_check_indicator(level1: Any, level2: Any, name: Any, value: Any) -> str:
    """检查一行绩效指标：无问题返回空，否则返回问题说明（规则代码在前）。

    Check one indicator row: "" when the rules find nothing, else the findings about
    the row (code first), judged inside an otherwise clean form.
    """
    findings = indicator_findings(level1, level2, name, value)
    return "；".join(f"{f.code} {f.message_zh}" for f in findings)


@xw.func(category=CATEGORY)
@xw.arg("yuan", doc="金额（元）")
@xw.arg("places", doc="保留小数位数，默认 2；4 位时整元金额换算无误差")
def perfxl_wan(yuan: Any, places: Any = 2) -> float | str:
    """把元换算为万元（四舍五入到指定位数）。

    元 → 万元, rounded half up to ``places`` decimals (2 by default).
    """
    amount = _number(yuan)
    if amount is None:
        return ""
    return float(yuan_to_wan(amount, int(places if places not in (None, "") else 2)))


@xw.func(category=CATEGORY)
@xw.arg("amount", doc="金额（元）")
def perfxl_daxie(amount: Any) -> str:
    """把金额（元）写成人民币大写，如 贰仟柒佰叁拾壹万伍仟柒佰元整。

    An amount in 元 in Chinese capital numerals (人民币大写).
    """
    number = _number(amount)
    return "" if number is None else capital(number)


@xw.func(category=CATEGORY)
@xw.arg("total", doc="项目资金总额（元）")
@xw.arg("annual", doc="年度资金申请总额（元）")
@xw.arg("year", doc="申报年度，如 2023")
@xw.arg("start", doc="计划开始日期")
@xw.arg("end", doc="计划完成日期")
def perfxl_remaining(total: Any, annual: Any, year: Any, start: Any, end: Any) -> float | str:
    """跨年度项目其他年度的资金（项目资金总额 − 年度资金申请总额）；单年度项目返回空。

    Rule F05: the money of a multi-year project's other years; "" for a single-year one.
    """
    rest = remaining(_number(total), _number(annual), _year(year), _year(start), _year(end))
    return "" if rest is None else float(rest.amount)


def sheet_findings(rows: list[list[Any]], *, sheet: str = "", origin: tuple[int, int] = (0, 0),
                   names: Mapping[str, tuple[int, int]] | None = None,
                   lang: str = "zh") -> list[list[str]]:
    """The findings of the form(s) in a block of cell values, as rows for a dynamic array.

    ``origin`` is the zero-based (row, column) of the block's top-left cell, so findings
    name real cells; ``names`` are the sheet's defined names (px_year …) as zero-based
    sheet positions. The first row is the header; with no finding one row says so.
    """
    top, left = origin
    padded = [[None] * (left + len(rows[0]) if rows else left) for _ in range(top)]
    padded += [[None] * left + list(row) for row in rows]
    grid = Grid(padded, sheet=sheet, names=dict(names or {}))
    try:
        forms = parse_grid(grid)
    except FormParseError as exc:
        return [[exc.message(lang), "", "", "", ""]]
    report = validate(forms)
    if not report.findings:
        return [["未发现问题" if lang == "zh" else "no findings", "", "", "", ""]]
    body = [[f.code, f.severity_label(lang), f.cell, f.message(lang), f.fix(lang)]
            for f in report.findings]
    return [FINDINGS_HEADER, *body]


def _range_names(form: Any) -> dict[str, tuple[int, int]]:
    """The sheet-scoped names of the range's sheet, as zero-based (row, column)."""
    names: dict[str, tuple[int, int]] = {}
    for name in form.sheet.names:
        try:
            target = name.refers_to_range
        except Exception:  # a name that is not a range (a constant, a formula)
            continue
        short = name.name.split("!")[-1]
        names[short] = (target.row - 1, target.column - 1)
    return names


@xw.func(category=CATEGORY)
@xw.arg("form", "range", doc="整张申报表的区域，如 A1:H60")
def perfxl_check_sheet(form: Any) -> list[list[str]]:
    """校验整张申报表，以动态数组返回问题清单：代码、级别、单元格、问题、修改建议。

    Validate a whole form sheet; the findings spill as a dynamic array (a header row,
    then one row per finding). Pass the whole form, e.g. =perfxl_check_sheet(A1:H60).
    """
    rows = form.options(ndim=2).value
    return sheet_findings(rows, sheet=form.sheet.name, origin=(form.row - 1, form.column - 1),
                          names=_range_names(form))


UDFS = (perfxl_target, perfxl_check_indicator, perfxl_wan, perfxl_daxie, perfxl_remaining,
        perfxl_check_sheet)
