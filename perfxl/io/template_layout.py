"""The form sheet's layout: the official 申报表 drawn on an openpyxl worksheet.

Eight columns; the header block (project, funding, goals) sits above the indicator table,
whose columns are 一级 | 二级 | 三级 | 符号 | 数值 | 计量单位 | 指标值 (display formula).
Every input cell gets a sheet-scoped defined name (``perfxl.parse.header.DEFINED_NAMES``),
so the parser finds fields by name first and by label second.

Only plain data validation and conditional formatting are used: openpyxl drops the x14
extensions when it re-saves a workbook.
"""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..parse.header import DEFINED_NAMES
from .template_lists import ensure_lists

TITLE = "财政项目支出绩效目标申报表"
YEAR_FORMAT = '"（"0"年度）"'
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DEFAULT_INDICATOR_ROWS = 30

# Column widths (Excel character units) of A–H.
WIDTHS = {"A": 13, "B": 14, "C": 19, "D": 30, "E": 7, "F": 11, "G": 10, "H": 17}
LAST_COLUMN = "H"

# Where each field's value goes (1-based rows; the name of each cell is DEFINED_NAMES[path]).
FIELD_CELLS = {
    "year": "A2",
    "project.name": "B3",
    "project.nature": "B4",
    "project.category": "E4",
    "project.department": "B5",
    "project.unit": "E5",
    "project.start": "B6",
    "project.end": "E6",
    "funding.total": "C7",
    "funding.fiscal": "C8",
    "funding.other_total": "C10",
    "funding.annual": "E7",
    "funding.appropriation": "E8",
    "funding.carryover": "E9",
    "funding.other_annual": "E10",
    "goals.overall": "B14",
    "goals.annual": "E14",
}
# Cells the formulas fill (named too, for the macros and the tests).
CALC_CELLS = {
    "px_total_calc": "C11",
    "px_annual_calc": "E11",
    "px_total_check": "C12",
    "px_annual_check": "E12",
}
MONEY_LABEL_CELL = "A7"
OVERALL_LABEL_CELL = "B13"
GOAL_ROW = 14
HEADER_ROW = 15
FIRST_INDICATOR_ROW = 16
# Indicator table columns, by part.
INDICATOR_COLUMNS = {
    "level1": "B", "level2": "C", "name": "D", "op": "E", "number": "F", "unit": "G", "value": "H",
}
INDICATOR_HEADERS = ("一级指标", "二级指标", "三级指标", "符号", "数值", "计量单位",
                     "年度(/项目)指标值")
REQUIRED_FIELDS = ("project.name", "project.nature", "project.category", "project.department",
                   "project.unit", "project.start", "project.end", "funding.annual",
                   "funding.appropriation", "goals.annual")

# label cell, text — the fixed labels of the header block.
_LABELS = (
    ("A3", "项目名称"), ("A4", "项目性质"), ("D4", "项目类别"), ("A5", "主管部门"),
    ("D5", "实施单位"), ("A6", "计划开始日期"), ("D6", "计划完成日期"),
    ("B7", "项目资金总额"), ("D7", "年度资金申请总额"), ("B8", "其中：财政资金"),
    ("D8", "其中：当年财政拨款"), ("D9", "上年结转资金"), ("B10", "其他资金"), ("D10", "其他资金"),
    ("B11", "分项合计（公式）"), ("D11", "分项合计（公式）"), ("B12", "核对"), ("D12", "核对"),
    ("A13", "项目绩效目标"), ("E13", "年度总体目标"),
)
_MERGES = ("A1:H1", "A2:H2", "B3:H3", "B4:C4", "E4:H4", "B5:C5", "E5:H5", "B6:C6", "E6:H6",
           "A7:A12", "B9:C9", "E7:H7", "E8:H8", "E9:H9", "E10:H10", "E11:H11", "E12:H12",
           "A13:A14", "B13:D13", "E13:H13", "B14:D14", "E14:H14")

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
_CALC_FILL = PatternFill("solid", fgColor="EAF1DD")
EMPTY_FILL = PatternFill("solid", bgColor="FFF2CC")  # conditional fills use bgColor
MISMATCH_FILL = PatternFill("solid", bgColor="FFC7CE")


def money_label(unit: str | None) -> str:
    """The block label that declares the unit (rule F10): 项目资金\\n（元）."""
    return f"项目资金\n（{unit}）" if unit else "项目资金"


def overall_label(period: tuple[int, int] | None) -> str:
    """项目总目标, with the project's period when the form has one: 项目总目标 (2023年-2024年)."""
    return f"项目总目标 ({period[0]}年-{period[1]}年)" if period else "项目总目标"


def last_row(indicator_rows: int) -> int:
    return FIRST_INDICATOR_ROW + indicator_rows - 1


