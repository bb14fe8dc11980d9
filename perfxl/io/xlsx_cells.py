"""Cell values straight from a worksheet's XML, for the layouts Excel, LibreOffice and perfxl write.

python-calamine spends about a microsecond a cell turning a sheet into values; a form has
a few hundred cells, mostly empty and styled, and a folder run reads thousands of forms.
Most of that sheet XML is regular: ``<c r="B7" s="8"><v>47594200</v></c>``, shared
strings, inline strings. This module reads exactly that with a few regular expressions
and gives the same rows calamine gives (``to_python(skip_empty_area=False)``): text
unescaped and trimmed as calamine trims it, numbers as floats, dates as ``date``.

Whatever it does not handle for certain raises ``Unsupported`` and the caller lets
calamine read the file: cells without an address, rich inline text, pretty-printed XML,
errors, booleans written oddly, ISO dates, times and date-times, the 1904 date system,
serials before 1 March 1900, number formats it cannot classify. ``tests/test_xlsx_cells.py``
compares the two readers cell for cell.

Forms made from one template repeat most cells byte for byte (labels, formulas, styles):
what a cell's attributes and content make is remembered while the styles stay the same,
so a cell seen before costs one dictionary lookup.
"""

from __future__ import annotations

import html
import operator
import re
from datetime import date, timedelta
from functools import lru_cache
from itertools import islice

from ..grid import parse_a1

__all__ = ["SheetCells", "Unsupported", "sheet_rows", "shared_strings", "style_kinds"]


class Unsupported(Exception):
    """The part uses something this reader does not handle; read the file with calamine."""


NUMBER, DATE, OTHER = "number", "date", "other"  # what a cell style makes of a number

# Every cell that has content ends in ``</c>``; this matches each of the shapes handled: the
# address, then as one group the other attributes, an optional formula, then a value, an
# empty value, a one-run inline string or nothing (``_CELL_BODY`` takes that group apart).
# ``sheet_rows`` counts ``</c>`` to be sure none was passed over. Cells without content
# (``<c r="C3" s="5"/>``) fail at ``</c>`` and are not looked at. Possessive (*+, ?+): a
# failed cell is given up at once, and a body is taken apart as it was matched.
_ATTRIBUTES = rb"[^>]*+"
_FORMULA = rb"<f(?:[^>/]*+/>|[^>]*+>[^<]*+</f>)"
_CONTENT = (rb'<v(?:>[^<]*+</v>| ?/>)'
            rb'|<is><t(?:>[^<]*+</t>| xml:space="preserve">[^<]*+</t>|/>)</is>')
_CELL = re.compile(rb'<c r="([A-Z]{1,3}+[0-9]{1,7}+)"(' + _ATTRIBUTES + rb">(?:" + _FORMULA
                   + rb")?+(?:" + _CONTENT + rb")?+)</c>")
_CELL_BODY = re.compile(rb"(" + _ATTRIBUTES + rb")>(" + _FORMULA + rb")?+(" + _CONTENT
                        + rb")?+")
