"""Adding sheets through the port: unique names, the blank form sheet, forms written into sheets."""

from __future__ import annotations

from typing import Iterable

from ..grid import Grid
from ..model import Form
from ..parse import parse_grid
from ..parse.labels import TITLE_MARK
from ..text import squash
from .port import WorkbookPort
from .settings import BLANK_FORM_SHEETS, is_form_candidate


def unique_name(base: str, taken: Iterable[str]) -> str:
    """A legal sheet name not in ``taken`` (≤ 31 characters, no ``[]:*?/\\``, numbered)."""
    from ..io.formsheet import sheet_title

    return sheet_title(base, list(taken))


def is_blank_form(grid: Grid) -> bool:
    """A template form sheet nobody has filled in: a ``px_name`` cell that is empty."""
    where = grid.names.get("px_name")
    if where is None:
        return False
    value = grid.value(*where)
    return value is None or (isinstance(value, str) and not value.strip())


def find_blank_form(port: WorkbookPort) -> str | None:
    """The sheet 新建项目表 copies: a known name first, then any blank template sheet."""
    names = port.sheet_names()
    ordered = [n for n in BLANK_FORM_SHEETS if n in names]
    ordered += [n for n in names if n not in ordered and is_form_candidate(n)]
    for name in ordered:
        if is_blank_form(port.read_grid(name)):
            return name
    return None


def form_cells(form: Form) -> tuple[dict[str, object], str, list[list[object]]]:
    """What ``write_form`` puts in the input cells of the template layout.

    Returns ({address: value} of the header cells, the top-left of the indicator block,
    the indicator block rows) — to be written into a copy of the blank form sheet.
    """
    import openpyxl

    from ..io.formsheet import write_form
    from ..io.template_layout import (
        FIELD_CELLS, FIRST_INDICATOR_ROW, INDICATOR_COLUMNS, MONEY_LABEL_CELL, OVERALL_LABEL_CELL,
    )

    scratch = openpyxl.Workbook().active
    write_form(scratch, form)
    inputs = (*FIELD_CELLS.values(), MONEY_LABEL_CELL, OVERALL_LABEL_CELL)
    header = {address: scratch[address].value for address in inputs}
    first, last = INDICATOR_COLUMNS["level1"], INDICATOR_COLUMNS["unit"]
    bottom = FIRST_INDICATOR_ROW + len(form.indicators) - 1
    block = scratch[f"{first}{FIRST_INDICATOR_ROW}:{last}{bottom}"] if form.indicators else ()
    rows = [[cell.value for cell in row] for row in block]
    return header, f"{first}{FIRST_INDICATOR_ROW}", rows


def write_form_into_copy(port: WorkbookPort, blank: str, name: str, form: Form) -> None:
    """Copy the blank form sheet and write the form's values into its input cells."""
    port.copy_sheet(blank, name)
    header, corner, rows = form_cells(form)
    for address, value in header.items():
        port.write_table(name, [[value]], address)
    if rows:
        port.write_table(name, rows, corner)


def text_segments(grid: Grid) -> list[list[list[object]]]:
    """The rows of each form of a published-text grid (a new form at each title line)."""
    starts = [r for r in range(grid.height)
              if any(isinstance(v, str) and TITLE_MARK in squash(v) for _, v in grid.nonempty(r))]
    if not starts:
        return [grid.rows]
    bounds = starts + [grid.height]
    return [_trim(grid.rows[bounds[i]:bounds[i + 1]]) for i in range(len(starts))]


def _trim(rows: list[list[object]]) -> list[list[object]]:
    while rows and all(v in (None, "") for v in rows[-1]):
        rows = rows[:-1]
    return rows


def forms_of_text(grid: Grid) -> list[tuple[Form, list[list[object]]]]:
    """Each form of a text file with its own lines (FormParseError when there is none)."""
    forms = parse_grid(grid)
    segments = text_segments(grid)
    if len(segments) == len(forms):
        return list(zip(forms, segments))
    from ..formdict import form_to_dict, render_text

    return [(form, [line.split("\t") for line in render_text(form_to_dict(form)).split("\n")])
            for form in forms]
