"""What calamine does not tell about a workbook: defined names, formulas saved without a value.

Read with a few regular expressions over ``xl/workbook.xml``, its relationships and the
wanted sheets' XML. The guard has refused DTDs before this runs, so no entity can be
declared; the only escapes are XML's five and numeric references. The parts are small and
machine-written; this reads them in a fraction of the time an XML tree would take, which
counts when a folder holds thousands of workbooks.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Callable

from ..grid import parse_a1
from .deflate import ERRORS as INFLATE_ERRORS
from .guard import CheckedWorkbook


@dataclass
class WorkbookIndex:
    """Sheet-scoped single-cell defined names, and cells whose formula has no cached value.

    Also what reading the cells needs: the wanted worksheets' XML in workbook order, the
    shared-strings and styles parts, the date system. ``complete`` is False when some part
    could not be read, and then only calamine reads the cells.
    """

    names: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    sheets: dict[str, bytes] = field(default_factory=dict, repr=False)  # wanted sheets' XML
    worksheets: list[str] = field(default_factory=list)  # … those that are worksheets
    shared_strings: str | None = None
    styles: str | None = None
    date1904: bool = False
    complete: bool = False

    @cached_property
    def uncalculated(self) -> dict[str, frozenset[str]]:
        """{sheet: cells holding a formula saved without its value}, for the wanted sheets."""
        return {name: uncalculated_cells(xml) for name, xml in self.sheets.items()}


class _Elements:
    """A pattern for elements of one name, with or without a namespace prefix; when no
    element of the text can be prefixed (no ``:name`` in it), the same pattern without the
    prefix, whose literal start the search finds far sooner."""

    def __init__(self, name: bytes, rest: bytes) -> None:
        self.marker = b":" + name
        self.plain = re.compile(b"<" + name + rest)
        self.prefixed = re.compile(rb"<(?:\w+:)?" + name + rest)

    def pattern(self, xml: bytes) -> re.Pattern:
        return self.prefixed if self.marker in xml else self.plain


_SHEET = _Elements(b"sheet", rb"\b([^>]*)>")
_RELATIONSHIP = _Elements(b"Relationship", rb"\b([^>]*)>")
# <definedName name="px_name" localSheetId="0">'表'!$B$3</definedName>, attributes in any order
_DEFINED_NAME = _Elements(b"definedName", rb"\b([^>]*)>([^<]*)<")
_DATE_1904 = re.compile(rb'<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"')
_ONE_CELL = re.compile(rb"\$?[A-Za-z]{1,3}\$?[0-9]{1,7}")
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# A formula cell without a cached value: <c r="E7"…><f>…</f></c>, not …</f><v>12</v></c>
_UNCALCULATED = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"[^>]*><f(?:[^>]*/>|[^>]*>[^<]*</f>)(?!<v>[^<])'
)


def workbook_index(book: CheckedWorkbook, wanted: Callable[[str], bool] | None = None
                   ) -> WorkbookIndex:
    """The index of a checked workbook; parts it cannot read leave their entries empty."""
    index = WorkbookIndex()
    try:
        workbook = book.read("xl/workbook.xml")
        related = _relationships(book.read("xl/_rels/workbook.xml.rels"))
        sheets = [_attributes(match.group(1))
                  for match in _SHEET.pattern(workbook).finditer(workbook)]
        index.names = _defined_names(workbook, [sheet.get("name", "") for sheet in sheets])
        missing = False
        for sheet in sheets:
            name = sheet.get("name", "")
            kind, part = related.get(_relationship_id(sheet), ("", None))
            if wanted is not None and not wanted(name):
                continue
            if part not in book.infos:
                missing = True
                continue
            index.sheets[name] = book.read(part)
            if kind == "worksheet":
                index.worksheets.append(name)
        _note_cell_parts(index, workbook, related, book)
        index.complete = not missing
    except (zipfile.BadZipFile, *INFLATE_ERRORS, KeyError, OSError):
        return index
    return index


def _note_cell_parts(index: WorkbookIndex, workbook: bytes,
                     related: dict[str, tuple[str, str]], book: CheckedWorkbook) -> None:
    for kind, part in related.values():
        if kind in ("sharedStrings", "styles") and part in book.infos:
            setattr(index, "shared_strings" if kind == "sharedStrings" else "styles", part)
    # most workbooks do not name the 1904 date system at all: no pattern search then
    index.date1904 = b"date1904" in workbook and _DATE_1904.search(workbook) is not None


@lru_cache(maxsize=256)
def _attributes(text: bytes) -> dict[str, str]:
    """An element's attributes (the same dict for the same text: not to be changed)."""
    return {match.group(1).decode(): _text(match.group(2) if match.group(2) is not None
                                           else match.group(3))
            for match in _ATTRIBUTE.finditer(text)}


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


def _relationship_id(attributes: dict[str, str]) -> str | None:
    """``r:id`` whatever prefix the relationships namespace was given."""
    return next((value for key, value in attributes.items() if key.endswith(":id")), None)


@lru_cache(maxsize=64)
def _relationships(rels: bytes) -> dict[str, tuple[str, str]]:
    """The workbook's relationships: {id: (type's last word, part path)} (the same dict for
    the same part: not to be changed)."""
    found = {}
    for match in _RELATIONSHIP.pattern(rels).finditer(rels):
        attributes = _attributes(match.group(1))
        target = attributes.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        found[attributes.get("Id")] = (attributes.get("Type", "").rsplit("/", 1)[-1], part)
    return found


def uncalculated_cells(xml: bytes) -> frozenset[str]:
    """Cells holding a formula but no cached value (saved by a program that does not calculate)."""
    if b"<f" not in xml:
        return frozenset()
    return frozenset(cell.decode() for cell in _UNCALCULATED.findall(xml))


def _defined_names(workbook: bytes, sheets: list[str]) -> dict[str, dict[str, tuple[int, int]]]:
    """Sheet-scoped single-cell defined names: {sheet: {name: (row, col)}}."""
    result: dict[str, dict[str, tuple[int, int]]] = {}
    for attributes, target in _DEFINED_NAME.pattern(workbook).findall(workbook):
        name, scope = _name_and_scope(attributes)
        if scope is None or b":" in target or b"!" not in target:
            continue  # a workbook-wide name, a range, a constant, a formula
        cell = _cell(target.rsplit(b"!", 1)[-1].strip())
        if scope < len(sheets) and cell is not None:
            result.setdefault(sheets[scope], {})[name] = cell
    return result


@lru_cache(maxsize=4096)
def _name_and_scope(attributes: bytes) -> tuple[str, int | None]:
    """A definedName's ``name`` and ``localSheetId`` (None when it is not sheet-scoped)."""
    found = _attributes(attributes)
    scope = found.get("localSheetId", "")
    return found.get("name", ""), int(scope) if scope.isdigit() else None


@lru_cache(maxsize=4096)
def _cell(address: bytes) -> tuple[int, int] | None:
    """``$B$3`` → (2, 1); None for what is not one cell (a formula, #REF!)."""
    if not _ONE_CELL.fullmatch(address):
        return None
    return parse_a1(address.decode())
