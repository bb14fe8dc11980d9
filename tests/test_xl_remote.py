"""The macros against real xlwings objects: xlwings' remote engine with a payload built from a
real workbook file; the recorded actions are played back onto an openpyxl copy and the
result is read like any workbook."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from xl_support import SAMPLE_TEXT, Applier, enable_remote_engine, fills_and_notes, remote_book, sample_workbook

from perfxl.io import read_forms
from perfxl.io.template_layout import draw_form_sheet
from perfxl.rules import validate
from perfxl.xl import macros
from perfxl.xl.openpyxl_book import OpenpyxlBook
from perfxl.xl.settings import FINDINGS_SHEET, MARKS_SHEET

PARK = "未来公园展厅运营项目"


@pytest.fixture(autouse=True)
def remote(monkeypatch):
    enable_remote_engine(monkeypatch)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return sample_workbook(tmp_path_factory.mktemp("remote") / "sample.xlsx")


def run_remote(path, out, action, *args, **kwargs):
    """Run a macro on xw.Book(json=payload of path); apply its actions onto a copy at out."""
    book = remote_book(path)
    result = action(book, *args, **kwargs)
    applier = Applier(path, out).apply(book.json()["actions"])
    applier.save()
    return result, applier


def _notes(path):
    return {key: note[0] for key, (_, note) in fills_and_notes(path).items() if note}


def _fills(path):
    return {key: fill for key, (fill, _) in fills_and_notes(path).items() if "solid" in fill}


def test_remote_marks_equal_the_file_adapters_marks(sample, tmp_path):
    remote_out, file_out = tmp_path / "remote.xlsx", tmp_path / "file.xlsx"
    report, applier = run_remote(sample, remote_out, macros.validate_all)
    port = OpenpyxlBook(sample)
    keys = ["code", "sheet", "cell", "message_zh", "fix_zh"]
    assert macros.validate_all(port).flatten(keys) == report.flatten(keys)
    port.save(file_out)
    assert _fills(remote_out) == _fills(file_out)
    assert _notes(remote_out) == _notes(file_out)
    rows = lambda p: list(openpyxl.load_workbook(p)[FINDINGS_SHEET].iter_rows(values_only=True))  # noqa: E731
    assert rows(remote_out) == rows(file_out)
    book = openpyxl.load_workbook(remote_out)
    assert book[MARKS_SHEET].sheet_state == "hidden"
    assert applier.alerts == port.messages


def test_remote_fills_go_out_in_one_call_per_sheet(sample, tmp_path):
    report, applier = run_remote(sample, tmp_path / "out.xlsx", macros.validate_all)
    filled_sheets = {f.sheet for f in report.findings if f.severity in ("error", "warning")}
    assert applier.funcs.count("setRangeColors") == len(filled_sheets)
    assert "setRangeColor" not in applier.funcs
    noted = {(f.sheet, f.cell) for f in report.findings}
    assert applier.funcs.count("addNote") == len(noted)
    assert applier.funcs.count("setValues") == 2  # the marks table and the findings table


def test_the_park_level1_cell_is_red_through_the_remote_engine(sample, tmp_path):
    out = tmp_path / "out.xlsx"
    report, _ = run_remote(sample, out, macros.validate_all)
    (e04,) = [f for f in report.findings if f.code == "E04"]
    cell = openpyxl.load_workbook(out)[PARK][e04.cell]
    assert cell.value == "社会效益指标" and cell.fill.fgColor.rgb == "FFFF9999"
    assert "E04（错误）" in cell.comment.text


def test_remote_clear_marks_gives_the_file_back(sample, tmp_path):
    marked, cleared = tmp_path / "marked.xlsx", tmp_path / "cleared.xlsx"
    run_remote(sample, marked, macros.validate_all)
    count, applier = run_remote(marked, cleared, macros.clear_marks)
    assert fills_and_notes(cleared) == fills_and_notes(sample)
    assert MARKS_SHEET not in openpyxl.load_workbook(cleared).sheetnames
    assert applier.alerts == [f"已清除 {count.restored} 个单元格的标记。"]


def test_remote_engine_limits_user_notes_kept_user_fills_not_readable(sample, tmp_path):
    """Office.js sends neither fills nor note texts: a user's note is never overwritten,
    but a user's fill under a mark comes back as no fill (documented in docs/excel.md)."""
    findings = validate(read_forms(sample)).findings
    e04 = next(f for f in findings if f.code == "E04")
    v02 = next(f for f in findings if f.code == "V02")
    book = openpyxl.load_workbook(sample)
    book[e04.sheet][e04.cell].fill = PatternFill("solid", fgColor="FFFFFF00")
    book[v02.sheet][v02.cell].comment = Comment("已与处室确认", "李四")
    decorated = tmp_path / "decorated.xlsx"
    book.save(decorated)
    marked, cleared = tmp_path / "marked.xlsx", tmp_path / "cleared.xlsx"
    run_remote(decorated, marked, macros.validate_all)
    assert openpyxl.load_workbook(marked)[v02.sheet][v02.cell].comment.text == "已与处室确认"
    run_remote(marked, cleared, macros.clear_marks)
    before, after = fills_and_notes(decorated), fills_and_notes(cleared)
    assert {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)} == {
        (e04.sheet, e04.cell)}
    assert (e04.sheet, e04.cell) not in after  # the yellow fill: unreadable, so not restored


