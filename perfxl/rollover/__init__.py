"""Year-end carry-over (结转): roll a department's forms forward to next year.

``rollover(forms, spent, next_year)`` is the core (no file access); ``read_spending`` /
``load_spending`` read execution figures (实际支出); ``rollover_workbook`` and
``validate_against_last_year`` are the doors the CLI and the Excel layer call.
"""

from __future__ import annotations

from .core import propose, rollover, spread, this_year_of
from .files import RolloverResult, forms_of, rollover_workbook, validate_against_last_year
from .report import CONTINUES, ENDS, SKIPPED, ProjectRollover, RolloverNote, RolloverReport
from .spent import (
    Spending,
    SpendingRow,
    SpendingTable,
    as_spending,
    form_key,
    load_spending,
    read_spending,
    resolve_spending,
    spending_from_grids,
)

__all__ = [
    "rollover", "propose", "spread", "this_year_of",
    "rollover_workbook", "validate_against_last_year", "RolloverResult", "forms_of",
    "RolloverReport", "ProjectRollover", "RolloverNote", "CONTINUES", "ENDS", "SKIPPED",
    "Spending", "SpendingRow", "SpendingTable", "as_spending", "form_key", "load_spending",
    "read_spending", "resolve_spending", "spending_from_grids",
]
