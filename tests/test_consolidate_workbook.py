"""The summary workbook: live formulas recalculated by LibreOffice, tables, chart, C04 audit."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from lo_client import recalculate, require_libreoffice
from perfxl.consolidate import consolidate
from perfxl.consolidate.layout import SummaryLayout
from perfxl.io import read_forms
from perfxl.io.summary import audit_formulas, write_summary_sheets, write_summary_workbook
from test_consolidate_support import PUBLISHED, sample_workbook

MONEY_KEYS = ("total", "annual", "appropriation", "carryover", "other_annual", "remaining")


@pytest.fixture(scope="module")
def summary(sample_forms):
    return consolidate(sample_forms)


@pytest.fixture(scope="module")
def written(summary, tmp_path_factory):
    return write_summary_workbook(tmp_path_factory.mktemp("summary") / "汇总.xlsx", summary)


def _columns(ws) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1]}


def _row_of(ws, label: str, column: int = 2) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, column).value == label)


def test_sheets_header_formats_and_views(written, summary):
    book = openpyxl.load_workbook(written)
    assert book.sheetnames == ["汇总", "指标明细", "校验结果"]
    ws = book["汇总"]
    columns = _columns(ws)
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(columns)).column_letter}8"
    annual = ws.cell(2, columns["年度资金申请总额"])
    assert annual.value == 27315700 and annual.number_format == "#,##0.00"
    assert ws.cell(2, columns["计划开始日期"]).number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["B"].width >= 20
    total_row = _row_of(ws, "合计")
    formula = ws.cell(total_row, columns["年度资金申请总额"]).value
    assert formula.startswith("=SUMIFS(") and "$2:" in formula


def test_indicator_sheet_is_an_excel_table(written):
    book = openpyxl.load_workbook(written)
    ws = book["指标明细"]
    (table,) = ws.tables.values()
    assert table.ref == "A1:Q64"
    assert [c.name for c in table.tableColumns][:4] == ["序号", "项目", "主管部门", "实施单位"]
    values = [ws.cell(r, 10) for r in range(2, 65)]
    targets = [c.value for c in values]
    assert "=100(%)" in targets  # a target, kept as text
    assert all(c.data_type == "s" for c in values if c.value == "=100(%)")


def _indicator_rows(path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["指标明细"]
    return [tuple(cell.value for cell in row) for row in ws.iter_rows()]


def test_indicator_cells_land_in_their_columns(written, summary):
    """The body's cells carry no address: each must still be read in its own column."""
    import python_calamine

    rows = _indicator_rows(written)
    table = summary.indicator_columns
    assert len(rows) == 1 + len(table["indicator"]) == 64
    assert [r[8] for r in rows[1:]] == table["indicator"]
    assert [r[12] for r in rows[1:]] == table["number"]  # a column with gaps
    assert [r[0] for r in rows[1:]] == table["row"]
    assert any(r[12] is None for r in rows[1:]) and any(r[12] is not None for r in rows[1:])
    grid = python_calamine.CalamineWorkbook.from_path(str(written)).get_sheet_by_name("指标明细")
    as_read = [[None if v == "" else v for v in row] for row in grid.to_python()]
    assert [row[8] for row in as_read[1:]] == table["indicator"]
    assert [row[16] for row in as_read[1:]] == table["cell"]


def test_libreoffice_reads_the_indicator_cells_in_place(written, tmp_path):
    require_libreoffice()
    assert _indicator_rows(recalculate(written, tmp_path)) == _indicator_rows(written)


def test_findings_sheet_lists_every_finding(written, summary):
    ws = openpyxl.load_workbook(written)["校验结果"]
    assert ws.max_row == 1 + len(summary.report.findings)
    assert {ws.cell(r, 3).value for r in range(2, ws.max_row + 1)} == summary.report.codes()


def test_native_bar_chart_of_annual_by_category(written, summary):
    first, last = SummaryLayout(summary).section_rows("category")
    with zipfile.ZipFile(written) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = package.read(charts[0]).decode("utf-8")
    assert "<barChart>" in xml
    assert f"<strRef><f>'汇总'!$B${first}:$B${last}</f></strRef>" in xml
    assert f"<numRef><f>'汇总'!$N${first}:$N${last}</f></numRef>" in xml
    ws = openpyxl.load_workbook(written)["汇总"]
    assert [ws.cell(r, 2).value for r in range(first, last + 1)] == list(PUBLISHED["by_category"])
    assert ws.cell(1, 14).value == "年度资金申请总额"


