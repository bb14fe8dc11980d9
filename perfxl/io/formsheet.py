"""Forms into sheets: one form sheet per project, laid out like the official 申报表.

``write_form`` draws the template layout on a new sheet and fills it; reading the sheet
back (``perfxl.io.read_forms``) gives an equal Form. ``write_forms_workbook`` writes a
whole workbook, optionally into a copy of the perfxl template (keeping its VBA project
and ribbon), atomically.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Iterable

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import InputError, WorkbookError
from ..model import Form, Indicator
from ..money import WAN
from ..targets import format_number, format_target
from . import is_form_sheet_name
from .atomic import atomic_path
from .template_layout import (
    DEFAULT_INDICATOR_ROWS, FIELD_CELLS, FIRST_INDICATOR_ROW, GOAL_ROW, INDICATOR_COLUMNS,
    MONEY_LABEL_CELL, OVERALL_LABEL_CELL, WIDTHS, draw_form_sheet, money_label, overall_label,
)

__all__ = ["write_form", "write_forms_workbook", "forms_workbook", "sheet_title",
           "blank_form_sheets", "default_template"]

MAX_TITLE = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_LINE_HEIGHT = 13.5  # points per line of 10-pt 宋体


def sheet_title(name: str, taken: Iterable[str] = ()) -> str:
    """A legal, unused sheet name for a project: ≤ 31 characters, no ``[]:*?/\\``, numbered.

    A project named like one of perfxl's own sheets (汇总, 说明 …) or starting with ``_``
    gets a 项目- prefix: those sheets are never read for forms.
    """
    base = _FORBIDDEN.sub("_", " ".join(str(name).split())).strip("'") or "项目"
    if not is_form_sheet_name(base):
        base = "项目-" + base
    used = {title.casefold() for title in taken}
    title, number = base[:MAX_TITLE], 1
    while title.casefold() in used or title.casefold() == "history":
        number += 1
        suffix = f"({number})"
        title = base[: MAX_TITLE - len(suffix)] + suffix
    return title


def _text(sheet: Worksheet, address: str, value: str | None) -> None:
    """A text value, never taken for a formula (``=100(%)``, ``=``)."""
    cell = sheet[address]
    cell.value = value or None
    if value:
        cell.data_type = "s"


def _amount(value: Decimal | None, unit: str | None) -> Decimal | None:
    if value is None:
        return None
    return value / WAN if unit == "万元" else value


def write_form(sheet: Worksheet, form: Form) -> None:
    """Draw the form layout on an empty sheet and fill it with ``form``."""
    rows = max(DEFAULT_INDICATOR_ROWS, len(form.indicators))
    draw_form_sheet(sheet, form.year, rows)
    project, funding = form.project, form.funding
    for name in ("name", "nature", "category", "department", "unit"):
        _text(sheet, FIELD_CELLS[f"project.{name}"], getattr(project, name))
    sheet[FIELD_CELLS["project.start"]] = project.start
    sheet[FIELD_CELLS["project.end"]] = project.end
    sheet[MONEY_LABEL_CELL] = money_label(funding.unit)
    for name in ("total", "fiscal", "other_total", "annual", "appropriation", "carryover",
                 "other_annual"):
        sheet[FIELD_CELLS[f"funding.{name}"]] = _amount(getattr(funding, name), funding.unit)
    sheet[OVERALL_LABEL_CELL] = overall_label(form.goals.overall_period)
    _text(sheet, FIELD_CELLS["goals.overall"], form.goals.overall)
    _text(sheet, FIELD_CELLS["goals.annual"], form.goals.annual)
    _fit_goal_row(sheet, form.goals.overall, form.goals.annual)
    for offset, indicator in enumerate(form.indicators):
        _write_indicator(sheet, FIRST_INDICATOR_ROW + offset, indicator)


def _write_indicator(sheet: Worksheet, row: int, indicator: Indicator) -> None:
    columns = INDICATOR_COLUMNS
    for part in ("level1", "level2", "name"):
        _text(sheet, f"{columns[part]}{row}", getattr(indicator, part))
    target = indicator.target
    canonical = target.is_quantitative and format_target(
        target.op, target.number, target.unit) == target.raw
    if canonical:
        _text(sheet, f"{columns['op']}{row}", target.op)
        _text(sheet, f"{columns['number']}{row}", format_number(target.number))
        _text(sheet, f"{columns['unit']}{row}", target.unit)
    else:  # qualitative, malformed or unusually spelt: kept exactly as written
        _text(sheet, f"{columns['number']}{row}", target.raw)
    shown = format_number(target.number) if canonical else target.raw
    lines = max(_lines(indicator.name, WIDTHS["D"]), _lines(shown, WIDTHS["F"]),
                _lines(indicator.level2, WIDTHS["C"]), _lines(indicator.level1, WIDTHS["B"]))
    sheet.row_dimensions[row].height = max(20, lines * _LINE_HEIGHT + 6)


def _display_width(text: str) -> float:
    """Width in Excel character units of 10-pt text: a CJK character is about 1.8 digits."""
    return sum(1.8 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


def _lines(text: str, width: float) -> int:
    """How many lines a wrapped cell of ``width`` characters needs."""
    usable = max(1.0, width - 1.0)
    return sum(max(1, math.ceil(_display_width(part) / usable)) for part in text.split("\n"))


def _fit_goal_row(sheet: Worksheet, overall: str, annual: str) -> None:
    overall_width = WIDTHS["B"] + WIDTHS["C"] + WIDTHS["D"]
    annual_width = WIDTHS["E"] + WIDTHS["F"] + WIDTHS["G"] + WIDTHS["H"]
    lines = max(_lines(overall, overall_width), _lines(annual, annual_width), 5)
    sheet.row_dimensions[GOAL_ROW].height = min(409, lines * _LINE_HEIGHT + 8)


def blank_form_sheets(book: Workbook) -> list[Worksheet]:
    """The template's empty form sheets: a ``px_name`` name whose cell holds nothing."""
    blanks = []
    for sheet in book.worksheets:
        name = sheet.defined_names.get("px_name")
        if name is None:
            continue
        for _, address in name.destinations:
            if sheet[address.replace("$", "")].value in (None, ""):
                blanks.append(sheet)
                break
    return blanks


