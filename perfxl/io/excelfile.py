"""Workbook files (.xlsx/.xlsm) → Grids, read with python-calamine.

Defined names (the template's ``px_*`` names) are read from ``xl/workbook.xml``
with a safe XML parser; calamine does not expose them.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import python_calamine as calamine
from defusedxml import ElementTree

from ..errors import InputError
from ..grid import Grid, parse_a1
from .guard import open_checked_workbook

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def open_workbook(path: Path) -> calamine.CalamineWorkbook:
    try:
        return calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise InputError(
            "工作簿有密码保护，无法读取", "the workbook is password-protected", file=str(path)
        ) from None
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError, ValueError) as exc:
        raise InputError(
            f"不是可读取的 Excel 工作簿（{exc}）",
            f"not a readable Excel workbook ({exc})",
            file=str(path),
        ) from None


def read_workbook(path: Path, wanted: Callable[[str], bool] | None = None) -> list[Grid]:
    """One Grid per worksheet (hidden ones too) in workbook order; ``wanted`` filters by name."""
    with open_checked_workbook(path) as archive:
        index = workbook_index(archive, wanted)
    book = open_workbook(path)
    grids = []
    try:
        for meta in book.sheets_metadata:
            if str(getattr(meta, "typ", "WorkSheet")).lower().find("work") < 0:
                continue
            if wanted is not None and not wanted(meta.name):
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            grids.append(Grid(
                rows, file=str(path), sheet=meta.name, names=index.names.get(meta.name, {}),
                uncalculated=index.uncalculated.get(meta.name, frozenset()),
            ))
    except (calamine.CalamineError, calamine.XmlError, calamine.ZipError) as exc:
        raise InputError(
            f"工作表内容无法读取（{exc}）", f"a sheet cannot be read ({exc})", file=str(path)
        ) from None
    finally:
        book.close()
    return grids


@dataclass
class WorkbookIndex:
    """What calamine does not tell: defined names and formulas saved without a value."""

    names: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    uncalculated: dict[str, frozenset[str]] = field(default_factory=dict)


# A formula cell and its cached value, if any: <c r="E7"…><f>…</f><v>12</v></c>
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"[^>]*><f(?:[^>]*/>|[^>]*>[^<]*</f>)(?:<v>([^<]*)</v>)?'
)


def workbook_index(archive: zipfile.ZipFile, wanted: Callable[[str], bool] | None = None
                   ) -> WorkbookIndex:
    index = WorkbookIndex()
    try:
        root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        parts = _sheet_parts(archive)
        present = set(archive.namelist())
        sheets = [(s.get("name"), s.get(_REL_ID)) for s in root.iterfind("m:sheets/m:sheet", _NS)]
        index.names = _defined_names(root, [name for name, _ in sheets])
        for name, rel in sheets:
            part = parts.get(rel)
            if part in present and (wanted is None or wanted(name)):
                index.uncalculated[name] = _uncalculated_cells(archive.read(part))
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError):
        return index
    return index


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    parts = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        parts[rel.get("Id")] = target
    return parts


def _uncalculated_cells(xml: bytes) -> frozenset[str]:
    """Cells holding a formula but no cached value (saved by a program that does not calculate)."""
    if b"<f" not in xml:
        return frozenset()
    return frozenset(match.group(1).decode() for match in _FORMULA_CELL.finditer(xml)
                     if not match.group(2))


def _defined_names(root, sheets: list[str]) -> dict[str, dict[str, tuple[int, int]]]:
    """Sheet-scoped single-cell defined names: {sheet: {name: (row, col)}}."""
    result: dict[str, dict[str, tuple[int, int]]] = {}
    for node in root.iterfind("m:definedNames/m:definedName", _NS):
        scope = node.get("localSheetId")
        target = (node.text or "").strip()
        if scope is None or "!" not in target or ":" in target:
            continue
        sheet = sheets[int(scope)] if int(scope) < len(sheets) else None
        if sheet is None:
            continue
        result.setdefault(sheet, {})[node.get("name", "")] = parse_a1(target.split("!")[-1])
    return result
