"""汇总本簿 / 汇总文件夹 through the port, on top of the consolidation library.

The 汇总 and 指标明细 sheets of the workbook in hand are written from the library's sheet
plans (``perfxl.io.summary``): values and live formulas, one table write per sheet. A folder
is consolidated into a *new* workbook by the library's own writer (styles, chart); the
source files are only read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..consolidate.layout import Formula as LayoutFormula
from .port import Formula, WorkbookPort


def plan_rows(plan) -> list[list[object]]:
    """A sheet plan of ``perfxl.io.summary`` as rows from A1 (header first), formulas kept.

    Body rows come as ``(row, values, styles)`` or ``(row, [(value, style), …])``.
    """
    rows: list[list[object]] = [list(plan.header)]
    for item in plan.body():
        number, values = item[0], list(item[1])
        if len(item) == 2:  # (row, [(value, style), …])
            values = [value for value, _ in values]
        while len(rows) < number - 1:
            rows.append([])
        rows.append([Formula(v.text) if isinstance(v, LayoutFormula) else v for v in values])
    return rows


def write_book_summary(port: WorkbookPort, summary, lang: str) -> list[str]:
    """Rebuild 汇总 and 指标明细 in the workbook; returns the sheet names written."""
    from ..io.summary import indicator_plan, summary_plan

    written = []
    for plan in (summary_plan(summary, lang), indicator_plan(summary, lang)):
        port.replace_sheet(plan.title, plan_rows(plan))
        written.append(plan.title)
    return written


def summary_path(folder: Path, name: str = "汇总") -> Path:
    """``汇总.xlsx`` in the folder, numbered when taken (an existing file is never replaced)."""
    candidate, number = folder / f"{name}.xlsx", 2
    while candidate.exists():
        candidate = folder / f"{name}({number}).xlsx"
        number += 1
    return candidate


def consolidate_into(folder: Path, out: Path, config, lang: str,
                     status: Callable[[str | None], None]) -> object:
    """Every form in ``folder`` (searched) → a new summary workbook at ``out``."""
    from ..consolidate.files import consolidate_files
    from ..io.summary import write_summary_workbook

    def progress(done: int, total: int, path: Path, forms: int) -> None:
        if total < 20 or done % max(1, total // 20) == 0 or done == total:
            status(f"perfxl：{done}/{total} {path.name}" if lang == "zh"
                   else f"perfxl: {done}/{total} {path.name}")

    # jobs=1: inside Excel, stay in the interpreter RunPython started (no process pool)
    summary = consolidate_files([folder], config=config, jobs=1, exclude=[out], progress=progress)
    write_summary_workbook(out, summary, lang=lang, force=False)
    return summary
