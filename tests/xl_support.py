"""Test support for the Excel layer: sample workbooks, xlwings remote-engine payloads, and an
applier that plays the recorded remote-engine actions back onto an openpyxl copy.

The payload is what an Office.js client sends (``"client": "Office.js"``): values read with
python-calamine, sheet-scoped names and the cells that have notes read with openpyxl. The
applier knows exactly the actions the macros use; any other action fails the test.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import python_calamine
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName

from perfxl.io.formsheet import sheet_title
from perfxl.io.textfile import read_text_file
from perfxl.xl.sheets import forms_of_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_TEXT = ROOT / "perfxl" / "data" / "shanghai-kcb-2023.txt"


def sample_workbook(path: Path) -> Path:
    """The seven sample forms, one sheet each: one text line per row, one tab field per cell."""
    book = openpyxl.Workbook()
    intro = book.active
    intro.title = "说明"
    intro["A1"] = "公开的申报表文本，每张表一个工作表"
    for form, lines in forms_of_text(read_text_file(SAMPLE_TEXT)):
        sheet = book.create_sheet(sheet_title(form.project.name, book.sheetnames))
        for r, line in enumerate(lines, start=1):
            for c, value in enumerate(line, start=1):
                if value not in (None, ""):
                    cell = sheet.cell(r, c, value)
                    cell.data_type = "s"  # "=100(%)" is text, not a formula
    book.save(path)
    return path


def forms_workbook(path: Path, sheets: int, faults: int) -> Path:
    """``sheets`` form sheets, each with ``faults`` indicator rows that give one error (E04, on
    the 一级 cell) and one warning (V02, on the value cell) — for counting round trips."""
    from perfxl.formdict import render_text
    from perfxl.rules.examples import merge

    rows = [{"level1": "社会效益指标", "level2": "社会效益指标", "name": f"受益群众人数{i + 1}",
             "raw": "95(%)"} for i in range(faults)]
    book = openpyxl.Workbook()
    book.remove(book.active)
    for number in range(1, sheets + 1):
        fragment = {"project": {"name": f"社区养老服务补贴{number:03d}"}, "add_indicators": rows}
        sheet = book.create_sheet(f"项目{number:03d}")
        for r, line in enumerate(render_text(merge(fragment)).split("\n"), start=1):
            for c, value in enumerate(line.split("\t"), start=1):
                if value:
                    sheet.cell(r, c, value).data_type = "s"
    book.save(path)
    return path


def enable_remote_engine(monkeypatch) -> None:
    """xlwings' remote engine needs a licence key: 'noncommercial' is set for the test only.

    xlwings picks its engines when it is first imported; when that happened without the
    key, the remote engine is added now.
    """
    import xlwings as xw
    from xlwings.main import Engine

    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" not in [engine.name for engine in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(Engine(impl=_xlremote.engine))


def _json_value(value):
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value == "":
        return None
    return value


def payload(path: Path) -> dict:
    """What an Office.js client would send for the workbook at ``path``."""
    import xlwings as xw

    book = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
    reader = python_calamine.CalamineWorkbook.from_path(str(path))
    sheets, names = [], []
    for index, ws in enumerate(book.worksheets):
        rows = reader.get_sheet_by_name(ws.title).to_python(skip_empty_area=False)
        values = [[_json_value(v) for v in row] for row in rows] or [[]]
        notes = [{"address": c.coordinate} for row in ws.iter_rows() for c in row if c.comment]
        sheets.append({
            "name": ws.title, "values": values, "pictures": [], "tables": [], "shapes": [],
            "charts": [], "notes": notes, "notes_supported": True,
            "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden",
        })
        for name, defined in ws.defined_names.items():
            target = defined.attr_text.split("!")[-1].replace("$", "")
            names.append({"name": f"{ws.title}!{name}", "sheet_index": index, "address": target,
                          "book_scope": False, "scope_sheet_name": ws.title,
                          "scope_sheet_index": index, "refers_to": f"={defined.attr_text}"})
    reader.close()
    return {
        "client": "Office.js", "version": xw.__version__,
        "book": {"name": path.name, "active_sheet_index": book.index(book.active), "selection": "A1"},
        "names": names, "sheets": sheets,
    }


def remote_book(path: Path):
    import xlwings as xw

    return xw.Book(json=payload(path))


class Applier:
    """Plays remote-engine actions onto an openpyxl copy of the workbook the payload came from."""

    def __init__(self, source: Path, target: Path) -> None:
        shutil.copyfile(source, target)
        self.target = target
        self.book = openpyxl.load_workbook(target, keep_vba=target.suffix == ".xlsm")
        self.alerts: list[str] = []
        self.funcs: list[str] = []

    def apply(self, actions: list[dict]) -> "Applier":
        for action in actions:
            self.funcs.append(action["func"])
            getattr(self, "_" + action["func"])(action)
        return self

    def save(self) -> Path:
        self.book.save(self.target)
        return self.target

    def _sheet(self, action):
        return self.book.worksheets[action["sheet_position"]]

    def _cell(self, action, address=None):
        ws = self._sheet(action)
        if address:
            return ws[address.replace("$", "")]
        return ws.cell(action["start_row"] + 1, action["start_column"] + 1)

    def _setValues(self, action):
        ws = self._sheet(action)
        for r, row in enumerate(action["values"]):
            for c, value in enumerate(row):
                cell = ws.cell(action["start_row"] + r + 1, action["start_column"] + c + 1)
                if isinstance(value, str) and value.startswith("'"):
                    cell.value = value[1:]  # Excel: a leading apostrophe makes the rest text
                    cell.data_type = "s"
                else:
                    cell.value = value

    def _setRangeColors(self, action):
        ws = self._sheet(action)
        for r, row in enumerate(action["args"][0]):
            for c, color in enumerate(row):
                if color == "keep":
                    continue
                cell = ws.cell(action["start_row"] + r + 1, action["start_column"] + c + 1)
                cell.fill = _fill(color)

    def _setRangeColor(self, action):
        ws = self._sheet(action)
        for r in range(action["row_count"]):
            for c in range(action["column_count"]):
                ws.cell(action["start_row"] + r + 1, action["start_column"] + c + 1).fill = _fill(
                    action["args"][0])

    def _addNote(self, action):
        address, text = action["args"]
        self._cell(action, address).comment = Comment(text, "Office.js")

    def _setNoteText(self, action):
        address, text = action["args"]
        cell = self._cell(action, address)
        cell.comment = Comment(text, cell.comment.author if cell.comment else "Office.js")

    def _deleteNote(self, action):
        self._cell(action, action["args"][0]).comment = None

    def _addSheet(self, action):
        index, name = action["args"]
        self.book.create_sheet(name, index)

    def _setSheetVisibility(self, action):
        self._sheet(action).sheet_state = "visible" if action["args"][0] == "Visible" else "hidden"

    def _copySheet(self, action):
        position, target, name = action["args"]
        source = self._sheet(action)
        copy = self.book.copy_worksheet(source)
        copy.title = name
        for local, defined in source.defined_names.items():  # Excel copies sheet-scoped names
            cell = defined.attr_text.split("!")[-1]
            copy.defined_names[local] = DefinedName(local, attr_text=f"'{name}'!{cell}")
        self.book._sheets.remove(copy)
        self.book._sheets.insert(target if position == "Before" else target + 1, copy)

    def _setSheetName(self, action):
        self._sheet(action).title = action["args"][0]

    def _sheetClearContents(self, action):
        for row in self._sheet(action).iter_rows():
            for cell in row:
                if type(cell).__name__ != "MergedCell":
                    cell.value = None

    def _sheetDelete(self, action):
        self.book.remove(self._sheet(action))

    def _activateSheet(self, action):
        self.book.active = action["args"][0]

    def _alert(self, action):
        self.alerts.append(action["args"][0])


def _fill(color):
    if color is None:
        return PatternFill()
    return PatternFill("solid", fgColor="FF" + color.lstrip("#").upper())


def fills_and_notes(path: Path) -> dict:
    """Every cell's fill and note of a workbook, for exact before/after comparisons."""
    book = openpyxl.load_workbook(path)
    state = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                note = (cell.comment.text, cell.comment.author) if cell.comment else None
                if cell.fill != PatternFill() or note:
                    state[(ws.title, cell.coordinate)] = (repr(cell.fill), note)
    return state
