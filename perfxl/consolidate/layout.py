"""Where things go on the 汇总 sheet, as plain values and Excel formula text.

One row per project under a header row, then the totals and the subtotals as live
formulas over those rows (SUMIFS on the 计入合计 column, so an edited amount or a row
switched to 0 moves every total). 项目资金总额 and its parts are summed in their own
columns only (rules.md C04). Nothing here touches a workbook: ``perfxl.io.summary`` writes
this layout with openpyxl; a live-Excel writer can write the same rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterator, Mapping, Sequence

from ..grid import column_letter
from ..money import Remaining
from .columns import (COUNT_KEYS, GROUPINGS, KIND_EN, KIND_ZH, MONEY_KEYS, PROJECT_COLUMNS,
                      SPENT_KEY, Column)
from .spill import batches_of

# The sheets a summary is made of (never forms: a folder run does not read them).
SUMMARY_SHEET, INDICATOR_SHEET, FINDINGS_SHEET = "汇总", "指标明细", "校验结果"
SUMMARY_SHEETS = (SUMMARY_SHEET, INDICATOR_SHEET, FINDINGS_SHEET)
HEADER_ROW = 1
FIRST_DATA_ROW = 2
# The subtotal sections under the totals, in this order; the chart uses the first.
SECTIONS = ("category", "department", "nature")
_SECTION_TITLES = {
    "category": ("按项目类别小计", "subtotals by category"),
    "department": ("按主管部门小计", "subtotals by department"),
    "nature": ("按项目性质小计", "subtotals by nature"),
}
_BLANK = ("（未填）", "(blank)")
SUMMED = MONEY_KEYS + (SPENT_KEY,) + COUNT_KEYS


@dataclass(frozen=True)
class Formula:
    """An Excel formula, written as such (text that merely starts with ``=`` is not one)."""

    text: str  # with the leading "="


@dataclass(frozen=True)
class FooterRow:
    style: str  # "total", "wan", "section", "group"
    cells: dict[str, Any]  # column key → value or Formula; "label" → the label cell


def criterion(value: str) -> str:
    """A SUMIFS criterion that matches exactly this text (``~`` escapes * ? ~)."""
    if not value:
        return '""'
    escaped = value.replace("~", "~~").replace("*", "~*").replace("?", "~?").replace('"', '""')
    return f'"={escaped}"'


class SummaryLayout:
    """The 汇总 sheet of a Summary: columns, data rows, footer rows, chart span."""

    columns: tuple[Column, ...] = PROJECT_COLUMNS
    label_key = "name"  # labels of the footer rows go in the 项目名称 column

    def __init__(self, summary, lang: str = "zh") -> None:
        self.summary = summary
        self.lang = lang
        self.n = len(summary.project_rows)
        self.letters = {c.key: column_letter(i) for i, c in enumerate(self.columns)}
        self.last_data_row = FIRST_DATA_ROW + max(self.n, 1) - 1
        self._footer: list[FooterRow] | None = None

    def _text(self, pair: tuple[str, str]) -> str:
        return pair[0] if self.lang == "zh" else pair[1]

    def header(self) -> list[str]:
        return [c.heading(self.lang) for c in self.columns]

    @property
    def last_column(self) -> str:
        return column_letter(len(self.columns) - 1)

    @property
    def filter_ref(self) -> str:
        return f"A{HEADER_ROW}:{self.last_column}{self.last_data_row}"

    def span(self, key: str) -> str:
        letter = self.letters[key]
        return f"${letter}${FIRST_DATA_ROW}:${letter}${self.last_data_row}"

    def data_rows(self, stop: int | None = None) -> Iterator[tuple]:
        """The project rows (the first ``stop`` of them) as cell values (text, int, Decimal,
        date), in column order."""
        rows = self.summary.project_rows
        for part in batches_of(rows if stop is None else rows[:stop]):
            yield from rows_of(column_table(part, self.columns), self.columns, self.lang)

    # --- footer: totals and subtotals -----------------------------------------------------

    def footer(self) -> list[FooterRow]:
        if self._footer is None:
            self._footer = self._build_footer()
        return self._footer

    def footer_start(self) -> int:
        return self.last_data_row + 2  # one blank row after the data

    def _build_footer(self) -> list[FooterRow]:
        counted = self.span("counted")
        total_row = self.footer_start()
        rows = [FooterRow("total", self._total_cells(counted)),
                FooterRow("wan", self._wan_cells(total_row))]
        for section in SECTIONS:
            rows.append(FooterRow("section", {"label": self._text(_SECTION_TITLES[section])}))
            for group in self.summary.subtotal_rows[section]:
                value = group[GROUPINGS[section].key]
                rows.append(FooterRow("group", self._group_cells(section, value or "", counted)))
        return rows

    def _total_cells(self, counted: str) -> dict[str, Any]:
        label = "合计" if self.lang == "zh" else "Total"
        duplicates = self.summary.duplicates
        if duplicates:
            label += (f"（不含{duplicates}个重复项目：计入合计为 0 的行）" if self.lang == "zh"
                      else f" (without {duplicates} duplicate projects: rows with counted = 0)")
        cells: dict[str, Any] = {"label": label}
        for key in SUMMED:
            cells[key] = Formula(f"=SUMIFS({self.span(key)},{counted},1)")
        cells["counted"] = Formula(f"=COUNTIFS({counted},1)")
        cells["duplicate_of"] = Formula(f"=COUNTIFS({counted},0)")
        return cells

    def _wan_cells(self, total_row: int) -> dict[str, Any]:
        cells: dict[str, Any] = {"label": "合计（万元）" if self.lang == "zh" else "Total (万元)"}
        for key in MONEY_KEYS:
            cells[key] = Formula(f"=ROUND({self.letters[key]}{total_row}/10000,2)")
        return cells

    def _group_cells(self, section: str, value: str, counted: str) -> dict[str, Any]:
        where = f"{self.span(GROUPINGS[section].key)},{criterion(value)},{counted},1"
        cells: dict[str, Any] = {"label": value or self._text(_BLANK)}
        for key in SUMMED:
            cells[key] = Formula(f"=SUMIFS({self.span(key)},{where})")
        cells["counted"] = Formula(f"=COUNTIFS({where})")
        return cells

    def footer_rows(self) -> Iterator[tuple[int, str, list[Any]]]:
        """(sheet row, style, values in column order) of the totals and subtotals."""
        row = self.footer_start()
        for footer in self.footer():
            values = [footer.cells.get(c.key) for c in self.columns]
            values[self._label_index] = footer.cells.get("label")
            yield row, footer.style, values
            row += 1

    @property
    def _label_index(self) -> int:
        return [c.key for c in self.columns].index(self.label_key)

    def section_rows(self, section: str) -> tuple[int, int]:
        """First and last sheet row of one subtotal section's group rows."""
        title = self._text(_SECTION_TITLES[section])
        footer = self.footer()
        first = next(i for i, f in enumerate(footer) if f.cells.get("label") == title
                     and f.style == "section") + 1
        last = first
        while last < len(footer) and footer[last].style == "group":
            last += 1
        start = self.footer_start()
        return start + first, start + last - 1

    def total_row(self) -> int:
        return self.footer_start()


