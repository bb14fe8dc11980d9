"""The openpyxl adapter: the workbook port over a file (``perfxl validate --mark``).

Values of sheets that have not been changed in memory are read with python-calamine
(the cached results of the workbook's formulas, as Excel saved them); sheets perfxl
wrote or added are read from openpyxl. ``.xlsm`` files keep their VBA project and ribbon.
"""

from __future__ import annotations

import copy
import re
import warnings
import zipfile
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.styles.fills import Fill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.xml.functions import fromstring, tostring

from ..errors import InputError, WorkbookError
from ..io.package import prepare_for_save
from ..grid import Grid, parse_a1
from .port import NO_FILL, UNKNOWN, CellState, Formula, WorkbookPort

NOTE_AUTHOR = "perfxl"
NOTE_WIDTH, NOTE_HEIGHT = 420, 200  # pixels (openpyxl writes "px")


def fill_token(fill: Fill) -> str:
    """A fill → its token: ``""``, ``"#RRGGBB"`` for a plain solid fill, else its exact XML."""
    if fill == PatternFill():
        return NO_FILL
    rgb = getattr(getattr(fill, "fgColor", None), "rgb", None)
    if getattr(fill, "patternType", None) == "solid" and isinstance(rgb, str) and len(rgb) == 8:
        token = "#" + rgb[2:].upper()
        if fill == token_fill(token):
            return token
    return "xml:" + tostring(fill.to_tree()).decode("utf-8")


def token_fill(token: str) -> Fill:
    """A token → an openpyxl fill (an unknown fill becomes no fill)."""
    if token.startswith("#") and len(token) == 7:
        return PatternFill("solid", fgColor="FF" + token[1:].upper())
    if token.startswith("xml:"):
        return Fill.from_tree(fromstring(token[4:]))
    return PatternFill()


def load_workbook(path: Path) -> openpyxl.Workbook:
    """Open a workbook for changing, translating openpyxl's errors."""
    from ..io.guard import check_workbook_file

    check_workbook_file(path)  # refuses hostile or wrong files before openpyxl parses them
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # x14 extensions it drops: see docs/excel.md
            return openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
    except FileNotFoundError:
        raise InputError("文件不存在", "file not found", file=str(path)) from None
    except PermissionError:
        raise InputError("没有读取权限", "permission denied", file=str(path)) from None
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InputError(
            f"不是可修改的 Excel 工作簿（{exc}）",
            f"not an Excel workbook perfxl can change ({exc})",
            file=str(path),
        ) from None


