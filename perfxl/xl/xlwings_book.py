"""The xlwings adapter: the workbook port over a live Excel book (or xlwings' remote engine).

This module and the macro/UDF modules are the only places that import xlwings.

Round trips are what cost in live Excel, so the adapter reads a sheet's values once
(from A1 to the end of the used range), fills a union of cells per colour in one call
(``Range("B5,B9:B11,D20").color = …``; addresses are chunked at Excel's 255-character
limit), and writes a table in one call. xlwings' remote engine has no multi-area ranges,
so there all fills of a sheet go out as one ``set_colors`` matrix over their bounding box.

Under the remote engine fills cannot be read synchronously and notes only say that they
exist; such states come back as ``UNKNOWN`` and the macros act accordingly.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Iterable, Mapping, Sequence

from ..grid import Grid, column_letter, parse_a1
from .port import NO_FILL, UNKNOWN, CellState, Formula, WorkbookPort

MAX_ADDRESS_CHARS = 255  # Excel's limit for a Range("…") address string
MAX_SET_COLORS_CELLS = 10_000  # xlwings' limit for Range.set_colors
NOTE_SIZE = (320, 150)  # points; Excel's default note is too small for a message
_NEEDS_QUOTE = re.compile(r"^[=+\-@']|^[\s\d.,:/%$¥()eE+\-]+$|^(?:TRUE|FALSE)$", re.IGNORECASE)
_XML_RGB = re.compile(r'<fgColor rgb="[0-9A-Fa-f]{2}([0-9A-Fa-f]{6})"')


class XlwingsBook(WorkbookPort):
    """A workbook open in Excel (``xw.Book.caller()``) or an ``xw.Book(json=…)``."""

    interactive = True

    def __init__(self, book) -> None:
        super().__init__()
        self.book = book
        self.engine = book.app.engine.name  # "excel" (Windows/Mac) or "remote"
        self._names: dict[str, dict[str, tuple[int, int]]] | None = None

    # -- what is there ---------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.book.name

    @property
    def path(self) -> str | None:
        fullname = self.book.fullname
        return fullname if fullname and fullname != self.book.name else None

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def active_sheet(self) -> str:
        return self.book.sheets.active.name

    def read_grid(self, sheet: str) -> Grid:
        sh = self.book.sheets[sheet]
        last = sh.used_range.last_cell
        self.trips.sheet_reads[sheet] += 1
        values = sh.range((1, 1), (last.row, last.column)).options(ndim=2).value
        rows = [list(row) for row in values or []]
        return Grid(rows, file=self.name, sheet=sheet, names=self._sheet_names_map().get(sheet, {}))

    def _sheet_names_map(self) -> dict[str, dict[str, tuple[int, int]]]:
        """Sheet-scoped single-cell names, read once per book."""
        if self._names is None:
            self._names = {}
            self.trips.state_reads += 1
            for name in self.book.names:
                scope, _, local = name.name.rpartition("!")
                target = (name.refers_to or "").lstrip("=")
                sheet, _, address = target.rpartition("!")
                if not scope or not address or ":" in address:
                    continue
                owner = scope.strip("'").replace("''", "'")
                if sheet.strip("'").replace("''", "'") != owner:
                    continue
                self._names.setdefault(owner, {})[local] = parse_a1(address)
        return self._names

    def read_states(self, sheet: str, cells: Iterable[str]) -> dict[str, CellState]:
        sh = self.book.sheets[sheet]
        cells = list(cells)
        notes = self._read_notes(sh, cells)
        states = {}
        for address in cells:
            fill = self._read_fill(sh, address)
            text, author = notes.get(address, (None, ""))
            states[address] = CellState(fill=fill, note=text, note_author=author)
        return states

    def _read_fill(self, sh, address: str) -> str:
        if self.engine == "remote":
            return UNKNOWN  # Office.js sends no fills with the request
        self.trips.state_reads += 1
        color = sh.range(address).color
        return NO_FILL if color is None else "#{:02X}{:02X}{:02X}".format(*color)

    def _read_notes(self, sh, cells: list[str]) -> dict[str, tuple[str | None, str]]:
        wanted = {address.upper() for address in cells}
        found: dict[str, tuple[str | None, str]] = {}
        self.trips.state_reads += 1
        try:
            for note in sh.notes:
                address = note.location.address.replace("$", "")
                if address in wanted:
                    self.trips.state_reads += 1
                    found[address] = (note.text, note.author or "")
            return found
        except NotImplementedError:  # remote engine: which cells have notes, not their text
            for address in cells:
                if sh.range(address).note is not None:
                    found[address] = (UNKNOWN, "")
            return found

    def is_protected(self, sheet: str) -> bool:
        api = self.book.sheets[sheet].api
        if isinstance(api, dict):  # remote engine: the request does not say
            return False
        try:
            return bool(api.ProtectContents)
        except AttributeError:  # Excel for Mac: appscript
            return bool(api.protect_contents.get())

    def is_read_only(self) -> bool:
        api = self.book.api
        if isinstance(api, dict):
            return False
        try:
            return bool(api.ReadOnly)
        except AttributeError:
            return bool(api.read_only.get())

    # -- changing it -----------------------------------------------------------------
    def fill(self, sheet: str, cells_by_fill: Mapping[str, Sequence[str]]) -> None:
        sh = self.book.sheets[sheet]
        groups = {token: list(cells) for token, cells in cells_by_fill.items() if cells}
        if not groups:
            return
        if self.engine == "remote":
            self._fill_matrix(sh, groups)
            return
        for token, cells in groups.items():
            for union in union_addresses(cells):
                self.trips.fill_writes += 1
                sh.range(union).color = xlwings_color(token)

    def _fill_matrix(self, sh, groups: dict[str, list[str]]) -> None:
        colors = {parse_a1(a): xlwings_color(t) for t, cells in groups.items() for a in cells}
        top = min(r for r, _ in colors)
        bottom = max(r for r, _ in colors)
        left = min(c for _, c in colors)
        right = max(c for _, c in colors)
        band = max(1, MAX_SET_COLORS_CELLS // (right - left + 1))
        for first in range(top, bottom + 1, band):
            last = min(bottom, first + band - 1)
            matrix = [
                [colors.get((r, c), ...) for c in range(left, right + 1)]
                for r in range(first, last + 1)
            ]
            if all(v is ... for row in matrix for v in row):
                continue
            self.trips.fill_writes += 1
            sh.range((first + 1, left + 1), (last + 1, right + 1)).set_colors(matrix)

    def set_notes(self, sheet: str, notes: Mapping[str, CellState | str | None]) -> None:
        sh = self.book.sheets[sheet]
        for address, note in notes.items():
            text = note.note if isinstance(note, CellState) else note
            if text == UNKNOWN:
                continue
            rng = sh.range(address)
            self.trips.note_writes += 1
            existing = rng.note
            if text is None:
                if existing is not None:
                    existing.delete()
            elif existing is not None:
                existing.text = text
            else:
                self._size(rng.add_note(text))

    def _size(self, note) -> None:
        if self.engine == "remote":
            return
        try:
            note.api.Shape.Width, note.api.Shape.Height = NOTE_SIZE
        except Exception:  # best effort: Excel for Mac has no Shape on notes
            pass

    def write_table(self, sheet: str, rows: Sequence[Sequence[object]],
                    top_left: str = "A1") -> None:
        if not rows:
            return
        width = max(len(row) for row in rows)
        values = [[excel_value(v) for v in row] + [None] * (width - len(row)) for row in rows]
        self.trips.value_writes += 1
        self.book.sheets[sheet].range(top_left).value = values

    def clear_contents(self, sheet: str) -> None:
        self.trips.value_writes += 1
        self.book.sheets[sheet].clear_contents()

    def add_sheet(self, name: str, *, hidden: bool = False) -> None:
        self.trips.sheet_ops += 1
        sheet = self.book.sheets.add(name, after=self.book.sheets[-1])
        if hidden:
            self.trips.sheet_ops += 1
            sheet.visible = False

    def copy_sheet(self, source: str, name: str) -> None:
        self.trips.sheet_ops += 1
        self.book.sheets[source].copy(after=self.book.sheets[-1], name=name)

    def delete_sheet(self, name: str) -> None:
        self.trips.sheet_ops += 1
        self.book.sheets[name].delete()

    def activate(self, sheet: str) -> None:
        self.trips.sheet_ops += 1
        self.book.sheets[sheet].activate()

    # -- talking to the user ---------------------------------------------------------
    def status(self, text: str | None) -> None:
        self.trips.ui += 1
        try:
            self.book.app.status_bar = text or False
        except NotImplementedError:  # remote engine: Office.js has no status bar
            pass

    def alert(self, text: str, title: str = "perfxl") -> None:
        self.trips.ui += 1
        self.book.app.alert(text, title=title)

    def ask_open_file(self, title: str, pattern: str) -> str | None:
        api = self.book.app.api
        if isinstance(api, dict) or not hasattr(api, "GetOpenFilename"):
            return None
        chosen = api.GetOpenFilename(FileFilter=pattern, Title=title)
        return chosen if isinstance(chosen, str) and chosen else None

    def ask_folder(self, title: str) -> str | None:
        api = self.book.app.api
        if isinstance(api, dict) or not hasattr(api, "FileDialog"):
            return None
        dialog = api.FileDialog(4)  # msoFileDialogFolderPicker
        dialog.Title = title
        return dialog.SelectedItems(1) if dialog.Show() == -1 else None


def xlwings_color(token: str):
    """A fill token → what ``Range.color`` takes (None removes the fill)."""
    if token.startswith("#") and len(token) == 7:
        return token
    if token.startswith("xml:"):  # written by the openpyxl adapter: keep its solid colour
        match = _XML_RGB.search(token)
        return "#" + match.group(1).upper() if match and "solid" in token else None
    return None


def excel_value(value: object) -> object:
    """A port value → what Excel gets: strings stay text, formulas are formulas."""
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, str):
        return "'" + value if value and _NEEDS_QUOTE.search(value) else value
    if isinstance(value, Decimal):
        return float(value)  # an Excel cell holds a double; perfxl computes in Decimal
    if isinstance(value, (dt.date, int, float, bool)) or value is None:
        return value
    return str(value)


def union_addresses(cells: Iterable[str]) -> list[str]:
    """Cells → comma-joined unions (runs down a column merged), each ≤ 255 characters."""
    by_column: dict[int, list[int]] = {}
    for address in cells:
        row, col = parse_a1(address)
        by_column.setdefault(col, []).append(row)
    parts = []
    for col in sorted(by_column):
        rows = sorted(set(by_column[col]))
        start = prev = rows[0]
        for row in rows[1:] + [None]:
            if row is not None and row == prev + 1:
                prev = row
                continue
            letter = column_letter(col)
            parts.append(f"{letter}{start + 1}" + (f":{letter}{prev + 1}" if prev > start else ""))
            if row is not None:
                start = prev = row
    unions, current = [], ""
    for part in parts:
        candidate = f"{current},{part}" if current else part
        if len(candidate) > MAX_ADDRESS_CHARS:
            unions.append(current)
            candidate = part
        current = candidate
    if current:
        unions.append(current)
    return unions
