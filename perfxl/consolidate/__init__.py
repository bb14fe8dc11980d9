"""Consolidation: many forms → one summary (汇总) of projects, subtotals and indicators.

``consolidate(forms)`` works on forms in memory; ``consolidate_files(paths)`` reads files and
folders over a process pool and streams compact rows back (see ``files``). The sheet
writers live in ``perfxl.io.summary``; this package imports neither openpyxl nor xlwings.
"""

from __future__ import annotations

from .columns import GROUPINGS, INDICATOR_COLUMNS, MONEY, PROJECT_COLUMNS, Column
from .rows import FormRows, form_rows
from .summary import Summary, SummaryBuilder, consolidate

__all__ = [
    "Column",
    "FormRows",
    "GROUPINGS",
    "INDICATOR_COLUMNS",
    "MONEY",
    "PROJECT_COLUMNS",
    "Summary",
    "SummaryBuilder",
    "consolidate",
    "form_rows",
]