def test_remote_not_a_form_gives_a_message_box_and_changes_nothing(sample, tmp_path):
    result, applier = run_remote(sample, tmp_path / "out.xlsx", macros.validate_active_sheet)
    assert result is None
    assert applier.funcs == ["alert"]
    assert "工作表「说明」: 当前工作表不是绩效目标申报表" in applier.alerts[0]


def test_remote_import_text_adds_one_sheet_per_form(tmp_path):
    start = tmp_path / "start.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.save(start)
    out = tmp_path / "imported.xlsx"
    added, applier = run_remote(start, out, macros.import_text, str(SAMPLE_TEXT))
    assert openpyxl.load_workbook(out).sheetnames == ["说明", *added]
    assert read_forms(out) == read_forms(SAMPLE_TEXT)
    assert applier.alerts[0].startswith("已导入 7 张申报表：科创中心建设工作经费、未来公园展厅运营项目")


@pytest.fixture
def template(tmp_path):
    """A workbook with the template's blank form sheet (drawn by the template code)."""
    path = tmp_path / "template.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "说明"
    draw_form_sheet(book.create_sheet("申报表"), 2023)
    book.save(path)
    return path


def test_remote_import_text_into_copies_of_the_blank_form_sheet(template, tmp_path):
    out = tmp_path / "imported.xlsx"
    added, applier = run_remote(template, out, macros.import_text, str(SAMPLE_TEXT))
    assert applier.funcs.count("copySheet") == 7
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["说明", "申报表", "_lists", *added]
    assert book[added[1]]["B3"].value == PARK  # the template's px_name cell
    assert [f for f in read_forms(out) if f.project.name] == read_forms(SAMPLE_TEXT)


def test_remote_new_project_sheet_copies_the_blank_form(template, tmp_path):
    out = tmp_path / "new.xlsx"
    name, applier = run_remote(template, out, macros.new_project_sheet)
    assert name == "新项目1"
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[-1] == "新项目1" and book.active.title == "新项目1"
    assert book["新项目1"]["A3"].value == book["申报表"]["A3"].value == "项目名称"


def test_remote_not_a_perfxl_workbook_gives_a_message_box_and_changes_nothing(tmp_path):
    path = tmp_path / "budget.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["科目", "金额"])
    book.active.append(["办公费", 1200])
    book.save(path)
    result, applier = run_remote(path, tmp_path / "out.xlsx", macros.validate_all)
    assert result is None and applier.funcs == ["alert"]
    assert applier.alerts == ["budget.xlsx: 这不是 perfxl 工作簿：没有找到绩效目标申报表"]