def draw_form_sheet(sheet: Worksheet, year: int | None,
                    indicator_rows: int = DEFAULT_INDICATOR_ROWS) -> None:
    """Draw the empty form on a new sheet: labels, styles, names, lists, formulas, print setup."""
    ensure_lists(sheet.parent)
    bottom = last_row(indicator_rows)
    _columns_and_rows(sheet, bottom)
    _grid(sheet, bottom)
    _labels(sheet, year, bottom)
    _formulas(sheet, bottom)
    _names(sheet)
    _validation(sheet, bottom)
    _conditional_formats(sheet, bottom)
    _print_setup(sheet, bottom)


def _font(size: float = 10, bold: bool = False, name: str = BODY_FONT) -> Font:
    return Font(name=name, size=size, bold=bold)


def _columns_and_rows(sheet: Worksheet, bottom: int) -> None:
    for letter, width in WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    sheet.row_dimensions[1].height = 32
    sheet.row_dimensions[2].height = 22
    for row in range(3, bottom + 1):
        sheet.row_dimensions[row].height = 20
    sheet.row_dimensions[GOAL_ROW].height = 90
    sheet.sheet_view.showGridLines = False


def _grid(sheet: Worksheet, bottom: int) -> None:
    """Borders, fonts and alignment of every cell of the form (rows 3 to the last)."""
    wrap_left = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
    for row in sheet.iter_rows(min_row=3, max_row=bottom, max_col=8):
        for cell in row:
            cell.border = _BORDER
            cell.font = _font()
            cell.alignment = wrap_left
    money = [address for path, address in FIELD_CELLS.items() if path.startswith("funding.")]
    for address in (*money, CALC_CELLS["px_total_calc"], CALC_CELLS["px_annual_calc"]):
        sheet[address].number_format = MONEY_FORMAT
        sheet[address].alignment = Alignment(horizontal="right", vertical="center", indent=1)
    for address in (FIELD_CELLS["project.start"], FIELD_CELLS["project.end"]):
        sheet[address].number_format = DATE_FORMAT
    for address in (FIELD_CELLS["goals.overall"], FIELD_CELLS["goals.annual"]):
        sheet[address].alignment = Alignment(horizontal="left", vertical="top", wrap_text=True,
                                             indent=1)
    for row in range(FIRST_INDICATOR_ROW, bottom + 1):
        for part in ("op", "number", "unit"):
            cell = sheet[f"{INDICATOR_COLUMNS[part]}{row}"]
            cell.number_format = "@"  # typed text stays as typed: 95.00, "="
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for merged in _MERGES:
        sheet.merge_cells(merged)


def _label(sheet: Worksheet, address: str, text: str, *, bold: bool = True) -> None:
    cell = sheet[address]
    cell.value = text
    cell.font = _font(bold=bold)
    cell.fill = _LABEL_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _labels(sheet: Worksheet, year: int | None, bottom: int) -> None:
    title = sheet["A1"]
    title.value = TITLE
    title.font = _font(18, True, TITLE_FONT)
    title.alignment = Alignment(horizontal="center", vertical="center")
    year_cell = sheet[FIELD_CELLS["year"]]
    year_cell.value = year
    year_cell.number_format = YEAR_FORMAT
    year_cell.font = _font(12)
    year_cell.alignment = Alignment(horizontal="center", vertical="center")
    for address, text in _LABELS:
        _label(sheet, address, text)
    _label(sheet, MONEY_LABEL_CELL, money_label("元"))
    _label(sheet, OVERALL_LABEL_CELL, overall_label(None))
    for address in ("B9", "C9"):
        sheet[address].fill = _LABEL_FILL
    _label(sheet, f"A{HEADER_ROW}", "绩效指标")
    sheet.merge_cells(f"A{HEADER_ROW}:A{bottom}")
    for letter, text in zip(INDICATOR_COLUMNS.values(), INDICATOR_HEADERS):
        _label(sheet, f"{letter}{HEADER_ROW}", text)


def _formulas(sheet: Worksheet, bottom: int) -> None:
    """Native totals and checks: useful where Python is not (Mac, WPS, LibreOffice)."""
    parts = {"C11": ("C8", "C10"), "E11": ("E8", "E9", "E10")}
    for target, cells in parts.items():
        refs = ",".join(cells)
        sheet[target] = f'=IF(COUNT({refs})=0,"",SUM({refs}))'
        sheet[target].fill = _CALC_FILL
    for check, entered, calc in (("C12", "C7", "C11"), ("E12", "E7", "E11")):
        diff = f"N({entered})-N({calc})"
        sheet[check] = (f'=IF(AND({entered}="",{calc}=""),"",IF(ROUND({diff},2)=0,"一致",'
                        f'"不一致：填报数与分项合计相差 "&TEXT({diff},"#,##0.00")))')
        sheet[check].fill = _CALC_FILL
        sheet[check].alignment = Alignment(horizontal="center", vertical="center")
    op, number, unit, value = (INDICATOR_COLUMNS[p] for p in ("op", "number", "unit", "value"))
    for row in range(FIRST_INDICATOR_ROW, bottom + 1):
        cell = sheet[f"{value}{row}"]
        cell.value = (f'=IF({number}{row}="","",{op}{row}&{number}{row}'
                      f'&IF({unit}{row}="","","("&{unit}{row}&")"))')
        cell.fill = _CALC_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _absolute(sheet: Worksheet, address: str) -> str:
    letters = address.rstrip("0123456789")
    return f"{quote_sheetname(sheet.title)}!${letters}${address[len(letters):]}"


