"""Workbook files (.xlsx/.xlsm) → Grids, read with python-calamine.

Defined names (the template's ``px_*`` names) are read from ``xl/workbook.xml``
with a safe XML parser; calamine does not expose them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import python_calamine as calamine
from defusedxml import ElementTree

from ..errors import InputError
from ..grid import Grid, parse_a1
from .guard import check_workbook_file

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


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


def read_workbook(path: Path) -> list[Grid]:
    """One Grid per visible or hidden worksheet, in workbook order."""
    check_workbook_file(path)
    book = open_workbook(path)
    names = defined_names(path)
    grids = []
    try:
        for meta in book.sheets_metadata:
            if str(getattr(meta, "typ", "WorkSheet")).lower().find("work") < 0:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            grids.append(
                Grid(rows, file=str(path), sheet=meta.name, names=names.get(meta.name, {}))
            )
    except (calamine.CalamineError, calamine.XmlError, calamine.ZipError) as exc:
        raise InputError(
            f"工作表内容无法读取（{exc}）", f"a sheet cannot be read ({exc})", file=str(path)
        ) from None
    finally:
        book.close()
    return grids


def defined_names(path: Path) -> dict[str, dict[str, tuple[int, int]]]:
    """Sheet-scoped single-cell defined names: {sheet: {name: (row, col)}}."""
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("xl/workbook.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return {}
    root = ElementTree.fromstring(xml)
    sheets = [s.get("name") for s in root.iterfind("m:sheets/m:sheet", _NS)]
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
