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
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from ..grid import parse_a1
from .guard import CheckedWorkbook


@dataclass
class WorkbookIndex:
    """Sheet-scoped single-cell defined names, and cells whose formula has no cached value."""

    names: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    uncalculated: dict[str, frozenset[str]] = field(default_factory=dict)


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
# <definedName name="px_name" localSheetId="0">'表'!$B$3</definedName>, either attribute first
_NAME_THEN_SCOPE = re.compile(
    rb'<(?:\w+:)?definedName\s[^>]*?\bname="([^"]*)"[^>]*?\blocalSheetId="([0-9]+)"[^>]*>([^<]*)<')
_SCOPE_THEN_NAME = re.compile(
    rb'<(?:\w+:)?definedName\s[^>]*?\blocalSheetId="([0-9]+)"[^>]*?\bname="([^"]*)"[^>]*>([^<]*)<')
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
        parts = _sheet_parts(book.read("xl/_rels/workbook.xml.rels"))
        sheets = [_attributes(match.group(1)) for match in _SHEET.finditer(workbook)]
        index.names = _defined_names(workbook, [sheet.get("name", "") for sheet in sheets])
        for sheet in sheets:
            name, part = sheet.get("name", ""), parts.get(_relationship_id(sheet))
            if part in book.infos and (wanted is None or wanted(name)):
                index.uncalculated[name] = uncalculated_cells(book.read(part))
    except (zipfile.BadZipFile, zlib.error, KeyError, OSError):
        return index
    return index


def _attributes(text: bytes) -> dict[str, str]:
    return {match.group(1).decode(): _text(match.group(2) if match.group(2) is not None
                                           else match.group(3))
            for match in _ATTRIBUTE.finditer(text)}


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


def _relationship_id(attributes: dict[str, str]) -> str | None:
    """``r:id`` whatever prefix the relationships namespace was given."""
    return next((value for key, value in attributes.items() if key.endswith(":id")), None)


def _sheet_parts(rels: bytes) -> dict[str, str]:
    parts = {}
    for match in _RELATIONSHIP.finditer(rels):
        attributes = _attributes(match.group(1))
        target = attributes.get("Target", "")
        parts[attributes.get("Id")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return parts


def uncalculated_cells(xml: bytes) -> frozenset[str]:
    """Cells holding a formula but no cached value (saved by a program that does not calculate)."""
    if b"<f" not in xml:
        return frozenset()
    return frozenset(cell.decode() for cell in _UNCALCULATED.findall(xml))


def _defined_names(workbook: bytes, sheets: list[str]) -> dict[str, dict[str, tuple[int, int]]]:
    """Sheet-scoped single-cell defined names: {sheet: {name: (row, col)}}."""
    result: dict[str, dict[str, tuple[int, int]]] = {}
    found = [(name, scope, target) for name, scope, target in _NAME_THEN_SCOPE.findall(workbook)]
    if len(found) < workbook.count(b"localSheetId"):  # some writer put the scope first
        found += [(name, scope, target)
                  for scope, name, target in _SCOPE_THEN_NAME.findall(workbook)]
    for name, scope, target in found:
        if b":" in target or b"!" not in target:
            continue  # a range, a constant, a formula
        number, cell = int(scope), _cell(target.rsplit(b"!", 1)[-1].strip())
        if number < len(sheets) and cell is not None:
            result.setdefault(sheets[number], {})[_text(name)] = cell
    return result


@lru_cache(maxsize=4096)
def _cell(address: bytes) -> tuple[int, int] | None:
    """``$B$3`` → (2, 1); None for what is not one cell (a formula, #REF!)."""
    if not _ONE_CELL.fullmatch(address):
        return None
    return parse_a1(address.decode())
