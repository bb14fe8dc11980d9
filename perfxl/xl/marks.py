"""Marks on faulty cells — a fill by severity and a note — and taking them off again.

What perfxl changed is kept in the hidden sheet ``_marks``, one row per marked cell:
the fill and note perfxl set, and the user's own fill and note they replaced. Clearing
restores the user's fill and note only where perfxl's mark is still there (a fill or note
the user changed after validating is theirs and stays). Validating again first takes the
old marks of the validated sheets into account, so marks never stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..report import SEVERITY_ORDER, Finding
from .port import NO_FILL, UNKNOWN, CellState, WorkbookPort, group_by_fill
from .settings import MARKS_SHEET

SEVERITY_FILL = {"error": "#FF9999", "warning": "#FFD966", "info": NO_FILL}
MARKS_HEADER = (
    "sheet", "cell", "severity", "fill_set", "fill_before",
    "note_set", "note_state", "note_before", "note_author",
)
_A1 = re.compile(r"^\$?[A-Z]{1,3}\$?\d{1,7}$")
_LABELS = {
    "zh": {"head": "【perfxl 校验】", "fix": "修改：", "kept": "（原批注已暂存，点“清除标记”后恢复）",
           "error": "错误", "warning": "警告", "info": "提示"},
    "en": {"head": "[perfxl check]", "fix": "Fix: ", "kept": "(your note is kept; Clear marks brings it back)",
           "error": "error", "warning": "warning", "info": "info"},
}


@dataclass(frozen=True)
class Planned:
    """The mark a cell should carry: its worst severity and the note text."""

    severity: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class MarkRecord:
    """One row of ``_marks``."""

    sheet: str
    cell: str
    severity: str
    fill_set: str  # token perfxl applied ("" when it left the fill alone)
    fill_before: str  # the user's fill token (UNKNOWN when the engine could not read it)
    note_set: str  # note text perfxl wrote ("" when it wrote none)
    note_before: str | None  # the user's note: text, None, or UNKNOWN
    note_author: str = ""

    def row(self) -> list[str]:
        state = ("none" if self.note_before is None
                 else "unknown" if self.note_before == UNKNOWN else "text")
        text = self.note_before if state == "text" else ""
        return [self.sheet, self.cell, self.severity, self.fill_set, self.fill_before,
                self.note_set, state, text, self.note_author]

    @classmethod
    def from_row(cls, row: list[object]) -> "MarkRecord | None":
        cells = [("" if v is None else str(v)) for v in list(row) + [None] * 9][:9]
        sheet, cell, severity, fill_set, fill_before, note_set, state, text, author = cells
        if not sheet or not _A1.match(cell):
            return None
        note_before = None if state == "none" else UNKNOWN if state == "unknown" else text
        return cls(sheet, cell, severity, fill_set, fill_before, note_set, note_before, author)

    @property
    def before(self) -> CellState:
        return CellState(self.fill_before, self.note_before, self.note_author)


@dataclass
class MarkCount:
    marked: int = 0  # cells carrying a mark now
    restored: int = 0  # cells given back their own fill/note
    kept: int = 0  # cells the user changed after validating: left as they are


def plan(findings: Iterable[Finding], sheets: Iterable[str]) -> dict[tuple[str, str], Planned]:
    """Findings that point at a cell of the given sheets → the mark of each cell."""
    wanted = set(sheets)
    grouped: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        cell = (finding.cell or "").replace("$", "").upper()
        if finding.sheet in wanted and _A1.match(cell):
            grouped.setdefault((finding.sheet, cell), []).append(finding)
    return {
        key: Planned(min((f.severity for f in found), key=SEVERITY_ORDER.__getitem__), tuple(found))
        for key, found in grouped.items()
    }


def note_text(planned: Planned, lang: str, user_note: bool) -> str:
    labels = _LABELS[lang]
    parts = [labels["head"]]
    for f in planned.findings:
        parts.append(f"{f.code}（{labels[f.severity]}）{f.message(lang)}" if lang == "zh"
                     else f"{f.code} ({labels[f.severity]}) {f.message(lang)}")
        if f.fix(lang):
            parts.append(labels["fix"] + f.fix(lang))
    if user_note:
        parts.append(labels["kept"])
    return "\n".join(parts)


def read_records(port: WorkbookPort) -> list[MarkRecord]:
    if not port.has_sheet(MARKS_SHEET):
        return []
    rows = port.read_grid(MARKS_SHEET).rows
    return [r for r in (MarkRecord.from_row(row) for row in rows[1:]) if r is not None]


def write_records(port: WorkbookPort, records: list[MarkRecord]) -> None:
    if records:
        rows = [list(MARKS_HEADER)] + [r.row() for r in records]
        port.replace_sheet(MARKS_SHEET, rows, hidden=True)
    elif port.has_sheet(MARKS_SHEET):
        port.delete_sheet(MARKS_SHEET)


def apply(port: WorkbookPort, sheets: list[str], planned: Mapping[tuple[str, str], Planned],
          lang: str = "zh") -> MarkCount:
    """Mark the planned cells of ``sheets``; take old marks there off first. One pass per sheet."""
    old = read_records(port)
    present = set(port.sheet_names())
    scope = set(sheets)
    records = [r for r in old if r.sheet not in scope and r.sheet in present]
    count = MarkCount()
    for sheet in sheets:
        old_here = {r.cell: r for r in old if r.sheet == sheet}
        new_here = {cell: p for (s, cell), p in planned.items() if s == sheet}
        if not old_here and not new_here:
            continue
        cells = sorted(set(old_here) | set(new_here), key=_order)
        states = port.read_states(sheet, cells)
        fills: dict[str, str] = {}
        notes: dict[str, CellState | str | None] = {}
        for cell in cells:
            record, state = old_here.get(cell), states[cell]
            if cell in new_here:
                records.append(
                    _mark(cell, sheet, new_here[cell], record, state, fills, notes, lang))
                count.marked += 1
            else:
                _restore(cell, record, state, fills, notes, count)
        port.fill(sheet, group_by_fill(fills))
        port.set_notes(sheet, notes)
    write_records(port, records)
    return count


def clear(port: WorkbookPort) -> MarkCount:
    """Take every perfxl mark off and give the user's fills and notes back."""
    old = read_records(port)
    present = set(port.sheet_names())
    count = MarkCount()
    for sheet in dict.fromkeys(r.sheet for r in old if r.sheet in present):
        here = {r.cell: r for r in old if r.sheet == sheet}
        states = port.read_states(sheet, sorted(here, key=_order))
        fills: dict[str, str] = {}
        notes: dict[str, CellState | str | None] = {}
        for cell, record in here.items():
            _restore(cell, record, states[cell], fills, notes, count)
        port.fill(sheet, group_by_fill(fills))
        port.set_notes(sheet, notes)
    write_records(port, [])
    return count


