"""The summary workbook: sheets 汇总 (live totals), 指标明细 (an Excel table), 校验结果.

Two doors, one layout (``perfxl.consolidate.layout``):

* ``write_summary_sheets(wb, summary)`` (re)builds the three sheets inside an open openpyxl
  workbook — what the 汇总本簿 button does to the workbook in hand.
* ``write_summary_workbook(path, summary)`` writes a new workbook atomically. It is built
  for folder runs of thousands of forms: openpyxl (write-only) writes everything but the
  body rows of the big sheets — header, styles, widths, frozen panes, filter, table, chart —
  and the body rows are then streamed as sheet XML into the package (see ``sheetxml``), a
  few times faster than cell objects and in constant memory.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from ..consolidate.layout import (FINDINGS_SHEET, INDICATOR_SHEET, SUMMARY_SHEET,
                                  Formula, SummaryLayout, columns_of, rows_of)
from ..consolidate.columns import ANNUAL_KEYS, INDICATOR_COLUMNS, MONEY, MULTI_YEAR_KEYS
from ..consolidate.sheetxml import render_rows, render_table, splice_rows, style_attrs
from ..grid import column_letter
from ..report import Report
from ..rules.consolidation import formula_audit
from .atomic import atomic_path

MONEY_FORMAT, COUNT_FORMAT, DATE_FORMAT = "#,##0.00", "0", "yyyy-mm-dd"
_FORMATS = {"money": MONEY_FORMAT, "count": COUNT_FORMAT, "date": DATE_FORMAT}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="FFF2CC")
_SAMPLE_ROWS = 300  # the rows a column's width is measured on
_WIDE = re.compile("[^\u0000-\u2e7f]")  # characters that take two columns
_FINDING_COLUMNS = (("序号", "no."), ("级别", "severity"), ("规则", "rule"), ("项目", "project"),
                    ("文件", "file"), ("工作表", "sheet"), ("单元格", "cell"), ("问题", "message"),
                    ("修改建议", "fix"))


@dataclass
class SheetPlan:
    """One sheet: header, body rows ``(row, values, styles)``, and its decorations.

    ``styles`` holds one style name per column (``money``, ``count_bold`` …); body rows of
    one table share the same list.
    """

    title: str
    header: list[str]
    body: Callable[[], Iterator[tuple[int, Sequence[Any], list[str]]]]
    widths: list[float]
    freeze: str = "A2"
    filter_ref: str | None = None
    table: str | None = None  # table name: the body becomes an Excel table
    last_row: int = 1
    decorate: Callable[[Any], None] | None = None
    # the body again as (parts, styles) when it is a plain table, each part a list of
    # columns: the streamed writer renders it a column at a time (see sheetxml.render_table)
    columns: Callable[[], tuple[Iterator[list[Sequence[Any]]], list[str]]] | None = None


# --- what the three sheets hold ----------------------------------------------------------

def summary_plan(summary, lang: str = "zh") -> SheetPlan:
    layout = SummaryLayout(summary, lang)
    kinds = [c.kind for c in layout.columns]
    styles = [_style(k) for k in kinds]
    bold = [_style(k, True) for k in kinds]

    def body():
        for row, values in enumerate(layout.data_rows(), start=2):
            yield row, values, styles
        for row, style, values in layout.footer_rows():
            yield row, values, bold if style in ("total", "wan", "section") else styles

    widths = _widths(layout.header(), layout.data_rows(stop=_SAMPLE_ROWS), kinds)
    last_footer = layout.footer_start() + len(layout.footer()) - 1
    return SheetPlan(SUMMARY_SHEET, layout.header(), body, widths, freeze="C2",
                     filter_ref=layout.filter_ref, last_row=last_footer,
                     decorate=lambda ws: _add_chart(ws, layout, last_footer))


def indicator_plan(summary, lang: str = "zh") -> SheetPlan:
    columns = INDICATOR_COLUMNS
    count = summary.indicator_count
    styles = [_style(c.kind) for c in columns]

    def body():
        for row, values in enumerate(rows_of(summary.indicator_columns, columns, lang), start=2):
            yield row, values, styles

    def batches():  # the streamed writer's body: a part of the table at a time
        return (columns_of(part, columns, lang) for part in summary.indicator_batches())

    header = [c.heading(lang) for c in columns]
    first = next(summary.indicator_batches(forms=_SAMPLE_ROWS), None)
    sample = rows_of(first, columns, lang, stop=_SAMPLE_ROWS) if first else ()
    widths = _widths(header, sample, [c.kind for c in columns])
    return SheetPlan(INDICATOR_SHEET, header, body, widths,
                     table="px_indicators" if count else None, last_row=count + 1,
                     columns=lambda: (batches(), styles))


def findings_plan(summary, report: Report | None = None, lang: str = "zh") -> SheetPlan:
    zh = lang == "zh"
    if report is not None:
        findings, count = (lambda: report.findings), len(report.findings)
    else:  # streamed from the summary: a folder run's findings wait on disk
        findings, count = summary.findings, summary.finding_count
    styles = ["count"] + ["text"] * (len(_FINDING_COLUMNS) - 1)

    def rows():
        number = 0
        for error in summary.failures:
            number += 1
            yield [number, "错误" if zh else "error", "读取" if zh else "read", "", error.file,
                   error.sheet, error.cell, error.zh if zh else error.en,
                   "检查文件能否在 Excel 中打开，或从汇总中去掉它。" if zh else
                   "Check that the file opens in Excel, or leave it out of the summary."]
        for finding in findings():
            number += 1
            yield [number, finding.severity_label(lang), finding.code, finding.form, finding.file,
                   finding.sheet, finding.cell, finding.message(lang), finding.fix(lang)]

    def body():
        for row, values in enumerate(rows(), start=2):
            yield row, values, styles

    header = [pair[0] if zh else pair[1] for pair in _FINDING_COLUMNS]
    count += len(summary.failures)
    widths = _widths(header, rows(), styles, limit=60)
    return SheetPlan(FINDINGS_SHEET, header, body, widths,
                     filter_ref=f"A1:{column_letter(len(header) - 1)}{count + 1}", last_row=count + 1)


def _style(kind: str, bold: bool = False) -> str:
    base = kind if kind in _FORMATS else "text"
    return base + ("_bold" if bold else "")


def _widths(header, rows, kinds, limit: float = 40, sample: int = _SAMPLE_ROWS) -> list[float]:
    widths = [_display_width(h) for h in header]
    for index, values in enumerate(rows):
        if index >= sample:
            break
        for col, (value, kind) in enumerate(zip(values, kinds)):
            shown = 14 if kind == "money" else 11 if kind == "date" else _display_width(value)
            widths[col] = max(widths[col], shown)
    return [min(limit, max(6.0, w + 2)) for w in widths]


def _display_width(value: Any) -> float:
    """Columns a text takes: CJK and other wide characters count twice."""
    return _text_width("" if value is None else str(value))


@lru_cache(maxsize=4096)
def _text_width(text: str) -> int:  # the sampled rows repeat most of their texts
    return len(text) if text.isascii() else len(text) + len(_WIDE.findall(text))


def _add_chart(ws, layout: SummaryLayout, last_row: int) -> None:
    """A native bar chart of the annual request by 项目类别 (the live subtotal cells)."""
    first, last = layout.section_rows("category")
    if last < first:
        return
    zh = layout.lang == "zh"
    chart = BarChart()
    chart.type = "bar"
    chart.title = "年度资金申请总额（按项目类别，元）" if zh else "Annual request by category (元)"
    chart.legend = None
    label_col = [c.key for c in layout.columns].index(layout.label_key) + 1
    value_col = [c.key for c in layout.columns].index("annual") + 1
    chart.add_data(Reference(ws, min_col=value_col, min_row=first, max_row=last))
    labels = f"{quote_sheetname(ws.title)}!${column_letter(label_col - 1)}${first}:" \
             f"${column_letter(label_col - 1)}${last}"
    chart.series[0].cat = AxDataSource(strRef=StrRef(f=labels))  # category names are text
    chart.series[0].tx = SeriesLabel(v="年度资金申请总额" if zh else "annual request")
    chart.y_axis.numFmt = MONEY_FORMAT
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.width, chart.height = 18, 2.5 + 1.0 * (last - first + 1)
    ws.add_chart(chart, f"B{last_row + 3}")


# --- writing: cells (a workbook in hand) or a streamed new workbook -----------------------

_STYLE_SPECS = {
    "text": (None, False), "money": (MONEY_FORMAT, False), "count": (COUNT_FORMAT, False),
    "date": (DATE_FORMAT, False), "text_bold": (None, True), "money_bold": (MONEY_FORMAT, True),
    "count_bold": (COUNT_FORMAT, True), "date_bold": (DATE_FORMAT, True),
}


def _apply_style(cell, style: str) -> None:
    number_format, bold = _STYLE_SPECS.get(style, (None, False))
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
        cell.fill = _TOTAL_FILL


def _header_cell(ws, text: str):
    cell = WriteOnlyCell(ws, text)
    cell.font = Font(bold=True)
    cell.fill = _HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return cell


def _set_value(cell, value: Any) -> None:
    if isinstance(value, Formula):
        cell.value = value.text
        return
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # `=100(%)` is a target, not a formula


def _decorate(ws, plan: SheetPlan) -> None:
    for index, width in enumerate(plan.widths):
        ws.column_dimensions[column_letter(index)].width = width
    ws.freeze_panes = plan.freeze
    if plan.table and plan.last_row > 1:
        last = column_letter(len(plan.header) - 1)
        table = Table(displayName=plan.table, ref=f"A1:{last}{plan.last_row}")
        table.tableColumns = [TableColumn(id=i + 1, name=name) for i, name in enumerate(plan.header)]
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        with warnings.catch_warnings():  # write-only mode warns even when columns are given
            warnings.simplefilter("ignore", UserWarning)
            ws.add_table(table)
    elif plan.filter_ref:
        ws.auto_filter.ref = plan.filter_ref
    if plan.decorate:
        plan.decorate(ws)


def write_summary_sheets(wb, summary, report: Report | None = None, lang: str = "zh") -> None:
    """(Re)build 汇总, 指标明细 and 校验结果 in an open (not write-only) openpyxl workbook.

    Existing sheets of those names are replaced where they stood; other sheets are untouched.
    """
    for plan in (summary_plan(summary, lang), indicator_plan(summary, lang),
                 findings_plan(summary, report, lang)):
        position = wb.sheetnames.index(plan.title) if plan.title in wb.sheetnames else None
        if position is not None:
            wb.remove(wb[plan.title])
        ws = wb.create_sheet(plan.title, position)
        ws.append([_header_cell(ws, text) for text in plan.header])
        for row, values, styles in plan.body():
            for col, (value, style) in enumerate(zip(values, styles), start=1):
                if value is None or value == "":
                    continue
                cell = ws.cell(row, col)
                _set_value(cell, value)
                _apply_style(cell, style)
        _decorate(ws, plan)


def write_summary_workbook(path: str | Path, summary, report: Report | None = None, *,
                           lang: str = "zh", force: bool = True) -> Path:
    """A new summary workbook at ``path``, written atomically."""
    path = Path(path)
    with atomic_path(path, force=force) as final:  # refuses an existing file before any work
        plans = [summary_plan(summary, lang), indicator_plan(summary, lang),
                 findings_plan(summary, report, lang)]
        wb = Workbook(write_only=True)
        style_ids = _register_styles(wb)
        sheets = []
        for plan in plans:
            ws = wb.create_sheet(plan.title)
            _decorate(ws, plan)
            ws.append([_header_cell(ws, text) for text in plan.header])
            sheets.append(ws)
        skeleton = final.with_name(final.name + ".skeleton")
        try:
            wb.save(skeleton)
            bodies = {ws.path.lstrip("/"): _xml_body(plan, style_ids)
                      for ws, plan in zip(sheets, plans)}
            splice_rows(skeleton, final, bodies)
        finally:
            skeleton.unlink(missing_ok=True)
    return path


def _register_styles(wb) -> dict[str, int]:
    """The cell-format index of each style, registered in the workbook's stylesheet."""
    probe = wb.create_sheet("_probe")
    ids = {}
    for name in _STYLE_SPECS:
        cell = WriteOnlyCell(probe)
        _apply_style(cell, name)
        ids[name] = cell.style_id
    wb.remove(probe)
    return ids


