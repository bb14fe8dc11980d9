"""Workbook files (.xlsx/.xlsm) → Grids.

The file is read once (``guard.open_checked_workbook``). Defined names (the template's
``px_*`` names), which calamine does not expose, come from ``book_index``. The cells are
read straight from the sheet XML (``xlsx_cells``) when it is laid out the usual way, and by
python-calamine from the same bytes otherwise; both give the same rows.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Callable

from ..errors import InputError
from ..grid import Grid
from .book_index import WorkbookIndex, workbook_index
from .deflate import ERRORS as INFLATE_ERRORS
from .guard import CheckedWorkbook, open_checked_workbook
from .xlsx_cells import Unsupported, shared_strings, sheet_rows, style_kinds


def open_workbook(path: Path, data: bytes | None = None):
    """calamine's workbook, from the bytes already read when given (the file is not reopened)."""
    import python_calamine as calamine  # most workbooks are read without it

    try:
        if data is not None:
            return calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
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
    with open_checked_workbook(path) as checked:
        index = workbook_index(checked, wanted)
        grids = read_directly(path, checked, index)
    if grids is not None:
        return grids
    return read_with_calamine(path, checked.data, index, wanted)


def read_directly(path: Path, checked: CheckedWorkbook, index: WorkbookIndex
                  ) -> list[Grid] | None:
    """The grids read straight from the sheet XML, or None when calamine must read them."""
    if not index.complete or index.date1904:
        return None
    try:
        shared = shared_strings(checked.read(index.shared_strings)) if index.shared_strings else []
        styles = style_kinds(checked.read(index.styles)) if index.styles else ()
        grids = []
        for name in index.worksheets:
            cells = sheet_rows(index.sheets[name], shared, styles)
            grids.append(Grid(cells.rows, file=str(path), sheet=name,
                              names=index.names.get(name, {}), uncalculated=cells.uncalculated,
                              filled=cells.filled))
        return grids
    except (Unsupported, KeyError, zipfile.BadZipFile, *INFLATE_ERRORS):
        return None


def read_with_calamine(path: Path, data: bytes, index: WorkbookIndex,
                       wanted: Callable[[str], bool] | None = None) -> list[Grid]:
    """The grids as python-calamine reads the workbook's bytes."""
    import python_calamine as calamine

    book = open_workbook(path, data)
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