def test_our_formulas_never_mix_project_total_with_annual_money(written):
    ws = openpyxl.load_workbook(written)["汇总"]
    assert audit_formulas(ws) == []
    columns = _columns(ws)
    total = ws.cell(1, columns["项目资金总额"]).column_letter
    annual = ws.cell(1, columns["年度资金申请总额"]).column_letter
    ws["A30"] = f"={total}10+{annual}10"  # what rule C04 is about
    assert [(f.code, f.cell) for f in audit_formulas(ws)] == [("C04", "A30")]


def test_libreoffice_recalculates_the_same_totals(written, summary, tmp_path):
    require_libreoffice()
    ws = openpyxl.load_workbook(recalculate(written, tmp_path), data_only=True)["汇总"]
    columns = _columns(ws)
    total_row = _row_of(ws, "合计")
    for key, heading in (("annual", "年度资金申请总额"), ("appropriation", "当年财政拨款"),
                         ("carryover", "上年结转资金"), ("other_annual", "其他资金(年度)"),
                         ("remaining", "其他年度资金"), ("total", "项目资金总额")):
        value = Decimal(str(ws.cell(total_row, columns[heading]).value))
        assert value == summary.total[key], heading
    assert Decimal(str(ws.cell(total_row, columns["年度资金申请总额"]).value)) == PUBLISHED["annual"]
    assert ws.cell(total_row, columns["指标数"]).value == PUBLISHED["indicators"]
    wan_row = _row_of(ws, "合计（万元）")
    assert Decimal(str(ws.cell(wan_row, columns["年度资金申请总额"]).value)) == Decimal("4834.18")
    for category, amount in PUBLISHED["by_category"].items():
        row = _row_of(ws, category)
        assert Decimal(str(ws.cell(row, columns["年度资金申请总额"]).value)) == amount, category


def test_an_edited_row_moves_the_totals(written, tmp_path):
    require_libreoffice()
    book = openpyxl.load_workbook(written)
    ws = book["汇总"]
    columns = _columns(ws)
    ws.cell(2, columns["年度资金申请总额"]).value = 27315700 + 1000
    ws.cell(8, columns["计入合计"]).value = 0  # the accountant leaves 缴纳残疾人就业保障金 out
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    ws = openpyxl.load_workbook(recalculate(edited, tmp_path / "lo"), data_only=True)["汇总"]
    total = ws.cell(_row_of(ws, "合计"), columns["年度资金申请总额"]).value
    assert Decimal(str(total)) == PUBLISHED["annual"] + 1000 - 148000
    assert ws.cell(_row_of(ws, "其他人员类"), columns["年度资金申请总额"]).value == 0


def test_two_copies_totals_in_libreoffice(tmp_path):
    require_libreoffice()
    for name in ("单位甲.xlsx", "单位甲-副本.xlsx"):
        sample_workbook(tmp_path / "in" / name)
    forms = read_forms(tmp_path / "in" / "单位甲-副本.xlsx") + read_forms(tmp_path / "in" / "单位甲.xlsx")
    summary = consolidate(forms)
    path = write_summary_workbook(tmp_path / "汇总.xlsx", summary)
    ws = openpyxl.load_workbook(recalculate(path, tmp_path / "lo"), data_only=True)["汇总"]
    columns = _columns(ws)
    row = next(r for r in range(1, ws.max_row + 1)
               if str(ws.cell(r, 2).value or "").startswith("合计（不含7个重复项目"))
    assert Decimal(str(ws.cell(row, columns["年度资金申请总额"]).value)) == PUBLISHED["annual"]
    assert ws.cell(row, columns["重复（同第几行）"]).value == 7
    assert [ws.cell(r, columns["重复（同第几行）"]).value for r in range(9, 16)] == list(range(1, 8))


