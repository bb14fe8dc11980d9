"""The indicator table: 一级 / 二级 / 三级 / 指标值, tolerant of what extraction does to it.

Two layouts are read:

* **published** (what the system prints and PDFs carry): cells are classified by
  vocabulary and by their order from the right — value, name, 二级, 一级 — because PDF
  extraction shifts rows by a column either way (P03). Merged 一级/二级 cells are
  carried forward (P02).
* **structured** (the perfxl template, with 符号 / 数值 / 计量单位 columns): read by column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter

from .. import vocab
from ..grid import Grid, column_letter
from ..model import Indicator, Ref, Target
from ..targets import format_target, parse_target, plain_number
from ..text import clean, join_cjk, squash
from .labels import BLOCK_LABELS, FOOTER_LABELS, INDICATOR_HEADERS, label_key


@dataclass
class Header:
    row: int
    columns: dict[str, int]  # level1, level2, name, value (+ op, number, unit)

    @property
    def structured(self) -> bool:
        return "op" in self.columns and "unit" in self.columns


def find_header(grid: Grid, first: int, last: int) -> Header | None:
    for row in range(first, last):
        columns: dict[str, int] = {}
        for col, value in grid.nonempty(row):
            key = label_key(value) if isinstance(value, str) else ""
            if key in INDICATOR_HEADERS:
                columns.setdefault(INDICATOR_HEADERS[key], col)
            elif "指标值" in key:
                columns.setdefault("value", col)
        if {"level1", "level2", "name"} <= columns.keys():
            columns.setdefault("value", columns["name"] + 1)
            return Header(row, columns)
    return None


@dataclass
class _Carry:
    """一级/二级 as merged cells leave them: written once, valid until the next one."""

    level1: str = ""
    level2: str = ""
    refs: dict[str, Ref] = field(default_factory=dict)
    inferred: bool = False

    def set_level1(self, word: str, ref: Ref) -> None:
        if word != self.level1:
            self.level2 = ""
            self.refs.pop("level2", None)
        self.level1, self.refs["level1"], self.inferred = word, ref, False

    def set_level2(self, word: str, ref: Ref) -> None:
        self.level2, self.refs["level2"] = word, ref


def read_indicators(grid: Grid, header: Header, last: int) -> list[Indicator]:
    if header.structured:
        return _read_structured(grid, header, last)
    carry = _Carry()
    indicators: list[Indicator] = []
    for row in range(header.row + 1, last):
        cells = [
            (col, value)
            for col, value in grid.nonempty(row)
            if value.__class__ is not str or label_key(value) not in BLOCK_LABELS
        ]
        if not cells:
            continue
        if _is_footer(cells[0][1]):
            break
        indicator = _read_published(grid, header, row, cells, carry)
        if indicator is not None:
            indicators.append(indicator)
    return indicators


def _read_structured(grid: Grid, header: Header, last: int) -> list[Indicator]:
    """The template's table, row by row until a footer; a row of block labels is skipped."""
    carry = _Carry()
    indicators: list[Indicator] = []
    read = _structured_reader(grid, header)
    for row in range(header.row + 1, last):
        key = _first_content_key(grid.nonempty(row))
        if key is None:
            continue
        if key.startswith(FOOTER_LABELS):
            break
        indicator = read(row, carry)
        if indicator is not None:
            indicators.append(indicator)
    return indicators


def _first_content_key(cells: list[tuple[int, object]]) -> str | None:
    """The label key of a row's first value that is not a block label: ``""`` for a value
    that is not text, None when the row holds nothing else."""
    for _, value in cells:
        if value.__class__ is not str:
            return label_key(value) if isinstance(value, str) else ""
        key = label_key(value)
        if key not in BLOCK_LABELS:
            return key
    return None


def _is_footer(value: object) -> bool:
    return isinstance(value, str) and label_key(value).startswith(FOOTER_LABELS)


def _read_published(grid, header, row, cells, carry) -> Indicator | None:
    levels, rest = [], list(cells)
    while rest and len(levels) < 2 and vocab.is_level_word(label_key(rest[0][1])):
        levels.append(rest.pop(0))
    name_cell, value_cell, extras = _name_and_value(header, rest)
    for col, value in extras[-2:]:
        levels.append((col, value))
    _set_levels(grid, row, levels, carry)
    if name_cell is None and value_cell is None:
        return None
    return _indicator(grid, row, carry, name_cell, value_cell)


def _name_and_value(header: Header, rest: list) -> tuple:
    """Right-aligned: the last cell is the value, the one before it the name."""
    if len(rest) >= 2:
        return rest[-2], rest[-1], rest[:-2]
    if len(rest) == 1:
        col, value = rest[0]
        target = parse_target(value)
        if col >= header.columns["value"] or target.is_quantitative:
            return None, rest[0], []
        return rest[0], None, []
    return None, None, []


def _set_levels(grid: Grid, row: int, levels: list, carry: _Carry) -> None:
    words = [(join_cjk(squash(str(value))), grid.ref(row, col)) for col, value in levels]
    if len(words) >= 2:
        carry.set_level1(*words[0])
        carry.set_level2(*words[1])
    elif len(words) == 1:
        word, ref = words[0]
        if vocab.is_level1(word) and not (word == "成本指标" and carry.level1 == "产出指标"):
            carry.set_level1(word, ref)
        else:
            carry.set_level2(word, ref)
            _infer_level1(carry, word)


