"""The workbook port: the small interface the macros are written against.

Macros never touch xlwings or openpyxl objects. They talk to a ``WorkbookPort``; two
adapters implement it — ``XlwingsBook`` (live Excel, or xlwings' remote engine) and
``OpenpyxlBook`` (files, used by ``perfxl validate --mark``). Every adapter counts its
round trips in ``trips`` so a benchmark can report them.

Fills travel as *fill tokens*: ``""`` is no fill, ``"#RRGGBB"`` a solid colour, ``"?"`` a
fill the engine cannot read, and an adapter may use its own exact form (the openpyxl
adapter writes ``"xml:<patternFill …>"``). Tokens are stored in the hidden marks sheet,
so a workbook marked by one adapter can be cleared by the other.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from ..grid import Grid

NO_FILL = ""
UNKNOWN = "?"


@dataclass(frozen=True)
class Formula:
    """A cell formula to write (``=HYPERLINK(…)``); plain strings are always written as text."""

    text: str


@dataclass(frozen=True)
class CellState:
    """What a cell looks like before perfxl marks it: its fill token and its note.

    ``note`` is the note text, ``None`` for no note, or ``UNKNOWN`` when the cell has a
    note the engine cannot read (xlwings' remote engine only says *that* a note exists).
    """

    fill: str = NO_FILL
    note: str | None = None
    note_author: str = ""


@dataclass
class RoundTrips:
    """Calls an adapter made, by kind. In live Excel each one is a round trip."""

    sheet_reads: Counter = field(default_factory=Counter)  # values of a sheet, by sheet
    state_reads: int = 0  # fills and notes read before marking or restoring
    fill_writes: int = 0  # fill calls (one per colour and sheet, a union of cells)
    note_writes: int = 0  # one per note added, changed or deleted
    value_writes: int = 0  # table writes and sheet clears
    sheet_ops: int = 0  # add, copy, delete, hide, activate
    ui: int = 0  # status bar and message boxes

    @property
    def reads(self) -> int:
        return sum(self.sheet_reads.values())

    def as_dict(self) -> dict[str, int]:
        return {
            "sheet_reads": self.reads,
            "sheets_read": len(self.sheet_reads),
            "max_reads_per_sheet": max(self.sheet_reads.values(), default=0),
            "state_reads": self.state_reads,
            "fill_writes": self.fill_writes,
            "note_writes": self.note_writes,
            "value_writes": self.value_writes,
            "sheet_ops": self.sheet_ops,
            "ui": self.ui,
        }


class WorkbookPort(ABC):
    """One open workbook, as the macros see it."""

    #: True in live Excel: errors become a message box instead of an exception.
    interactive: bool = False

    def __init__(self) -> None:
        self.trips = RoundTrips()

    # -- what is there ---------------------------------------------------------------
    @property
    @abstractmethod
    def name(self) -> str:
        """The workbook's file name (for messages and grids)."""

    @property
    @abstractmethod
    def path(self) -> str | None:
        """The full path of the workbook file, when it has one."""

    @abstractmethod
    def sheet_names(self) -> list[str]:
        """Worksheet names in workbook order."""

    @abstractmethod
    def active_sheet(self) -> str:
        """The name of the sheet the user is looking at."""

    @abstractmethod
    def read_grid(self, sheet: str) -> Grid:
        """All values of a sheet from A1, in one read, with its sheet-scoped names."""

    @abstractmethod
    def read_states(self, sheet: str, cells: Iterable[str]) -> dict[str, CellState]:
        """Fill token and note of each cell (A1 addresses), as few reads as the engine allows."""

    @abstractmethod
    def is_protected(self, sheet: str) -> bool:
        """True when the sheet's contents are protected (perfxl then changes nothing)."""

    @abstractmethod
    def is_read_only(self) -> bool:
        """True when the workbook was opened read-only."""

    # -- changing it -----------------------------------------------------------------
    @abstractmethod
    def fill(self, sheet: str, cells_by_fill: Mapping[str, Sequence[str]]) -> None:
        """Give cells a fill: one call per fill token (a union of addresses), not per cell."""

    @abstractmethod
    def set_notes(self, sheet: str, notes: Mapping[str, CellState | str | None]) -> None:
        """Set (text or a CellState with author), replace or delete (None) notes, per cell."""

    @abstractmethod
    def write_table(self, sheet: str, rows: Sequence[Sequence[object]],
                    top_left: str = "A1") -> None:
        """Write a rectangle of values in one call; ``Formula`` values become formulas."""

    @abstractmethod
    def clear_contents(self, sheet: str) -> None:
        """Empty every cell of a sheet, keeping its formats."""

    @abstractmethod
    def add_sheet(self, name: str, *, hidden: bool = False) -> None:
        """Add an empty sheet at the end."""

    @abstractmethod
    def copy_sheet(self, source: str, name: str) -> None:
        """Copy a sheet (values, formats, names, validation) under a new name, at the end."""

    @abstractmethod
    def delete_sheet(self, name: str) -> None:
        """Remove a sheet."""

    @abstractmethod
    def activate(self, sheet: str) -> None:
        """Show a sheet to the user."""

    def write_form_sheet(self, name: str, form) -> bool:
        """Add a sheet laid out like the template holding ``form``; False if this adapter can't."""
        return False

    # -- talking to the user ---------------------------------------------------------
    @abstractmethod
    def status(self, text: str | None) -> None:
        """Show progress in the status bar; None gives it back to Excel."""

    @abstractmethod
    def alert(self, text: str, title: str = "perfxl") -> None:
        """A message box (headless: the message is kept in ``messages``)."""

    def ask_open_file(self, title: str, pattern: str) -> str | None:
        """Ask the user for a file; None when cancelled or not possible here."""
        return None

    def ask_folder(self, title: str) -> str | None:
        """Ask the user for a folder; None when cancelled or not possible here."""
        return None

    # -- shared by the adapters ------------------------------------------------------
    def has_sheet(self, name: str) -> bool:
        return name in self.sheet_names()

    def replace_sheet(self, name: str, rows: Sequence[Sequence[object]], *,
                      hidden: bool = False) -> None:
        """Make ``name`` hold exactly ``rows`` (cleared if it exists, added if not)."""
        if self.has_sheet(name):
            self.clear_contents(name)
        else:
            self.add_sheet(name, hidden=hidden)
        if rows:
            self.write_table(name, rows)


def group_by_fill(fills: Mapping[str, str]) -> dict[str, list[str]]:
    """{cell: token} → {token: [cells]} in first-seen order: what ``fill`` wants."""
    groups: dict[str, list[str]] = {}
    for cell, token in fills.items():
        groups.setdefault(token, []).append(cell)
    return groups