_ATTRIBUTE = re.compile(rb'\s([a-zA-Z:]+)="([^"]*)"')
_NUMBER = re.compile(rb"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_XML_SPACE = " \t\r\n"
_COLUMN, _BEFORE = operator.itemgetter(1), operator.lt
_EPOCH = date(1899, 12, 30)  # serial 61 is 1 March 1900 (Excel counts a 29 February 1900)

# What a cell's type and style make of its value
_PLAIN, _DAY, _SHARED, _FORMULA_TEXT, _BOOLEAN, _INLINE, _UNKNOWN = range(7)
_INLINE_PLAIN, _INLINE_PRESERVED = len(b"<is><t>"), len(b'<is><t xml:space="preserve">')
_INLINE_END = len(b"</t></is>")


class SheetCells:
    """A sheet's rows from A1 to its last value (empty cells ``""``, as calamine gives them),
    the addresses of formulas saved without a value, and per row the (column, value) of
    the cells that hold something (``Grid.nonempty``), or None when not worked out."""

    __slots__ = ("rows", "uncalculated", "filled")

    def __init__(self, rows: list[list[object]], uncalculated: frozenset[str],
                 filled: list[list[tuple[int, object]]] | None = None) -> None:
        self.rows, self.uncalculated, self.filled = rows, uncalculated, filled


def sheet_rows(xml: bytes, shared: list[str], styles: tuple[str, ...]) -> SheetCells:
    """Read a worksheet part; Unsupported when calamine must read it instead."""
    if b"<sheetData" not in xml or b":sheetData" in xml:
        raise Unsupported("sheet layout")
    start, end = xml.find(b"<sheetData"), xml.rfind(b"</sheetData>")
    found = _CELL.findall(xml, start, end if end > 0 else len(xml))
    if len(found) != xml.count(b"</c>", start):
        raise Unsupported("a cell of another shape")
    known = _known_cells(styles)
    positions, values, uncalculated = [], [], []
    blank = False  # whether some value is blank text (only a _Special's text may be)
    for address, body in found:
        value = known.get(body)  # a value is never None
        if value is None:
            value = _new_cell(known, body, styles)
        if type(value) is _Special:
            if value.uncalculated:
                uncalculated.append(address.decode())
            if value.index is None and value.text is None:
                continue  # calamine makes no cell of it
            value = value.value(shared)
            blank = blank or not value.strip()
        values.append(value)
        position = _POSITIONS.get(address)
        positions.append(position if position is not None else _position(address))
    return _cells(positions, values, frozenset(uncalculated), blank)


class _Special:
    """A remembered cell that is not simply its value: no cell at all (neither ``index`` nor
    ``text``), text that may be blank, or a shared string's index (looked up in each
    workbook's own strings); and whether it holds a formula saved without a value."""

    __slots__ = ("index", "text", "uncalculated")

    def __init__(self, index: bytes | None = None, text: str | None = None,
                 uncalculated: bool = False) -> None:
        self.index, self.text, self.uncalculated = index, text, uncalculated

    def value(self, shared: list[str]) -> str:
        if self.index is None:
            return self.text
        try:
            return shared[int(self.index)]
        except (ValueError, IndexError):
            raise Unsupported("shared string index") from None


_NO_CELL = object()  # what _value_of gives for a cell calamine makes no cell of
# A cell's attributes and content → its value or a _Special; a cell's attributes → _kind;
# both for the styles last read with.
_KNOWN: dict[bytes, object] = {}
_KNOWN_KINDS: dict[bytes, int] = {}
_KNOWN_STYLES: list[tuple[str, ...]] = [()]


def _known_cells(styles: tuple[str, ...]) -> dict[bytes, object]:
    """The cells already worked out when read with ``styles`` (forgotten for others)."""
    if styles is not _KNOWN_STYLES[0] and styles != _KNOWN_STYLES[0]:
        _KNOWN.clear()
        _KNOWN_KINDS.clear()
        _KNOWN_STYLES[0] = styles
    elif len(_KNOWN) >= _REMEMBERED or len(_KNOWN_KINDS) >= _REMEMBERED:
        _KNOWN.clear()
        _KNOWN_KINDS.clear()
    return _KNOWN


def _new_cell(known: dict[bytes, object], body: bytes, styles: tuple[str, ...]) -> object:
    """A cell not seen before: its value, or a _Special (no cell, blank text, a shared
    string, a formula saved without a value)."""
    parts = _CELL_BODY.fullmatch(body)
    if parts is None:  # not expected: the body was matched by the same pattern
        raise Unsupported("cell")
    attributes, formula, element = parts.groups(b"")
    if b"/" in attributes:
        raise Unsupported("cell attributes")
    value = _value_of(attributes, element, styles)
    uncalculated = bool(formula) and len(element) <= 7  # a formula alone, or an empty value
    if value is _NO_CELL:
        value = _Special(uncalculated=uncalculated)
    elif value.__class__ is _Special:  # a shared string, made for this cell
        value.uncalculated = uncalculated
    elif value.__class__ is str and (uncalculated or not value.strip()):
        value = _Special(text=value, uncalculated=uncalculated)
    elif uncalculated:  # not expected: a formula without a value has no number either
        raise Unsupported("cell")
    if len(body) <= _REMEMBERED_BODY:
        known[body] = value
    return value


def _value_of(attributes: bytes, element: bytes, styles: tuple[str, ...]) -> object:
    if not element:  # a formula alone, or nothing
        return _NO_CELL
    kind = _KNOWN_KINDS.get(attributes)
    if kind is None:
        kind = _KNOWN_KINDS[attributes] = _kind(attributes, styles)
    if element[1] == 105:  # "i": <is>…</is>
        if kind != _INLINE:
            raise Unsupported("inline text in a cell of another type")
        return _inline(element)
    if len(element) > 7:  # <v>…</v> holding something
        if kind == _SHARED:
            return _Special(index=element[3:-4])
        return _value(element[3:-4], kind)
    if kind == _FORMULA_TEXT:  # <v></v>, <v/>: an empty formula text
        return ""
    if kind in (_PLAIN, _DAY, _SHARED, _UNKNOWN):  # calamine makes no cell of it
        return _NO_CELL
    raise Unsupported("an empty value of another type")


def _cells(positions: list[tuple[int, int]], values: list[object],
           uncalculated: frozenset[str], blank: bool) -> SheetCells:
    """The rectangle from A1 to the last value, and per row the cells holding something
    (not blank text, which only some values are when ``blank``), as ``Grid.nonempty`` gives
    them; those are left to the Grid (None) when cells came out of order."""
    if not positions:
        return SheetCells([], uncalculated, [])
    in_order = all(map(_BEFORE, positions, islice(positions, 1, None)))
    height = (positions[-1] if in_order else max(positions))[0] + 1
    width = max(map(_COLUMN, positions)) + 1
    rows = [[""] * width for _ in range(height)]
    if not in_order:
        for (row, column), value in zip(positions, values):  # a cell twice, or out of order
            rows[row][column] = value
        return SheetCells(rows, uncalculated, None)
    filled: list[list[tuple[int, object]]] = [[] for _ in range(height)]
    if not blank:
        for (row, column), value in zip(positions, values):
            rows[row][column] = value
            filled[row].append((column, value))
        return SheetCells(rows, uncalculated, filled)
    for (row, column), value in zip(positions, values):
        rows[row][column] = value
        if value.__class__ is not str or value.strip():
            filled[row].append((column, value))
    return SheetCells(rows, uncalculated, filled)


_POSITIONS: dict[bytes, tuple[int, int]] = {}  # "B7" → (6, 1), for the addresses seen
_REMEMBERED = 16384  # entries each of the caches of cells may hold
_REMEMBERED_BODY = 2048  # a longer cell is worked out each time it is read


def _position(address: bytes) -> tuple[int, int]:
    """``B7`` → (6, 1), zero-based, kept for the next sheet."""
    if len(_POSITIONS) >= _REMEMBERED:
        _POSITIONS.clear()
    position = _POSITIONS[address] = parse_a1(address.decode())
    return position


def _kind(raw: bytes, styles: tuple[str, ...]) -> int:
    """How to read the value of a cell with these attributes (the ones after ``r``)."""
    found = dict(_ATTRIBUTE.findall(raw))
    if len(found) != raw.count(b"="):
        raise Unsupported("cell attributes")
    kind = found.get(b"t", b"n")
    if kind == b"n":
        if not styles:  # a workbook without styles: every number is plain
            return _PLAIN
        style = found.get(b"s", b"0")
        number = int(style) if style.isdigit() else len(styles)
        format_kind = styles[number] if number < len(styles) else OTHER
        return _PLAIN if format_kind == NUMBER else _DAY if format_kind == DATE else _UNKNOWN
    return {b"s": _SHARED, b"str": _FORMULA_TEXT, b"b": _BOOLEAN,
            b"inlineStr": _INLINE}.get(kind, _UNKNOWN)


def _value(raw: bytes, kind: int) -> object:
    if kind == _PLAIN or kind == _DAY:
        if not (raw.isdigit() or _NUMBER.fullmatch(raw)):
            raise Unsupported("number")
        number = float(raw)
        if kind == _PLAIN:
            return number
        if number.is_integer() and number >= 61:
            return _day(int(number))
        raise Unsupported("a date with a time of day, or before March 1900")
    if kind == _FORMULA_TEXT:
        return _text(raw, preserve=True)
    if kind == _BOOLEAN and raw in (b"0", b"1"):
        return raw == b"1"
    raise Unsupported("cell type or number format")


@lru_cache(maxsize=4096)
def _day(serial: int) -> date:
    return _EPOCH + timedelta(days=serial)


def _inline(element: bytes) -> str:
    if element[6:7] == b">":  # <is><t>…</t></is>
        return _text(element[_INLINE_PLAIN:-_INLINE_END], preserve=False)
    if element[6:7] == b" ":  # <is><t xml:space="preserve">…</t></is>
        return _text(element[_INLINE_PRESERVED:-_INLINE_END], preserve=True)
    return ""  # <is><t/></is>


@lru_cache(maxsize=1024)
def _text(raw: bytes, preserve: bool) -> str:
    """Element text as calamine gives it: line ends normalised, unescaped, then trimmed."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Unsupported("text encoding") from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        text = html.unescape(text)
    if not preserve:
        text = text.strip(_XML_SPACE)
    if "_x" in text:
        text = _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text)
    return text


# --- shared strings ------------------------------------------------------------------------

_ITEM = re.compile(rb"<si>(.*?)</si>", re.DOTALL)
_RUN_TEXT = re.compile(rb'<t(?: xml:space="(preserve)")?>([^<]*)</t>|<t/>')
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.DOTALL)


def shared_strings(xml: bytes) -> list[str]:
    """``xl/sharedStrings.xml`` → its strings in order (rich runs joined, phonetic runs left out)."""
    items = _ITEM.findall(xml)
    if len(items) != xml.count(b"<si") or b":si>" in xml:
        raise Unsupported("shared strings layout")
    return [_item(item) for item in items]


def _item(item: bytes) -> str:
    if item.startswith(b"<t>") and item.endswith(b"</t>") and item.count(b"<") == 2:
        return _text(item[3:-4], preserve=False)
    if b"<rPh" in item:
        item = _PHONETIC.sub(b"", item)
    runs = _RUN_TEXT.findall(item)
    if len(runs) != item.count(b"<t>") + item.count(b"<t ") + item.count(b"<t/>"):
        raise Unsupported("shared string text")
    return "".join(_text(text, preserve=bool(preserve)) for preserve, text in runs)


# --- styles ---------------------------------------------------------------------------------

_CELL_XFS = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.DOTALL)
_XF = re.compile(rb"<xf\b([^>]*)>")
_NUM_FMT = re.compile(rb"<numFmt\b([^>]*)/?>")
_FORMAT_ID = re.compile(rb'\bnumFmtId="([0-9]+)"')
_FORMAT_CODE = re.compile(rb'\bformatCode="([^"]*)"')
# Built-in formats (ECMA-376 18.8.30 and the East Asian ones) calamine reads as dates; 46 is
# a duration. Any other built-in id is a plain number.
_BUILTIN_DATES = frozenset(range(14, 23)) | frozenset(range(27, 37)) | frozenset(
    {45, 47}) | frozenset(range(50, 59))


@lru_cache(maxsize=64)
def style_kinds(xml: bytes) -> tuple[str, ...]:
    """``xl/styles.xml`` → per cell style (``s`` index): NUMBER, DATE (days only) or OTHER."""
    codes = {}
    for attributes in _NUM_FMT.findall(xml):
        number, code = _FORMAT_ID.search(attributes), _FORMAT_CODE.search(attributes)
        if number and code:
            codes[int(number.group(1))] = html.unescape(code.group(1).decode("utf-8"))
    table = _CELL_XFS.search(xml)
    if table is None:
        return ()
    kinds = []
    for attributes in _XF.findall(table.group(1)):
        number = _FORMAT_ID.search(attributes)
        kinds.append(_format_kind(int(number.group(1)) if number else 0, codes))
    return tuple(kinds)


def _format_kind(number: int, codes: dict[int, str]) -> str:
    if number in codes:
        return format_code_kind(codes[number])
    if number == 46:
        return OTHER
    return DATE if number in _BUILTIN_DATES else NUMBER


_QUOTED = re.compile(r'"[^"]*"|\\.|_.')
_BRACKET = re.compile(r"\[([^\]]*)\]")
_ELAPSED = re.compile(r"[hHmMsS]+")  # [h], [mm], [ss]: elapsed time


@lru_cache(maxsize=256)
def format_code_kind(code: str) -> str:
    """A custom format code: NUMBER (no date part), DATE (days, no time of day) or OTHER."""
    first = _QUOTED.sub("", code).split(";", 1)[0]
    for inside in _BRACKET.findall(first):
        if _ELAPSED.fullmatch(inside):
            return OTHER
    plain = _BRACKET.sub("", first).lower()
    letters = {letter for letter in plain if letter in "dmyhs"}
    if not letters:
        return NUMBER
    if letters & {"h", "s"} or "am/pm" in plain or "a/p" in plain:
        return OTHER
    return DATE
