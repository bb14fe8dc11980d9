"""The next-year workbook of a carry-over: next year's forms plus a 结转情况 sheet.

Forms are written by the template's form-sheet writer (``perfxl.io.formsheet``); an
``.xlsm`` is built on the macro-enabled template. Each proposed 当年财政拨款 cell is filled
yellow and carries a note: it is a proposal, to confirm.

结转情况: one row per project of this year — this year's 年度资金申请总额, 实际支出, the
amount carried into next year, 结余, next year's proposed 当年财政拨款, notes — and a total
row of live SUM formulas. The file is written atomically; an existing file is replaced
only with ``force``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from ..errors import WorkbookError
from ..model import Form
from ..rollover.report import ROLLOVER_SHEET, STATUS_EN, STATUS_ZH, RolloverReport
from .atomic import atomic_path
from .template_layout import FIELD_CELLS

SHEET = ROLLOVER_SHEET
MONEY_FORMAT = "#,##0.00"
PROPOSAL_FILL = PatternFill("solid", start_color="FFFFF2CC", end_color="FFFFF2CC")
HEADER_FILL = PatternFill("solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
THIN = Side(style="thin", color="FF808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
PROPOSAL_NOTE = ("建议数（由结转生成）：剩余财政资金按剩余年度平均分配，请确认后再报送。\n"
                 "Proposal (from the carry-over): the remaining fiscal money spread over the "
                 "remaining years; confirm before submitting.")
HEADER_ROW = 4
# (key, zh heading, en heading, width); money columns are the ones summed.
COLUMNS = (
    ("number", "序号", "No.", 6),
    ("name", "项目", "project", 28),  # not 项目名称: the form parser anchors on that label
    ("unit", "实施单位", "implementing unit", 30),
    ("period", "实施期限", "period", 11),
    ("status", "处理", "treatment", 10),
    ("annual", "{this}年度资金申请总额", "{this} annual request", 18),
    ("spent", "{this}年实际支出", "{this} spent", 16),  # year-specific: not read as input
    ("carryover", "结转下年（{next}年上年结转资金）", "carried into {next}", 20),
    ("balance", "结余", "balance (not carried over)", 16),
    ("proposal", "{next}年当年财政拨款（建议数，待确认）", "{next} appropriation (proposal, to confirm)", 22),
    ("notes", "说明", "notes", 50),
)
MONEY_KEYS = ("annual", "spent", "carryover", "balance", "proposal")


def column_of(key: str) -> str:
    """The column letter of a 结转情况 column (``annual`` → ``F``)."""
    return get_column_letter([c[0] for c in COLUMNS].index(key) + 1)


# ----------------------------------------------------------------------------- forms


def next_year_book(forms: Sequence[Form], report: RolloverReport, *,
                   template: str | Path | None = None, keep_vba: bool = False,
                   lang: str = "zh") -> Workbook:
    """The next-year workbook in memory: form sheets (proposals marked) and 结转情况."""
    from .formsheet import forms_workbook

    book, titles = forms_workbook(list(forms), template=template, keep_vba=keep_vba)
    address = FIELD_CELLS["funding.appropriation"]
    for title in titles:
        cell = book[title][address]
        cell.fill = PROPOSAL_FILL
        cell.comment = Comment(PROPOSAL_NOTE, "perfxl", width=320, height=90)
    sheet = add_rollover_sheet(book, report, lang)
    book.active = book.index(sheet)
    return book


# ----------------------------------------------------------------------------- 结转情况


def _heading(text: str, report: RolloverReport) -> str:
    return text.format(this=report.this_year, next=report.next_year)


def _project_values(number: int, project, lang: str) -> dict[str, object]:
    status = (STATUS_ZH if lang == "zh" else STATUS_EN)[project.status]
    notes = "；".join(n.message(lang) for n in project.notes if n.kind != "proposal")
    return {"number": number, "name": project.name, "unit": project.unit,
            "period": project.period, "status": status, "annual": project.annual,
            "spent": project.spent, "carryover": project.carryover, "balance": project.balance,
            "proposal": project.proposal, "notes": notes}


def _write_header(sheet, report: RolloverReport, lang: str) -> None:
    zh = lang == "zh"
    sheet["A1"] = (f"{report.this_year}年度项目结转情况（{report.next_year}年度申报）" if zh else
                   f"Carry-over {report.this_year} → {report.next_year}")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = ("金额单位：元。黄色单元格为建议数，请确认；结余为本年结束项目的未支出资金，不结转。" if zh else
                   "Amounts in yuan. Yellow cells are proposals to confirm; the balance of "
                   "projects ending this year is not carried over.")
    for index, (_, head_zh, head_en, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, index, _heading(head_zh if zh else head_en, report))
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 45


def add_rollover_sheet(book: Workbook, report: RolloverReport, lang: str = "zh"):
    """Add (or replace) the 结转情况 sheet; returns it. Totals are live SUM formulas."""
    if SHEET in book.sheetnames:
        book.remove(book[SHEET])
    sheet = book.create_sheet(SHEET, 0)
    _write_header(sheet, report, lang)
    keys = [c[0] for c in COLUMNS]
    first = HEADER_ROW + 1
    for number, project in enumerate(report.projects, start=1):
        row = first + number - 1
        values = _project_values(number, project, lang)
        for index, key in enumerate(keys, start=1):
            cell = sheet.cell(row, index, values[key])
            cell.border = BORDER
            if key in MONEY_KEYS:
                cell.number_format = MONEY_FORMAT
            if key == "proposal" and project.proposal is not None:
                cell.fill = PROPOSAL_FILL
            if key == "notes":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    total_row = first + len(report.projects)
    sheet.cell(total_row, 2, "合计" if lang == "zh" else "total").font = Font(bold=True)
    for key in MONEY_KEYS:
        letter = column_of(key)
        cell = sheet[f"{letter}{total_row}"]
        cell.value = f"=SUM({letter}{first}:{letter}{total_row - 1})" if report.projects else 0
        cell.number_format, cell.font, cell.border = MONEY_FORMAT, Font(bold=True), BORDER
    sheet.freeze_panes = f"C{first}"
    _print_setup(sheet, total_row)
    return sheet


def _print_setup(sheet, last_row: int) -> None:
    """A4 landscape, all columns on one page wide, the header repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{get_column_letter(len(COLUMNS))}{last_row}"