def _open_template(template: Path, keep_vba: bool) -> Workbook:
    if not template.exists():
        raise InputError("模板文件不存在", "template not found", file=str(template))
    try:
        return openpyxl.load_workbook(template, keep_vba=keep_vba)
    except (OSError, KeyError, ValueError) as exc:
        raise InputError(f"模板无法读取（{exc}）", f"cannot read the template ({exc})",
                         file=str(template)) from None


def forms_workbook(forms: Iterable[Form], *, template: str | Path | None = None,
                   keep_vba: bool = False) -> tuple[Workbook, list[str]]:
    """A workbook with one form sheet per form (in memory) and the sheet names used."""
    forms = list(forms)
    if template is None:
        book = Workbook()
        book.remove(book.active)
        position, code_name = 0, None
    else:
        book = _open_template(Path(template), keep_vba)
        blanks = blank_form_sheets(book)
        visible = [i for i, sheet in enumerate(book.worksheets) if sheet.sheet_state == "visible"]
        position = book.index(blanks[0]) if blanks else (visible[-1] + 1 if visible else 0)
        code_name = blanks[0].sheet_properties.codeName if blanks else None
        for sheet in blanks:
            book.remove(sheet)
    titles: list[str] = []
    for offset, form in enumerate(forms):
        title = sheet_title(form.project.name, [*book.sheetnames, *titles])
        sheet = book.create_sheet(title, position + offset)
        write_form(sheet, form)
        titles.append(title)
    if code_name and titles:  # the first project sheet takes over the blank sheet's VBA module
        book[titles[0]].sheet_properties.codeName = code_name
    if titles:
        book.active = book.index(book[titles[0]])
    return book, titles


def default_template() -> Path | None:
    """The built perfxl template: shipped with the package, or in the source checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "data" / "perfxl.xlsm",
                      package.parent / "workbook" / "perfxl.xlsm"):
        if candidate.exists():
            return candidate
    return None


def write_forms_workbook(forms: Iterable[Form], path: str | Path, *,
                         template: str | Path | None = None, force: bool = False) -> list[str]:
    """Write one sheet per form to ``path`` (atomically); returns the sheet names.

    With ``template`` (e.g. ``workbook/perfxl.xlsm``) its blank form sheet is replaced by the
    project sheets and everything else (说明, 汇总, VBA project, ribbon) is kept. An
    ``.xlsm`` output without a template uses the perfxl template.
    """
    path = Path(path)
    forms = list(forms)
    if not forms:
        raise WorkbookError("没有可写入的申报表", "no forms to write", file=str(path))
    macro = path.suffix.lower() == ".xlsm"
    if macro and template is None:
        template = default_template()
    if macro and (template is None or Path(template).suffix.lower() != ".xlsm"):
        raise WorkbookError(
            "输出 .xlsm 需要启用宏的模板（perfxl template -o perfxl.xlsm 生成）",
            "an .xlsm output needs a macro-enabled template (build one with perfxl template)",
            file=str(path))
    book, titles = forms_workbook(forms, template=template, keep_vba=macro)
    with atomic_path(path, force=force) as tmp:
        book.save(tmp)
    return titles
