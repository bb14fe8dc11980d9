"""The macros through the openpyxl adapter, on real workbook files: marks, notes, the
findings sheet, clearing, and refusals that change nothing."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.styles.colors import Color
from xl_support import fills_and_notes, sample_workbook

from perfxl.errors import FormParseError, WorkbookError
from perfxl.io import read_forms
from perfxl.rules import validate
from perfxl.xl import macros
from perfxl.xl.marks import SEVERITY_FILL
from perfxl.xl.openpyxl_book import OpenpyxlBook
from perfxl.xl.settings import FINDINGS_SHEET, MARKS_SHEET

PARK = "未来公园展厅运营项目"
RED = "FF" + SEVERITY_FILL["error"][1:]
AMBER = "FF" + SEVERITY_FILL["warning"][1:]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return sample_workbook(tmp_path_factory.mktemp("sample") / "sample.xlsx")


@pytest.fixture(scope="module")
def expected(sample):
    """The findings the file door gives for the same workbook (the engine, not the macros)."""
    return validate(read_forms(sample), across=True)


def _run(path, out, action=macros.validate_all, **kwargs):
    port = OpenpyxlBook(path)
    result = action(port, **kwargs)
    port.save(out)
    return port, result


def _cell(path, sheet, address):
    return openpyxl.load_workbook(path)[sheet][address]


def test_every_finding_cell_is_filled_by_severity_and_noted(sample, expected, tmp_path):
    out = tmp_path / "marked.xlsx"
    port, report = _run(sample, out)
    assert report.flatten(["code", "sheet", "cell"]) == expected.flatten(["code", "sheet", "cell"])
    book = openpyxl.load_workbook(out)
    worst = {}
    for f in report.findings:
        key = (f.sheet, f.cell)
        worst[key] = min(worst.get(key, "info"), f.severity, key=["error", "warning", "info"].index)
    for (sheet, address), severity in worst.items():
        cell = book[sheet][address]
        codes = [f.code for f in report.findings if (f.sheet, f.cell) == (sheet, address)]
        assert all(code in cell.comment.text for code in codes)
        assert cell.comment.text.startswith("【perfxl 校验】")
        rgb = cell.fill.fgColor.rgb if cell.fill.patternType == "solid" else None
        assert rgb == {"error": RED, "warning": AMBER, "info": None}[severity], (sheet, address)
    assert book[MARKS_SHEET].sheet_state == "hidden"
    assert port.messages[-1].startswith("校验完成：7 张申报表")


def test_the_park_level1_cell_is_red_with_the_e04_note(sample, tmp_path):
    out = tmp_path / "marked.xlsx"
    _, report = _run(sample, out)
    (e04,) = [f for f in report.findings if f.code == "E04" and f.sheet == PARK]
    cell = _cell(out, PARK, e04.cell)
    assert cell.value == "社会效益指标" and cell.column_letter == "B"
    assert cell.fill.fgColor.rgb == RED
    assert "E04（错误）一级指标栏填写了二级指标「社会效益指标」，应为「效益指标」" in cell.comment.text
    assert "修改：" in cell.comment.text
    with zipfile.ZipFile(out) as archive:  # notes big enough to read the message
        vml = [archive.read(n) for n in archive.namelist() if n.endswith(".vml")]
    assert any(b"width:420px;height:200px" in part for part in vml)


def test_findings_sheet_has_a_count_line_a_header_and_one_linked_row_per_finding(sample, tmp_path):
    out = tmp_path / "marked.xlsx"
    _, report = _run(sample, out)
    rows = list(openpyxl.load_workbook(out)[FINDINGS_SHEET].iter_rows(values_only=True))
    counts = report.counts()
    assert rows[0][0] == (f"共 {len(report.findings)} 条：错误 {counts['error']}，警告 {counts['warning']}，"
                          f"提示 {counts['info']}（全部 7 个表，7 张申报表）")
    assert rows[1] == ("工作表", "单元格", "规则", "严重程度", "问题", "修改建议", "项目")
    assert len(rows) == 2 + len(report.findings)
    for row, f in zip(rows[2:], report.findings):
        sheet, link, code, severity, message, fix, project = row
        assert (sheet, code, message, fix, project) == (f.sheet, f.code, f.message_zh, f.fix_zh, f.form)
        assert severity == {"error": "错误", "warning": "警告", "info": "提示"}[f.severity]
        assert link == f"=HYPERLINK(\"#'{f.sheet}'!{f.cell}\",\"{f.cell}\")"


@pytest.fixture
def decorated(sample, expected, tmp_path):
    """The sample with the user's own fills and notes, some on cells perfxl will mark."""
    e04 = next(f for f in expected.findings if f.code == "E04")
    v02 = next(f for f in expected.findings if f.code == "V02")
    i05 = next(f for f in expected.findings if f.code == "I05")
    book = openpyxl.load_workbook(sample)
    book[e04.sheet][e04.cell].fill = PatternFill("solid", fgColor="FFFFFF00")
    book[e04.sheet][e04.cell].comment = Comment("请财务科复核", "张会计")
    book[v02.sheet][v02.cell].comment = Comment("已与处室确认", "李四")
    book[i05.sheet][i05.cell].fill = PatternFill("darkGrid", fgColor=Color(theme=4, tint=0.4),
                                                 bgColor=Color(indexed=64))
    book[PARK]["A1"].fill = PatternFill("solid", fgColor="FFDDEBF7")  # not a faulty cell
    path = tmp_path / "decorated.xlsx"
    book.save(path)
    return path, e04, v02, i05