def test_blank_category_gets_its_own_subtotal(summary, tmp_path, sample_forms):
    require_libreoffice()
    from dataclasses import replace

    forms = list(sample_forms)
    forms[6] = replace(forms[6], project=replace(forms[6].project, category=""))
    path = write_summary_workbook(tmp_path / "汇总.xlsx", consolidate(forms))
    ws = openpyxl.load_workbook(recalculate(path, tmp_path / "lo"), data_only=True)["汇总"]
    row = _row_of(ws, "（未填）")
    assert ws.cell(row, _columns(ws)["年度资金申请总额"]).value == 148000


def test_rebuild_inside_an_existing_workbook(tmp_path, sample_forms):
    source = sample_workbook(tmp_path / "book.xlsx")
    book = openpyxl.load_workbook(source)
    book.create_sheet("汇总", 1)["A1"] = "旧的汇总"
    book.create_sheet("说明")["A1"] = "填表说明"
    forms_before = read_forms(source)
    summary = consolidate(forms_before)
    write_summary_sheets(book, summary)
    assert book.sheetnames[:3] == ["表1", "汇总", "表2"]
    assert book.sheetnames[-3:] == ["说明", "指标明细", "校验结果"]
    assert book["说明"]["A1"].value == "填表说明"
    ws = book["汇总"]
    assert ws["A1"].value == "序号" and ws["B2"].value == "科创中心建设工作经费"
    assert ws.freeze_panes == "C2"
    rebuilt = tmp_path / "rebuilt.xlsx"
    book.save(rebuilt)
    assert read_forms(rebuilt) == forms_before  # the summary sheets are not read as forms
    again = openpyxl.load_workbook(rebuilt)
    write_summary_sheets(again, summary)  # rebuilding twice replaces, never duplicates
    assert again.sheetnames.count("汇总") == 1 and len(again.sheetnames) == len(book.sheetnames)


def test_rebuilt_sheet_recalculates(tmp_path, sample_forms):
    require_libreoffice()
    book = openpyxl.load_workbook(sample_workbook(tmp_path / "book.xlsx"))
    write_summary_sheets(book, consolidate(sample_forms), lang="en")
    path = tmp_path / "rebuilt.xlsx"
    book.save(path)
    ws = openpyxl.load_workbook(recalculate(path, tmp_path / "lo"), data_only=True)["汇总"]
    row = _row_of(ws, "Total")
    assert Decimal(str(ws.cell(row, _columns(ws)["annual request"]).value)) == PUBLISHED["annual"]


def test_layout_sections_point_at_their_rows(summary):
    layout = SummaryLayout(summary)
    first, last = layout.section_rows("category")
    rows = {row: values for row, _, values in layout.footer_rows()}
    assert [rows[r][1] for r in range(first, last + 1)] == list(PUBLISHED["by_category"])
    assert rows[first - 1][1] == "按项目类别小计"


def test_existing_output_is_refused_without_force(written, summary):
    from perfxl.errors import WorkbookError

    before = Path(written).read_bytes()
    with pytest.raises(WorkbookError):
        write_summary_workbook(written, summary, force=False)
    assert Path(written).read_bytes() == before


def test_awkward_text_survives_the_streamed_sheets(sample_forms, tmp_path):
    from dataclasses import replace

    import python_calamine

    awkward = " R&D <研发> \"项目\"\x07"
    forms = [replace(sample_forms[0], project=replace(sample_forms[0].project, name=awkward))]
    path = write_summary_workbook(tmp_path / "汇总.xlsx", consolidate(forms))
    ws = openpyxl.load_workbook(path)["汇总"]
    assert ws["B2"].value == " R&D <研发> \"项目\""  # control character dropped, spaces kept
    indicators = openpyxl.load_workbook(path)["指标明细"]
    assert indicators["B2"].value == ws["B2"].value
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    assert book.get_sheet_by_name("汇总").to_python()[1][1] == ws["B2"].value


@pytest.mark.parametrize("value, width", [
    (None, 0), ("", 0), ("abc", 3), ("项目", 4), ("A类项目", 7), (12345, 5), ("Ωé", 2),
    ("≥95%", 4), ("\u2e80", 2), ("上海市 奉贤区", 13),
])
def test_a_texts_display_width_counts_wide_characters_twice(value, width):
    from perfxl.io.summary import _display_width

    assert _display_width(value) == width == _display_width(value)  # again: remembered
