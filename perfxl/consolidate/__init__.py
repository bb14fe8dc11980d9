"""Consolidation: many forms → one summary (汇总) of projects, subtotals and indicators.

``consolidate(forms)`` works on forms in memory; ``consolidate_files(paths)`` reads files and
folders over a process pool and streams compact rows back (see ``files``). The sheet
writers live in ``perfxl.io.summary``; this package imports neither openpyxl nor xlwings.
"""

from __future__ import annotations

import importlib

from .columns import GROUPINGS, INDICATOR_COLUMNS, MONEY, PROJECT_COLUMNS, Column
from .rows import FormRows, form_rows

# pandas is imported only when a summary's tables (Summary.projects …) are first used: the
# workers never load it, and a folder run that writes the summary workbook does not either.
_LAZY = {"Summary": "summary", "SummaryBuilder": "summary", "consolidate": "summary"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