def test_clear_marks_gives_back_the_users_fills_and_notes_exactly(decorated, tmp_path):
    path, e04, v02, _ = decorated
    marked, cleared = tmp_path / "marked.xlsx", tmp_path / "cleared.xlsx"
    _run(path, marked)
    note = _cell(marked, e04.sheet, e04.cell).comment.text
    assert "E04" in note and "原批注已暂存" in note
    assert "V02" in _cell(marked, v02.sheet, v02.cell).comment.text
    port, count = _run(marked, cleared, macros.clear_marks)
    assert fills_and_notes(cleared) == fills_and_notes(path)
    assert MARKS_SHEET not in openpyxl.load_workbook(cleared).sheetnames
    assert count.restored > 0 and count.kept == 0
    assert port.messages == [f"已清除 {count.restored} 个单元格的标记。"]


def test_validating_twice_does_not_stack_marks(decorated, tmp_path):
    path = decorated[0]
    once, twice, cleared = tmp_path / "once.xlsx", tmp_path / "twice.xlsx", tmp_path / "cleared.xlsx"
    _run(path, once)
    port, _ = _run(once, twice)
    assert fills_and_notes(twice) == fills_and_notes(once)
    rows = lambda p: list(openpyxl.load_workbook(p)[MARKS_SHEET].iter_rows(values_only=True))  # noqa: E731
    assert rows(twice) == rows(once)
    assert port.trips.note_writes == 0  # the same notes are already there
    _run(twice, cleared, macros.clear_marks)
    assert fills_and_notes(cleared) == fills_and_notes(path)


def test_a_fill_the_user_changed_after_validating_is_kept(decorated, tmp_path):
    path, e04, _, _ = decorated
    marked, cleared = tmp_path / "marked.xlsx", tmp_path / "cleared.xlsx"
    _run(path, marked)
    book = openpyxl.load_workbook(marked)
    book[e04.sheet][e04.cell].fill = PatternFill("solid", fgColor="FF00B050")
    book.save(marked)
    _, count = _run(marked, cleared, macros.clear_marks)
    cell = _cell(cleared, e04.sheet, e04.cell)
    assert cell.fill.fgColor.rgb == "FF00B050"  # the user's newer choice
    assert cell.comment.text == "请财务科复核"  # perfxl's note was still on: the user's comes back
    assert count.kept == 1


def test_validate_active_sheet_marks_only_that_sheet(sample, tmp_path):
    book = openpyxl.load_workbook(sample)
    book.active = book.sheetnames.index(PARK)
    path = tmp_path / "park.xlsx"
    book.save(path)
    out = tmp_path / "out.xlsx"
    _, report = _run(path, out, macros.validate_active_sheet)
    assert {f.sheet for f in report.findings} == {PARK}
    assert {sheet for sheet, _ in fills_and_notes(out)} == {PARK}
    first = next(openpyxl.load_workbook(out)[FINDINGS_SHEET].iter_rows(values_only=True))
    assert f"工作表「{PARK}」，1 张申报表" in first[0]


def _no_writes(port) -> bool:
    t = port.trips
    return (t.fill_writes, t.note_writes, t.value_writes, t.sheet_ops) == (0, 0, 0, 0)


@pytest.mark.parametrize("active", ["说明", "预算明细"])
def test_a_sheet_that_is_not_a_form_is_refused_and_nothing_changes(sample, tmp_path, active):
    book = openpyxl.load_workbook(sample)
    book.create_sheet("预算明细").append(["科目", "金额"])
    book.active = book.sheetnames.index(active)
    path = tmp_path / "other.xlsx"
    book.save(path)
    port = OpenpyxlBook(path)
    with pytest.raises(FormParseError) as info:
        macros.validate_active_sheet(port)
    assert info.value.sheet == active and "不是绩效目标申报表" in info.value.zh
    assert _no_writes(port)


def test_a_workbook_without_forms_is_not_a_perfxl_workbook(tmp_path):
    path = tmp_path / "budget.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["科目", "金额"])
    book.active.append(["办公费", 1200])
    book.save(path)
    port = OpenpyxlBook(path)
    with pytest.raises(FormParseError) as info:
        macros.validate_all(port)
    assert "这不是 perfxl 工作簿" in info.value.zh and info.value.file == "budget.xlsx"
    assert _no_writes(port)


def test_a_protected_sheet_is_refused_and_nothing_changes(sample, tmp_path):
    book = openpyxl.load_workbook(sample)
    book[PARK].protection.sheet = True
    path = tmp_path / "protected.xlsx"
    book.save(path)
    port = OpenpyxlBook(path)
    with pytest.raises(WorkbookError) as info:
        macros.validate_all(port)
    assert info.value.sheet == PARK and "受保护" in info.value.zh
    assert _no_writes(port)


def test_clear_marks_without_marks_says_so(sample):
    port = OpenpyxlBook(sample)
    macros.clear_marks(port)
    assert port.messages == ["没有需要清除的 perfxl 标记。"] and _no_writes(port)