def _names(sheet: Worksheet) -> None:
    """Sheet-scoped names: px_year, px_name … (the parser's DEFINED_NAMES) and the checks."""
    cells = {DEFINED_NAMES[path]: address for path, address in FIELD_CELLS.items()}
    for name, address in {**cells, **CALC_CELLS}.items():
        sheet.defined_names[name] = DefinedName(name, attr_text=_absolute(sheet, address))


def _list_validation(sheet: Worksheet, source: str, cells: str, *, strict: bool,
                     prompt: str) -> None:
    rule = DataValidation(type="list", formula1=source, allow_blank=True,
                          showErrorMessage=True, errorStyle="stop" if strict else "warning",
                          errorTitle="perfxl", showInputMessage=True, promptTitle="perfxl",
                          prompt=prompt,
                          error="请从下拉列表中选择。" if strict else "不在标准列表中，确定要填写吗？")
    sheet.add_data_validation(rule)
    rule.add(cells)


def _validation(sheet: Worksheet, bottom: int) -> None:
    first, col = FIRST_INDICATOR_ROW, INDICATOR_COLUMNS
    _list_validation(sheet, "px_list_nature", FIELD_CELLS["project.nature"], strict=False,
                     prompt="选择项目性质")
    _list_validation(sheet, "px_list_category", FIELD_CELLS["project.category"], strict=False,
                     prompt="选择项目类别")
    _list_validation(sheet, "px_list_level1", f"{col['level1']}{first}:{col['level1']}{bottom}",
                     strict=False, prompt="选择一级指标")
    _list_validation(sheet, f"INDIRECT(${col['level1']}{first})",
                     f"{col['level2']}{first}:{col['level2']}{bottom}", strict=False,
                     prompt="先选一级指标，再选其下的二级指标")
    _list_validation(sheet, "px_list_op", f"{col['op']}{first}:{col['op']}{bottom}",
                     strict=True, prompt="≥ ≤ = > <；定性指标留空")
    _list_validation(sheet, "px_list_unit", f"{col['unit']}{first}:{col['unit']}{bottom}",
                     strict=False, prompt="选择计量单位；定性指标留空")
    money = [address for path, address in FIELD_CELLS.items() if path.startswith("funding.")]
    amounts = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                             allow_blank=True, showErrorMessage=True, errorStyle="warning",
                             errorTitle="perfxl", error="金额应为不小于 0 的数字（单位见左侧）。")
    sheet.add_data_validation(amounts)
    for address in money:
        amounts.add(address)


def _conditional_formats(sheet: Worksheet, bottom: int) -> None:
    for path in REQUIRED_FIELDS:
        address = FIELD_CELLS[path]
        sheet.conditional_formatting.add(
            address, FormulaRule(formula=[f"LEN(TRIM({address}))=0"], fill=EMPTY_FILL))
    first, col = FIRST_INDICATOR_ROW, INDICATOR_COLUMNS
    row_cells = f"${col['level1']}{first}:${col['name']}{first},${col['number']}{first}"
    for part in ("level1", "level2", "name", "number"):
        letter = col[part]
        sheet.conditional_formatting.add(
            f"{letter}{first}:{letter}{bottom}",
            FormulaRule(formula=[f"AND(COUNTA({row_cells})>0,LEN(TRIM({letter}{first}))=0)"],
                        fill=EMPTY_FILL))
    level1, level2 = f"${col['level1']}{first}", f"${col['level2']}{first}"
    sheet.conditional_formatting.add(
        f"{col['level2']}{first}:{col['level2']}{bottom}",
        FormulaRule(formula=[f'AND({level2}<>"",ISERROR(MATCH({level2},INDIRECT({level1}),0)))'],
                    fill=MISMATCH_FILL))
    for entered, calc in (("C7", "C11"), ("E7", "E11")):
        sheet.conditional_formatting.add(
            entered, FormulaRule(formula=[f"AND(ISNUMBER({calc}),ROUND(N({entered})-{calc},2)<>0)"],
                                 fill=MISMATCH_FILL))
    for check in ("C12", "E12"):
        sheet.conditional_formatting.add(
            check, FormulaRule(formula=[f'LEFT({check},3)="不一致"'], fill=MISMATCH_FILL))


def _print_setup(sheet: Worksheet, bottom: int) -> None:
    sheet.print_area = f"A1:{LAST_COLUMN}{bottom}"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top, sheet.page_margins.bottom = 0.6, 0.8
    sheet.page_margins.footer = 0.35
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
