"""Doors into the engine: files on disk → grids → forms.

Only this package (and the Excel layer) touches file formats; the core sees Grids.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import FormParseError, InputError
from ..grid import Grid
from ..model import Form
from ..parse import parse_grid

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".txt", ".tsv")
SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES

__all__ = ["read_grids", "read_forms", "is_form_sheet_name", "NOT_FORM_SHEETS", "SUFFIXES",
           "WORKBOOK_SUFFIXES", "TEXT_SUFFIXES"]

# Sheets perfxl itself puts into workbooks: never a form, so never read when looking for forms.
NOT_FORM_SHEETS = frozenset({
    "说明", "使用说明", "汇总", "指标明细", "校验结果", "结转情况", "设置", "规则说明",
    "xlwings.conf",
})


def is_form_sheet_name(name: str) -> bool:
    """Whether a sheet may hold a form (perfxl's own and hidden ``_`` sheets do not)."""
    return name not in NOT_FORM_SHEETS and not name.startswith("_")


def read_grids(path: str | Path, wanted=None) -> list[Grid]:
    """The grids of one input file (sheets filtered by ``wanted``), or InputError naming it."""
    path = path if isinstance(path, Path) else Path(path)
    suffix = path.suffix.lower()
    try:  # a missing file or a folder is told apart when opening it: no stat beforehand
        if suffix in WORKBOOK_SUFFIXES:
            from .excelfile import read_workbook

            return read_workbook(path, wanted)
        if suffix in TEXT_SUFFIXES:
            from .textfile import read_text_file

            return [read_text_file(path)]
        if not path.exists():
            raise FileNotFoundError(path)
        if path.is_dir():
            raise IsADirectoryError(path)
    except FileNotFoundError:
        raise InputError("文件不存在", "file not found", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("这是一个文件夹，不是文件", "this is a folder, not a file", file=str(path)) from None
    except PermissionError:
        raise InputError("没有读取权限", "permission denied", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"读取失败（{exc.strerror}）", f"cannot read ({exc.strerror})",
                         file=str(path)) from None
    raise InputError(
        f"不支持的文件类型“{suffix or '无扩展名'}”（支持 .xlsx .xlsm .txt）",
        f"unsupported file type '{suffix or 'none'}' (supported: .xlsx .xlsm .txt)",
        file=str(path),
    )


def forms_of_grids(grids: list[Grid], file: str = "") -> list[Form]:
    """Every form of every grid; grids without a form (说明, 汇总 …) are passed over."""
    forms: list[Form] = []
    for grid in grids:
        try:
            forms.extend(parse_grid(grid))
        except FormParseError:
            continue
    if not forms:
        raise FormParseError(
            "文件中没有绩效目标申报表" if len(grids) != 1 else "未找到绩效目标申报表（没有“项目名称”等标签）",
            "no performance-target form in this file"
            if len(grids) != 1
            else "no performance-target form found (no label such as 项目名称)",
            file=file,
            sheet=grids[0].sheet if len(grids) == 1 and grids[0].sheet else None,
        )
    return forms


def read_forms(path: str | Path) -> list[Form]:
    """Every form in one input file (perfxl's own sheets such as 汇总 are not read)."""
    return forms_of_grids(read_grids(path, is_form_sheet_name), str(path))
