"""The template's other sheets: 说明 (how to use), 汇总 and 校验结果 (targets), xlwings.conf.

The texts about buttons and functions are passed in by the builder (taken from the ribbon
XML and the UDF docstrings), so they are written once, where they belong.
"""

from __future__ import annotations

from typing import Sequence

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .template_layout import BODY_FONT, TITLE_FONT

INSTRUCTIONS_SHEET = "说明"
SUMMARY_SHEET = "汇总"
FINDINGS_SHEET = "校验结果"
FORM_SHEET = "申报表"
CONFIG_SHEET = "xlwings.conf"
UDF_CONFIG = (("UDF Modules", "perfxl.xl.udfs"),)

_HEADING_FILL = PatternFill("solid", fgColor="DDEBF7")

_STEPS = (
    "每个项目填一张“申报表”工作表，格式与官方《财政项目支出绩效目标申报表》一致。",
    "项目性质、项目类别、一级指标、二级指标、符号、计量单位都有下拉列表；二级指标的下拉列表随本行的一级指标变化。",
    "指标值分三格填写：符号（≥ ≤ = > <）、数值、计量单位；“年度(/项目)指标值”一列由公式自动组合成 ≥95.00(%) 的形式。定性指标只在“数值”格填写文字，符号和单位留空。",
    "“分项合计（公式）”行由 Excel 公式按分项自动计算，“核对”格显示填报的总额与分项合计是否一致；这些公式在未安装 Python 的电脑（Mac、WPS、LibreOffice）上同样有效。",
    "必填而未填的单元格显示为浅黄色；二级指标与一级指标不对应时显示为浅红色。",
    "新增项目：点击“绩效目标”选项卡中的“新建项目表”，或复制一张申报表后修改。",
    "工作表名称即项目名称（最多 31 个字符）。",
)
_REQUIREMENTS = (
    "选项卡上的按钮需要 Windows 或 Mac 版 Excel、Python 和 perfxl（pip install perfxl），以及 xlwings 加载项的配置（perfxl install）。",
    "打开工作簿时请点击“启用内容”以启用宏。",
    "没有 Python 时，下拉列表、公式和条件格式照常工作，只是按钮和 perfxl_ 函数不可用。",
)


def _cell(sheet: Worksheet, row: int, col: int, value: str, *, bold: bool = False,
          size: float = 10, fill: PatternFill | None = None) -> None:
    cell = sheet.cell(row, col, value)
    cell.data_type = "s"  # "=perfxl_wan(…)" is shown, not computed
    cell.font = Font(name=BODY_FONT, size=size, bold=bold)
    cell.alignment = Alignment(vertical="top", wrap_text=True)
    if fill is not None:
        cell.fill = fill


def _heading(sheet: Worksheet, row: int, text: str) -> int:
    _cell(sheet, row, 1, text, bold=True, size=12, fill=_HEADING_FILL)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    return row + 1


def _numbered(sheet: Worksheet, row: int, lines: Sequence[str]) -> int:
    for number, text in enumerate(lines, start=1):
        _cell(sheet, row, 1, f"{number}.")
        _cell(sheet, row, 2, text)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        sheet.row_dimensions[row].height = 15 * max(1, -(-len(text) // 46))
        row += 1
    return row + 1


def write_instructions(sheet: Worksheet, buttons: Sequence[tuple[str, str, str]],
                       functions: Sequence[tuple[str, str]]) -> None:
    """说明: how to fill the form, what each ribbon button does, the worksheet functions.

    ``buttons`` are (group, label, what it does); ``functions`` (signature, what it does).
    """
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 34
    sheet.column_dimensions["C"].width = 60
    title = sheet.cell(1, 1, "perfxl 财政项目支出绩效目标申报表 使用说明")
    title.font = Font(name=TITLE_FONT, size=16, bold=True)
    sheet.row_dimensions[1].height = 28
    row = _heading(sheet, 3, "填写申报表")
    row = _numbered(sheet, row, _STEPS)
    row = _heading(sheet, row, "“绩效目标”选项卡")
    for group, label, tip in buttons:
        _cell(sheet, row, 1, group)
        _cell(sheet, row, 2, label, bold=True)
        _cell(sheet, row, 3, tip)
        sheet.row_dimensions[row].height = 15 * max(1, -(-len(tip) // 29))
        row += 1
    row = _heading(sheet, row + 1, "工作表函数（需要 Python）")
    for signature, text in functions:
        _cell(sheet, row, 1, "函数")
        _cell(sheet, row, 2, signature, bold=True)
        _cell(sheet, row, 3, text)
        sheet.row_dimensions[row].height = 15 * max(1, -(-len(text) // 29),
                                                    -(-len(signature) // 32))
        row += 1
    row = _heading(sheet, row + 1, "运行环境")
    last = _numbered(sheet, row, _REQUIREMENTS)
    sheet.sheet_view.showGridLines = False
    fit_to_page_width(sheet, f"A1:C{last}")


def fit_to_page_width(sheet: Worksheet, area: str) -> None:
    """Print on A4 portrait, one page wide."""
    sheet.print_area = area
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def write_target_sheet(sheet: Worksheet, title: str, note: str) -> None:
    """An empty sheet the macros fill later, with its heading and a one-line note."""
    heading = sheet.cell(1, 1, title)
    heading.font = Font(name=TITLE_FONT, size=14, bold=True)
    note_cell = sheet.cell(2, 1, note)
    note_cell.font = Font(name=BODY_FONT, size=10, color="595959")
    sheet.column_dimensions["A"].width = 24


def write_config_sheet(book: Workbook) -> Worksheet:
    """xlwings.conf (hidden): tells xlwings where the UDFs live."""
    sheet = book.create_sheet(CONFIG_SHEET)
    for row, (key, value) in enumerate(UDF_CONFIG, start=1):
        sheet.cell(row, 1, key)
        sheet.cell(row, 2, value)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 24
    sheet.sheet_state = "hidden"
    return sheet
