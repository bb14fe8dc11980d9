"""The summary as plain data: JSON (stable English keys, money as "123.45") and CSV tables.

Money is written as text with two decimals (the ``perfxl import --json`` spelling), never
as a float, so a reader gets exactly the 元 amounts that were summed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any, Mapping, Sequence

from ..money import plain_yuan, yuan_to_wan
from .columns import GROUP_COLUMNS, GROUPINGS, INDICATOR_COLUMNS, MONEY, PROJECT_COLUMNS
from .layout import rows_of

_GROUP_ZH = {"department": "主管部门", "category": "项目类别", "nature": "项目性质", "total": "合计"}


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, Decimal):
        return plain_yuan(value) if value == value.quantize(Decimal("0.01")) else format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _records(rows: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """Rows (one dict each) as JSON-ready dicts of the given keys, in that order."""
    return [{key: _plain(row[key]) for key in keys} for row in rows]


def _column_records(table: Mapping[str, Sequence], keys: Sequence[str]) -> list[dict[str, Any]]:
    """A table of columns (key → values) as JSON-ready dicts, one per row."""
    return [dict(zip(keys, map(_plain, record))) for record in zip(*(table[k] for k in keys))]


def _group_keys(by: str) -> list[str]:
    return [GROUPINGS[by].key, *(c.key for c in GROUP_COLUMNS)]


def summary_dict(summary) -> dict[str, Any]:
    """Everything in one JSON-ready dict (read from the summary's plain rows)."""
    total = summary.total_values
    return {
        "total": {key: _plain(value) for key, value in total.items()},
        "total_wan": {column.key: _plain(yuan_to_wan(total[column.key], 2)) for column in MONEY},
        "subtotals": {by: _records(summary.subtotal_rows[by], _group_keys(by))
                      for by in GROUPINGS},
        "projects": _records(summary.project_rows, [c.key for c in PROJECT_COLUMNS]),
        "indicators": _column_records(summary.indicator_columns,
                                      [c.key for c in INDICATOR_COLUMNS]),
        "report": summary.report.to_dict(),
        "unreadable": [
            {"file": e.file, "sheet": e.sheet, "cell": e.cell, "message": {"zh": e.zh, "en": e.en}}
            for e in summary.failures
        ],
    }


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def csv_safe(value: object) -> object:
    """CSV injection: text a spreadsheet would run as a formula gets a leading apostrophe.

    ``=100(%)`` (an indicator value) or ``=HYPERLINK(…)`` in a project name would be
    evaluated when the CSV is opened in Excel or WPS; ``'=100(%)`` is shown as the text it
    is. Plain numbers (``-100.00``) are left alone. JSON is not changed: it is data for
    programs, and ``perfxl import --json`` keeps values exactly as written.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def _csv_text(header: list[str], rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else csv_safe(v) for v in row])
    return buffer.getvalue()


def csv_tables(summary, lang: str = "zh") -> dict[str, str]:
    """{table name: CSV text}: 汇总 (projects), 小计 (subtotals and total), 指标明细, 校验结果."""
    zh = lang == "zh"
    keys = [c.key for c in PROJECT_COLUMNS]
    return {
        "汇总": _csv_text([c.heading(lang) for c in PROJECT_COLUMNS],
                        ([_plain(row[k]) for k in keys] for row in summary.project_rows)),
        "小计": _csv_text(
            ["分组" if zh else "grouping", "名称" if zh else "name",
             *[c.heading(lang) for c in GROUP_COLUMNS]],
            _subtotal_rows(summary, zh)),
        "指标明细": _csv_text(
            [c.heading(lang) for c in INDICATOR_COLUMNS],
            ([_plain(v) for v in r] for part in summary.indicator_batches()
             for r in rows_of(part, INDICATOR_COLUMNS, lang))),
        "校验结果": _csv_text(
            ["级别", "规则", "项目", "文件", "工作表", "单元格", "问题", "修改建议"] if zh else
            ["severity", "rule", "project", "file", "sheet", "cell", "message", "fix"],
            _finding_rows(summary, lang)),
    }


def _subtotal_rows(summary, zh: bool):
    keys = [c.key for c in GROUP_COLUMNS]
    for by in GROUPINGS:
        for values in summary.subtotal_rows[by]:
            yield [_GROUP_ZH[by] if zh else by, values[by], *[_plain(values[k]) for k in keys]]
    total = summary.total_values
    yield [_GROUP_ZH["total"] if zh else "total", "", *[_plain(total.get(k)) for k in keys]]


def _finding_rows(summary, lang: str):
    for error in summary.failures:
        yield ["错误" if lang == "zh" else "error", "", "", error.file, error.sheet, error.cell,
               error.zh if lang == "zh" else error.en, ""]
    for f in summary.findings():
        yield [f.severity_label(lang), f.code, f.form, f.file, f.sheet, f.cell, f.message(lang),
               f.fix(lang)]

