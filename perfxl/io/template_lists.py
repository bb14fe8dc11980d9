"""The hidden ``_lists`` sheet: the dropdown vocabularies of the form sheet, from ``perfxl.vocab``.

Each list is a column with a workbook-scoped name (``px_list_nature`` …). The 二级 list of
each 一级 is named after the 一级 itself (``产出指标`` → its 二级), so a row's 二级 dropdown
is ``=INDIRECT($B16)`` over the 一级 in the same row.
"""

from __future__ import annotations

from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook

from .. import vocab
from ..grid import column_letter
from ..model import OPERATORS

LISTS_SHEET = "_lists"

# (header, workbook name, values) — one column each, in this order.
_FIXED = (
    ("项目性质", "px_list_nature", vocab.NATURES),
    ("项目类别", "px_list_category", vocab.CATEGORIES),
    ("一级指标", "px_list_level1", vocab.LEVEL1),
    ("符号", "px_list_op", OPERATORS),
    ("计量单位", "px_list_unit", vocab.UNITS),
)


def list_columns() -> list[tuple[str, str, tuple[str, ...]]]:
    """Every list column: the fixed lists, then one 二级 list per 一级 (named by the 一级)."""
    level2 = [(f"{level1}的二级指标", level1, level2s) for level1, level2s in vocab.LEVELS.items()]
    return [*_FIXED, *level2]


def ensure_lists(book: Workbook) -> None:
    """Add the hidden ``_lists`` sheet and its names unless the workbook has them already."""
    if LISTS_SHEET in book.sheetnames:
        return
    sheet = book.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    for index, (header, name, values) in enumerate(list_columns()):
        letter = column_letter(index)
        sheet.cell(1, index + 1, header)
        for row, value in enumerate(values, start=2):
            cell = sheet.cell(row, index + 1, value)
            cell.data_type = "s"  # "=" is an operator here, never a formula
        sheet.column_dimensions[letter].width = 16
        last = len(values) + 1
        target = f"'{LISTS_SHEET}'!${letter}$2:${letter}${last}"
        book.defined_names[name] = DefinedName(name, attr_text=target)