def _xml_body(plan: SheetPlan, style_ids: dict[str, int]) -> Callable[[], Iterator[bytes]]:
    if plan.columns is not None:
        def table_rows() -> Iterator[bytes]:
            parts, styles = plan.columns()
            attrs, row = style_attrs(styles, style_ids), 2
            for part in parts:
                yield from render_table(row, part, attrs)
                row += len(part[0]) if part else 0
        return table_rows

    def rows() -> Iterator[bytes]:
        attrs: dict[int, list[str]] = {}  # by id of a styles list: body rows share one

        def with_attrs():
            for row, values, styles in plan.body():
                key = id(styles)
                if key not in attrs:
                    attrs[key] = style_attrs(styles, style_ids)
                yield row, values, attrs[key]
        yield from render_rows(with_attrs())
    return rows


# --- rule C04 on a sheet's formulas ------------------------------------------------------

def audit_formulas(ws, file: str = "") -> list:
    """Rule C04 on a sheet (a 汇总 of ours or a user's own): formulas that put 项目资金总额
    (or its fiscal / other parts) together with annual amounts.

    Columns are recognised by their heading (zh or en) in the first ten rows.
    """
    multi_names = {c.heading(lang) for c in MONEY if c.key in MULTI_YEAR_KEYS for lang in ("zh", "en")}
    annual_names = {c.heading(lang) for c in MONEY if c.key in ANNUAL_KEYS for lang in ("zh", "en")}
    multi: dict[str, str] = {}
    annual: dict[str, str] = {}
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 10)):
        for cell in row:
            heading = " ".join(str(cell.value).split()) if isinstance(cell.value, str) else ""
            if heading in multi_names:
                multi[cell.column_letter] = heading
            elif heading in annual_names:
                annual[cell.column_letter] = heading
    formulas = [(cell.coordinate, cell.column_letter, cell.value)
                for row in ws.iter_rows() for cell in row
                if cell.data_type == "f" and isinstance(cell.value, str)]
    return formula_audit(formulas, multi, annual, file=file, sheet=ws.title)