def sheets_with_marks(port: WorkbookPort) -> list[str]:
    return list(dict.fromkeys(r.sheet for r in read_records(port)))


def _fill_is_ours(record: MarkRecord, state: CellState) -> bool:
    return bool(record.fill_set) and state.fill in (record.fill_set, UNKNOWN)


def _note_is_ours(record: MarkRecord, state: CellState) -> bool:
    return bool(record.note_set) and state.note in (record.note_set, UNKNOWN, None)


def _original(record: MarkRecord | None, state: CellState) -> CellState:
    """What the user had: remembered where perfxl's mark is still on, else what is there now."""
    if record is None:
        return state
    fill = record.fill_before if _fill_is_ours(record, state) else state.fill
    if _note_is_ours(record, state):
        note, author = record.note_before, record.note_author
    else:
        note, author = state.note, state.note_author
    return CellState(fill, note, author)


def _mark(cell, sheet, planned, record, state, fills, notes, lang) -> MarkRecord:
    original = _original(record, state)
    fill_set = SEVERITY_FILL[planned.severity]
    if fill_set:
        fills[cell] = fill_set
    elif record is not None and _fill_is_ours(record, state):
        fills[cell] = _restorable(original.fill)
    note_set = ""
    if original.note != UNKNOWN:  # a note the engine cannot read is never overwritten
        note_set = note_text(planned, lang, user_note=original.note is not None)
        unchanged = (record is not None and record.note_set == note_set
                     and state.note in (note_set, UNKNOWN))
        if not unchanged:
            notes[cell] = note_set
    return MarkRecord(sheet, cell, planned.severity, fill_set, original.fill, note_set,
                      original.note, original.note_author)


def _restore(cell, record, state, fills, notes, count: MarkCount) -> None:
    mine_fill, mine_note = _fill_is_ours(record, state), _note_is_ours(record, state)
    if mine_fill:
        fills[cell] = _restorable(record.fill_before)
    if mine_note and not (record.note_before is None and state.note is None):
        notes[cell] = record.before if record.note_before is not None else None
    changed_by_user = (record.fill_set and not mine_fill) or (record.note_set and not mine_note)
    if changed_by_user:
        count.kept += 1
    else:
        count.restored += 1


def _restorable(token: str) -> str:
    return NO_FILL if token == UNKNOWN else token


def _order(cell: str) -> tuple[int, int, str]:
    letters = cell.rstrip("0123456789")
    return int(cell[len(letters):]), len(letters), letters