def column_table(rows: Sequence[Mapping[str, Any]], columns) -> dict[str, list]:
    """Rows (one dict each) as a table of columns: column key → values."""
    return {c.key: [row[c.key] for row in rows] for c in columns}


def rows_of(table: Mapping[str, Sequence], columns, lang: str = "zh",
            stop: int | None = None) -> Iterator[tuple]:
    """The rows of a table of columns (key → values) as sheet values, a column at a time.

    Missing values are None; flags read 是; the F05 label and the target kind are written
    in ``lang``; everything else (text, int, Decimal, date) is kept as it is. ``stop``: only
    the first rows.
    """
    lists = columns_of(table, columns, lang, stop)
    return zip(*lists) if lists else iter(())


def columns_of(table: Mapping[str, Sequence], columns, lang: str = "zh",
               stop: int | None = None) -> list[Sequence]:
    """The columns of a table as sheet values (see ``rows_of``)."""
    return [_sheet_values(_head(table[c.key], stop), c, lang) for c in columns]


def _head(values: Sequence, stop: int | None) -> Sequence:
    return values if stop is None or len(values) <= stop else values[:stop]


def _sheet_values(values: Sequence, column: Column, lang: str) -> Sequence:
    if column.kind == "flag":
        yes = "是" if lang == "zh" else "yes"
        return [yes if v else None for v in values]
    if column.kind == "when":
        labels = {when: (Remaining(Decimal(0), when).label_zh if lang == "zh"
                         else Remaining(Decimal(0), when).label_en)
                  for when in ("later", "earlier", "both")}
        return [labels.get(v) for v in values]
    if column.key == "kind":
        names = KIND_ZH if lang == "zh" else KIND_EN
        return [names.get(v, v) if v is not None else None for v in values]
    return values


def excel_serial(value: dt.date) -> int:
    return (value - dt.date(1899, 12, 30)).days