def total_cells(report: RolloverReport) -> dict[str, str]:
    """The address of each total in the 结转情况 sheet (``{"annual": "F12", …}``)."""
    row = HEADER_ROW + 1 + len(report.projects)
    return {key: f"{column_of(key)}{row}" for key in MONEY_KEYS}


def write_rollover_workbook(
    forms: Sequence[Form],
    report: RolloverReport,
    path: str | Path,
    *,
    force: bool = False,
    template: str | Path | None = None,
    lang: str = "zh",
) -> Path:
    """Write next year's forms and the 结转情况 sheet to ``path`` (atomically).

    An ``.xlsm`` is built on a macro-enabled ``template`` (default: the perfxl template,
    ``formsheet.default_template()``), whose VBA project and ribbon are kept; an ``.xlsx``
    needs none.
    """
    path = Path(path)
    macro = path.suffix.lower() == ".xlsm"
    if path.exists() and not force:
        raise WorkbookError("输出文件已存在；如需覆盖请加 --force",
                            "the output file exists; add --force to overwrite it", file=str(path))
    if macro and template is None:
        from .formsheet import default_template

        template = default_template()
    if macro and (template is None or Path(template).suffix.lower() != ".xlsm"):
        raise WorkbookError(
            "输出 .xlsm 需要启用宏的模板（--template perfxl.xlsm，可用 perfxl template 生成），"
            "或改为输出 .xlsx",
            "an .xlsm output needs a macro-enabled template (--template perfxl.xlsm, built "
            "with perfxl template); or write an .xlsx",
            file=str(path))
    book = next_year_book(forms, report, template=template, keep_vba=macro, lang=lang)
    with atomic_path(path, force=force) as tmp:
        book.save(tmp)
    return path
