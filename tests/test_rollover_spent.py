"""Spending figures (实际支出) from CSV files and workbook sheets, matched to the sample forms."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest
import openpyxl
from openpyxl import Workbook

from perfxl.errors import SpendingError
from perfxl.rollover import load_spending, read_spending, rollover

PARK, SERVICE = "未来公园展厅运营项目", "机关服务"
UNIT = "上海推进科技创新中心建设办公室"


def _csv(tmp_path, text, name="执行数.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _sheet(tmp_path, rows, name="执行数.xlsx", title="实际支出"):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_csv_with_name_unit_and_thousands_separators(tmp_path, sample_forms):
    path = _csv(tmp_path, f'项目名称,实施单位,实际支出\n{PARK},{UNIT},"10,000,000.00"\n{SERVICE},,2231300\n')
    spending = load_spending(path, sample_forms)
    amounts = {f.project.name: spending.of(f) for f in sample_forms if spending.of(f) is not None}
    assert amounts == {PARK: D("10000000.00"), SERVICE: D("2231300")}
    park = next(f for f in sample_forms if f.project.name == PARK)
    assert spending.ref_of(park).cell == "R2C3"


def test_gb18030_tab_separated_with_other_header_spellings(tmp_path, sample_forms):
    path = _csv(tmp_path, f"项目 名称\t单位\t实际执行数（元）\n{PARK}\t{UNIT}\t１０000000.5\n",
                encoding="gb18030")
    spending = load_spending(path, sample_forms)
    assert sorted(spending.amounts.values()) == [D("10000000.5")]


def test_header_in_wan_is_converted_to_yuan(tmp_path, sample_forms):
    path = _csv(tmp_path, f"项目名称,实际支出（万元）\n{PARK},1000.0001\n")
    assert list(load_spending(path, sample_forms).amounts.values()) == [D("10000001.0000")]


def test_summary_sheet_with_title_total_row_and_more_tables_below(tmp_path, sample_forms):
    rows = [
        ["2023年度项目汇总"],
        [],
        ["序号", "项目名称", "实施单位", "年度资金申请总额", "实际支出"],
        [1, "科创中心建设工作经费", UNIT, 27315700, None],  # not filled in yet: passed over
        [2, PARK, UNIT, 11219208, 10000000],
        [3, SERVICE, UNIT, 2231300, 2231300.0],
        [None, "合计", None, "=SUM(D4:D6)", "=SUM(E4:E6)"],
        [],
        ["项目类别", "项目数", "年度资金申请总额", "实际支出"],
        ["特定目标类", 7, 48341783, 12231300],
    ]
    path = _sheet(tmp_path, rows, title="汇总")
    table = read_spending(path)
    assert (table.sheet, [r.line for r in table.rows]) == ("汇总", [5, 6])
    spending = load_spending(path, sample_forms)
    assert sorted(spending.amounts.values()) == [D("2231300"), D("10000000")]


def test_the_spending_sheet_is_preferred_over_other_sheets(tmp_path, sample_forms):
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["项目名称", "实际支出"])
    book.active.append(["示例项目", 1])
    sheet = book.create_sheet("实际支出")
    sheet.append(["项目名称", "实际支出"])
    sheet.append([PARK, 1])
    path = tmp_path / "book.xlsx"
    book.save(path)
    assert read_spending(path).sheet == "实际支出"
    assert read_spending(path, sheet="说明").rows[0].name == "示例项目"


def _error(path, forms):
    with pytest.raises(SpendingError) as caught:
        load_spending(path, forms)
    return caught.value


def test_unknown_project_names_file_and_row(tmp_path, sample_forms):
    path = _csv(tmp_path, f"项目名称,实际支出\n{PARK},1\n未来公园展厅,2\n")
    error = _error(path, sample_forms)
    assert error.rows == [3]
    assert error.file == str(path) and error.cell == "R3C2"
    assert "第 3 行" in error.zh and "未来公园展厅" in error.zh and "不对应任何" in error.zh
    assert "row 3" in error.en and "matches no project" in error.en


def test_negative_text_and_sub_fen_amounts_all_reported(tmp_path, sample_forms):
    path = _sheet(tmp_path, [["项目名称", "实际支出"], [PARK, -1], [SERVICE, "约两百万"],
                             ["信息化建设项目", "1.001"]])
    error = _error(path, sample_forms)
    assert error.rows == [2, 3, 4]
    assert (error.sheet, error.cell) == ("实际支出", "B2")
    assert "为负数" in error.zh and "“约两百万”不是金额" in error.zh and "两位小数" in error.zh
    assert "实际支出!B3" in error.zh
    assert "negative" in error.en and "not an amount" in error.en


def test_name_matching_two_projects_needs_the_unit(tmp_path, sample_forms):
    twin = replace(sample_forms[1], project=replace(sample_forms[1].project, unit="张江科学城建设管理办公室"))
    forms = [*sample_forms, twin]
    error = _error(_csv(tmp_path, f"项目名称,实际支出\n{PARK},1\n"), forms)
    assert "对应多个项目" in error.zh and "张江科学城建设管理办公室" in error.zh
    assert "add the 实施单位" in error.en
    spending = load_spending(_csv(tmp_path, f"项目名称,实施单位,实际支出\n{PARK},{UNIT},1\n",
                                  name="b.csv"), forms)
    assert spending.of(twin) is None and spending.of(sample_forms[1]) == D(1)


def test_two_rows_for_one_project(tmp_path, sample_forms):
    error = _error(_csv(tmp_path, f"项目名称,实际支出\n{PARK},1\n{PARK},2\n"), sample_forms)
    assert error.rows == [3] and "与第 2 行重复" in error.zh


def test_no_header_is_a_clear_error(tmp_path, sample_forms):
    error = _error(_csv(tmp_path, "名称,金额\nx,1\n"), sample_forms)
    assert "实际支出" in error.zh and error.file.endswith("执行数.csv")


def test_overspend_row_is_named_in_the_finding(tmp_path, sample_forms):
    path = _csv(tmp_path, f"项目名称,实际支出\n{SERVICE},0\n{PARK},\"11,219,208.01\"\n")
    _, report = rollover(sample_forms, load_spending(path, sample_forms), 2024)
    (note,) = [n for _, n in report.notes if n.kind == "overspend"]
    assert (note.ref.file, note.ref.cell) == (str(path), "R3C2")
    assert "超支 0.01" in note.message_zh and "overspent by 0.01" in note.message_en


def test_real_summary_sheet_with_its_spending_column_filled(tmp_path, sample_forms):
    """The 汇总 sheet as perfxl's consolidation writes it, once an accountant has filled its
    实际支出 column: the totals and subtotal tables below the project rows are not read."""
    from perfxl.consolidate.summary import consolidate
    from perfxl.io.summary import write_summary_workbook

    path = write_summary_workbook(tmp_path / "汇总.xlsx", consolidate(sample_forms))
    book = openpyxl.load_workbook(path)
    sheet = book["汇总"]
    (column,) = [c.column for c in sheet[1] if c.value == "实际支出"]
    assert all(sheet.cell(row, column).value is None for row in range(2, 9))  # left for input
    assert str(sheet.cell(10, column).value).startswith("=SUMIFS(")  # the totals row, live
    for row in range(2, 9):
        name = sheet.cell(row, 2).value
        if name in (PARK, SERVICE):
            sheet.cell(row, column, {PARK: 10000000, SERVICE: 2231300}[name])
    book.save(path)
    spending = load_spending(path, sample_forms)
    assert read_spending(path).sheet == "汇总"
    assert sorted(spending.amounts.values()) == [D("2231300"), D("10000000")]