def _infer_level1(carry: _Carry, level2: str) -> None:
    """Rule E05: a known 二级 under no 一级 (or under one it cannot belong to)."""
    parent = vocab.LEVEL2_PARENT.get(level2)
    if parent is None or carry.level1 == parent:
        return
    if carry.level1 and not vocab.is_level1(carry.level1):
        return  # the 一级 cell holds something else: that is E03/E04's finding, not ours
    if carry.level1 in vocab.LEVELS or not carry.level1:
        carry.level1 = parent
        carry.inferred = True


def _indicator(grid, row, carry, name_cell, value_cell) -> Indicator:
    refs = dict(carry.refs)
    name, raw = "", None
    if name_cell is not None:
        name = join_cjk(clean(name_cell[1]))
        refs["name"] = grid.ref(row, name_cell[0])
    if value_cell is not None:
        raw = value_cell[1]
        refs["value"] = grid.ref(row, value_cell[0])
    return Indicator(carry.level1, carry.level2, name, _target(raw), refs, carry.inferred)


def _target(raw: object) -> Target:
    """The parsed value; qualitative text without the spaces a wrapped cell left in it."""
    target = parse_target(raw)
    if target.kind == "qualitative" and join_cjk(target.raw) != target.raw:
        target = parse_target(join_cjk(target.raw))
    return target


_STRUCTURED_PARTS = ("level1", "level2", "name", "op", "number", "unit", "value")


def _structured_reader(grid: Grid, header: Header):
    """The reader of one row of the template's table, its columns looked up once.

    Reads what ``_indicator`` would from the same cells; a row's addresses are made from
    its number and each column's part of an address, worked out once.
    """
    cols = header.columns
    beyond = max(cols.values()) + 1  # a part without a column reads as blank (None)
    spots = [cols.get(part, beyond) for part in _STRUCTURED_PARTS]
    fetch, width = itemgetter(*spots), beyond + 1
    rows, file, sheet = grid.rows, grid.file, grid.sheet
    (level1_at, level2_at, name_at, _, number_at, _, value_at) = (
        _address_parts(grid, col) for col in spots
    )

    def read(row: int, carry: _Carry) -> Indicator | None:
        values = rows[row]
        if len(values) < width:
            values = values + [None] * (width - len(values))
        level1, level2, name, op, number, unit, value = fetch(values)
        line = str(row + 1)
        word = label_key(level1)
        if word:
            carry.set_level1(word, Ref(file, sheet, level1_at[0] + line + level1_at[1]))
        word = label_key(level2)
        if word:
            carry.set_level2(word, Ref(file, sheet, level2_at[0] + line + level2_at[1]))
        name = clean(name)
        raw = _compose(op, number, unit) or clean(value)
        if not name and not raw:
            return None
        refs = dict(carry.refs)
        if name:
            name = join_cjk(clean(name))
            refs["name"] = Ref(file, sheet, name_at[0] + line + name_at[1])
        at = number_at if number not in (None, "") else value_at
        refs["value"] = Ref(file, sheet, at[0] + line + at[1])
        return Indicator(carry.level1, carry.level2, name, _target(raw), refs, carry.inferred)

    return read


def _address_parts(grid: Grid, col: int) -> tuple[str, str]:
    """What goes before and after the row number in the addresses of a column (``grid.ref``'s)."""
    if grid.kind == "text":
        return "R", f"C{col + 1}"
    return column_letter(col), ""


# The target text the cells 运算符 / 指标值 / 计量单位 make, by their values (and the number's
# kind: 93 and 93.0 are equal keys but may be written differently). Values repeat across
# forms; the cache is emptied when it holds more than this many.
_COMPOSED: dict[tuple, str] = {}
_COMPOSED_KEPT = 4096
_PLAIN_CELLS = frozenset({str, type(None)})


def _compose(op: object, number: object, unit: object) -> str:
    if number is None:
        return ""
    kind = number.__class__
    if op.__class__ not in _PLAIN_CELLS or unit.__class__ not in _PLAIN_CELLS or \
            not (kind is str or ((kind is float or kind is int) and number)):
        return _composed(op, number, unit)  # rare kinds of cell, and a zero (-0.0 is 0.0)
    key = (op, kind, number, unit)
    text = _COMPOSED.get(key)
    if text is None:
        if len(_COMPOSED) >= _COMPOSED_KEPT:
            _COMPOSED.clear()
        text = _COMPOSED[key] = _composed(op, number, unit)
    return text


def _composed(op: object, number: object, unit: object) -> str:
    if number is None or (isinstance(number, str) and not number.strip()):
        return ""
    plain = plain_number(number) if number.__class__ is str else None
    if plain is not None:  # what parse_target(number) gives such text, without a Target
        return format_target(clean(op) or None, plain, clean(unit) or None)
    target = parse_target(number)
    if target.is_quantitative and target.op is None and target.unit is None:
        return format_target(clean(op) or None, target.number, clean(unit) or None)
    return clean(number)
