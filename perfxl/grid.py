"""A grid: the rectangle of cell values every source becomes, remembering where cells came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Mapping

from .model import Ref


@lru_cache(maxsize=1024)
def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@lru_cache(maxsize=65536)
def a1(row: int, col: int) -> str:
    """Zero-based row and column → ``B12``."""
    return f"{column_letter(col)}{row + 1}"


def parse_a1(address: str) -> tuple[int, int]:
    """``$B$12`` → (11, 1), zero-based."""
    address = address.replace("$", "").upper()
    letters = "".join(ch for ch in address if ch.isalpha())
    digits = address[len(letters) :]
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits) - 1, col - 1


@dataclass
class Grid:
    """Cell values by zero-based (row, column), plus the source's name and kind.

    ``kind`` is ``sheet`` (addresses are A1) or ``text`` (addresses are ``R<line>C<field>``).
    ``names`` maps sheet-scoped defined names to zero-based (row, column);
    ``uncalculated`` holds the cells whose formula was saved without a value.
    """

    rows: list[list[object]]
    file: str = ""
    sheet: str = ""
    kind: str = "sheet"
    names: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    # addresses of cells holding a formula saved without its value (calamine reads them as blank)
    uncalculated: frozenset[str] = frozenset()
    # per row, (column, value) of the cells holding something: given by a reader that has
    # worked them out already, or computed on first use
    filled: list[list[tuple[int, object]]] | None = field(default=None, repr=False,
                                                          compare=False)

    def value(self, row: int, col: int) -> object:
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    def address(self, row: int, col: int) -> str:
        if self.kind == "text":
            return f"R{row + 1}C{col + 1}"
        return a1(row, col)

    def ref(self, row: int, col: int) -> Ref:
        if self.kind == "text":
            return Ref(self.file, self.sheet, f"R{row + 1}C{col + 1}")
        return Ref(self.file, self.sheet, a1(row, col))

    def nonempty(self, row: int) -> list[tuple[int, object]]:
        """(column, value) of the cells of a row that hold something (computed once per grid)."""
        cells = self.filled
        if cells is None:
            cells = self.filled = [_filled(values) for values in self.rows]
        return cells[row] if 0 <= row < len(cells) else []

    @property
    def height(self) -> int:
        return len(self.rows)


def _filled(values: list[object]) -> list[tuple[int, object]]:
    """(column, value) of the cells holding something: not None, not blank text."""
    return [(col, value) for col, value in enumerate(values)
            if (value.strip() if isinstance(value, str) else value is not None)]