class OpenpyxlBook(WorkbookPort):
    """A workbook file opened with openpyxl; ``save()`` writes it (atomically, by the caller)."""

    interactive = False

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self._path = Path(path)
        self.wb = load_workbook(self._path)
        self._source: dict[str, Grid] | None = None
        self._changed: set[str] = set()
        self.messages: list[str] = []
        self.status_log: list[str] = []

    # -- what is there ---------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._path.name

    @property
    def path(self) -> str | None:
        return str(self._path)

    def sheet_names(self) -> list[str]:
        return [ws.title for ws in self.wb.worksheets]

    def active_sheet(self) -> str:
        return self.wb.active.title

    def read_grid(self, sheet: str) -> Grid:
        self.trips.sheet_reads[sheet] += 1
        if sheet not in self._changed:
            grid = self._source_grids().get(sheet)
            if grid is not None:
                return grid
        return self._memory_grid(sheet)

    def _source_grids(self) -> dict[str, Grid]:
        if self._source is None:
            from ..io.excelfile import read_workbook

            self._source = {grid.sheet: grid for grid in read_workbook(self._path)}
        return self._source

    def _memory_grid(self, sheet: str) -> Grid:
        ws = self._ws(sheet)
        rows = [list(row) for row in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
        names = {}
        for name, defined in ws.defined_names.items():
            target = (defined.attr_text or "").split("!")[-1]
            if target and ":" not in target:
                names[name] = parse_a1(target)
        return Grid(rows, file=str(self._path), sheet=sheet, names=names)

    def read_states(self, sheet: str, cells: Iterable[str]) -> dict[str, CellState]:
        ws = self._ws(sheet)
        self.trips.state_reads += 1
        states = {}
        for address in cells:
            cell = ws[address]
            comment = getattr(cell, "comment", None)
            states[address] = CellState(
                fill=fill_token(cell.fill),
                note=comment.text if comment else None,
                note_author=(comment.author or "") if comment else "",
            )
        return states

    def is_protected(self, sheet: str) -> bool:
        return bool(self._ws(sheet).protection.sheet)

    def is_read_only(self) -> bool:
        return False

    # -- changing it -----------------------------------------------------------------
    def fill(self, sheet: str, cells_by_fill: Mapping[str, Sequence[str]]) -> None:
        ws = self._ws(sheet)
        for token, cells in cells_by_fill.items():
            if not cells:
                continue
            self.trips.fill_writes += 1
            for address in cells:
                ws[address].fill = copy.copy(token_fill(token))

    def set_notes(self, sheet: str, notes: Mapping[str, CellState | str | None]) -> None:
        ws = self._ws(sheet)
        for address, note in notes.items():
            cell = ws[address]
            if isinstance(cell, MergedCell):
                continue
            self.trips.note_writes += 1
            if note is None or (isinstance(note, CellState) and note.note in (None, UNKNOWN)):
                cell.comment = None
            elif isinstance(note, CellState):
                cell.comment = Comment(note.note, note.note_author)
            else:
                cell.comment = Comment(note, NOTE_AUTHOR, width=NOTE_WIDTH, height=NOTE_HEIGHT)

    def write_table(self, sheet: str, rows: Sequence[Sequence[object]],
                    top_left: str = "A1") -> None:
        ws = self._ws(sheet)
        self.trips.value_writes += 1
        self._changed.add(sheet)
        first_row, first_col = parse_a1(top_left)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                cell = ws.cell(first_row + r + 1, first_col + c + 1)
                if isinstance(cell, MergedCell):
                    continue
                _put(cell, value)

    def clear_contents(self, sheet: str) -> None:
        ws = self._ws(sheet)
        self.trips.value_writes += 1
        self._changed.add(sheet)
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell, MergedCell):
                    cell.value = None
                    cell.hyperlink = None

    def add_sheet(self, name: str, *, hidden: bool = False) -> None:
        self.trips.sheet_ops += 1
        ws = self.wb.create_sheet(name)
        if hidden:
            ws.sheet_state = "hidden"
        self._changed.add(name)

    def copy_sheet(self, source: str, name: str) -> None:
        self.trips.sheet_ops += 1
        src = self._ws(source)
        dst = self.wb.copy_worksheet(src)
        dst.title = name
        _copy_sheet_extras(src, dst)
        self._changed.add(name)

    def write_form_sheet(self, name: str, form) -> bool:
        from ..io.formsheet import write_form

        self.trips.sheet_ops += 1
        self.trips.value_writes += 1
        write_form(self.wb.create_sheet(name), form)
        self._changed.add(name)
        return True

    def delete_sheet(self, name: str) -> None:
        self.trips.sheet_ops += 1
        was_active = self.active_sheet() == name
        del self.wb[name]
        if was_active and self.wb.worksheets:
            self.activate(self.wb.worksheets[0].title)

    def activate(self, sheet: str) -> None:
        self.trips.sheet_ops += 1
        target = self._ws(sheet)
        for ws in self.wb.worksheets:
            ws.sheet_view.tabSelected = ws is target
        self.wb.active = self.wb.worksheets.index(target)

    # -- talking to the user ---------------------------------------------------------
    def status(self, text: str | None) -> None:
        self.trips.ui += 1
        if text:
            self.status_log.append(text)

    def alert(self, text: str, title: str = "perfxl") -> None:
        self.trips.ui += 1
        self.messages.append(text)

    # -- files -----------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the workbook to ``path`` (a temporary file from ``atomic_path``)."""
        prepare_for_save(self.wb)
        try:
            self.wb.save(path)
        except PermissionError:
            raise WorkbookError(
                "无法写入（没有权限）", "cannot write (permission denied)", file=str(path)
            ) from None

    def _ws(self, sheet: str):
        try:
            return self.wb[sheet]
        except KeyError:
            raise WorkbookError(
                "工作表不存在", "no such sheet", file=self.name, sheet=sheet
            ) from None


def _put(cell, value: object) -> None:
    """Write one value: formulas as formulas, every string as text (never a formula)."""
    if isinstance(value, Formula):
        cell.value = value.text
        return
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if cell.data_type == "f":
            cell.data_type = "s"
        return
    cell.value = value


def _copy_sheet_extras(src, dst) -> None:
    """What ``copy_worksheet`` leaves out: validation, conditional formats, names, print setup."""
    for validation in src.data_validations.dataValidation:
        dst.add_data_validation(copy.copy(validation))
    for cf_range, rules in src.conditional_formatting._cf_rules.items():
        for cf_rule in rules:
            dst.conditional_formatting.add(str(cf_range.sqref), copy.copy(cf_rule))
    for name, defined in src.defined_names.items():
        text = _retarget(defined.attr_text or "", src.title, dst.title)
        dst.defined_names[name] = DefinedName(name, attr_text=text)
    dst.print_options = copy.copy(src.print_options)
    dst.page_setup = copy.copy(src.page_setup)
    dst.sheet_properties = copy.copy(src.sheet_properties)
    dst.print_title_rows = src.print_title_rows
    if src.print_area:
        dst.print_area = [ref.split("!")[-1] for ref in src.print_area.split(",")]
    dst.freeze_panes = src.freeze_panes
    dst.protection = copy.copy(src.protection)


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _retarget(formula: str, old: str, new: str) -> str:
    """``'old'!$B$3`` or ``old!$B$3`` → ``'new'!$B$3``."""
    pattern = "(?:" + re.escape(_quoted(old)) + "|(?<![\\w'.])" + re.escape(old) + ")!"
    return re.sub(pattern, lambda _: _quoted(new) + "!", formula)
