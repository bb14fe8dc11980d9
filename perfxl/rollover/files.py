"""Doors of the carry-over: workbooks and files in, the next-year workbook out.

``rollover_workbook`` is what ``perfxl rollover`` and the ribbon's 结转下年 (macro
``rollover_book``) call; ``validate_against_last_year`` is what
``perfxl validate THIS --last-year LAST [--spent FILE]`` calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..grid import Grid
from ..model import Form
from ..report import Finding, Report
from .core import rollover
from .report import RolloverReport
from .spent import Spending, SpendingTable, as_spending, resolve_spending, spending_from_grids

Source = str | Path | Sequence[Grid] | Sequence[Form]


@dataclass(frozen=True)
class RolloverResult:
    forms: list[Form]  # next year's forms
    report: RolloverReport
    spending: Spending
    spending_from: str  # where the figures came from ("" when none were given or found)
    crossyear: list[Finding]  # this year's forms against last year's (C05/C06), if given
    output: Path | None = None


def _is_blank(form: Form) -> bool:
    """The template's empty form sheet: no project name and no amount."""
    funding = form.funding
    return not form.project.name and all(
        getattr(funding, name) is None for name in
        ("total", "fiscal", "other_total", "annual", "appropriation", "carryover", "other_annual"))


def _grids_and_forms(source: Source) -> tuple[list[Grid], list[Form]]:
    from ..io import forms_of_grids, read_grids

    if isinstance(source, (str, Path)):
        grids = read_grids(source)
        forms = forms_of_grids(grids, str(source))
    else:
        grids = list(source)
        if grids and all(isinstance(item, Form) for item in grids):
            return [], grids
        forms = forms_of_grids(grids, grids[0].file if grids else "")
    return grids, [form for form in forms if not _is_blank(form)]


def forms_of(source: Source) -> list[Form]:
    """The forms of a file path, a list of grids or a list of forms."""
    return _grids_and_forms(source)[1]


def _spending(spent: Any, grids: list[Grid], forms: list[Form], sheet: str | None):
    """(Spending, where from): given figures, else a 实际支出 column in the workbook itself."""
    if spent is not None:
        where = str(spent) if isinstance(spent, (str, Path)) else ""
        if isinstance(spent, (str, Path)) and sheet is not None:
            from .spent import load_spending

            return load_spending(spent, forms, sheet), where
        return as_spending(spent, forms), where
    table: SpendingTable | None = spending_from_grids(grids, sheet) if grids else None
    if table is None or not table.rows:
        return Spending(), ""
    return resolve_spending(table, forms), f"{table.file} [{table.sheet}]"


def rollover_workbook(
    source: Source,
    spent: Any = None,
    next_year: int | None = None,
    *,
    output: str | Path | None = None,
    force: bool = False,
    last_year: Source | None = None,
    spent_sheet: str | None = None,
    template: str | Path | None = None,
    lang: str = "zh",
) -> RolloverResult:
    """Roll a workbook (path, or the grids of a live workbook) forward to next year.

    ``spent``: spending figures (file path, ``Spending``, mapping); when None, a sheet of
    the workbook with a 实际支出 column (e.g. the filled 汇总 sheet) is used if there is
    one. ``last_year``: last year's workbook or forms — used for the appropriations
    already made and checked against this year's forms (C05/C06). With ``output`` the
    next-year workbook is written there (an existing file only with ``force``; an
    ``.xlsm`` on the macro-enabled ``template``).
    """
    grids, forms = _grids_and_forms(source)
    spending, where = _spending(spent, grids, forms, spent_sheet)
    history: list[Form] = forms_of(last_year) if last_year is not None else []
    next_forms, report = rollover(forms, spending, next_year, history=history)
    crossyear: list[Finding] = []
    if history:
        from ..rules.crossyear import check_against_last_year

        crossyear = check_against_last_year(forms, history)
    written = None
    if output is not None:
        from ..io.rollover_sheet import write_rollover_workbook

        written = write_rollover_workbook(next_forms, report, output, force=force,
                                          template=template, lang=lang)
    return RolloverResult(next_forms, report, spending, where, crossyear, written)


def validate_against_last_year(
    this_year: Source,
    last_year: Source,
    spent: Any = None,
    config: Any = None,
) -> Report:
    """Cross-year findings (C05, C06) of this year's forms against last year's.

    ``spent``: last year's spending figures (file path, ``Spending`` or mapping), matched
    to last year's forms; without them C05 only checks that no carry-over exceeds last
    year's annual money.
    """
    from ..rules.crossyear import check_against_last_year

    this_forms, last_forms = forms_of(this_year), forms_of(last_year)
    findings = check_against_last_year(this_forms, last_forms, spent, config)
    return Report(tuple(findings), len(this_forms))
