"""Macros that add sheets (new project sheet, import, rules) and the settings they read."""

from __future__ import annotations

import openpyxl
import pytest
from xl_support import SAMPLE_TEXT, sample_workbook

from perfxl.config import Config
from perfxl.errors import ConfigError, FormParseError, WorkbookError
from perfxl.io import read_forms
from perfxl.io.template_layout import draw_form_sheet
from perfxl.rules import registry
from perfxl.xl import macros
from perfxl.xl.openpyxl_book import OpenpyxlBook
from perfxl.xl.settings import RULES_SHEET, SETTINGS_SHEET, load_settings, settings_from_rows


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "template.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "说明"
    draw_form_sheet(book.create_sheet("申报表"), 2024)
    book.save(path)
    return path


def test_new_project_sheet_is_a_full_copy_of_the_blank_form(template, tmp_path):
    port = OpenpyxlBook(template)
    assert macros.new_project_sheet(port) == "新项目1"
    assert macros.new_project_sheet(port) == "新项目2"
    out = tmp_path / "out.xlsx"
    port.save(out)
    book = openpyxl.load_workbook(out)
    blank, copy = book["申报表"], book["新项目2"]
    assert book.active.title == "新项目2"
    assert [(c.coordinate, c.value) for row in copy.iter_rows() for c in row] == [
        (c.coordinate, c.value) for row in blank.iter_rows() for c in row]
    target = lambda names: {n: d.attr_text.rsplit("!", 1) for n, d in names.items()}  # noqa: E731
    assert {n: cell for n, (_, cell) in target(copy.defined_names).items()} == {
        n: cell for n, (_, cell) in target(blank.defined_names).items()}
    assert {sheet for sheet, _ in target(copy.defined_names).values()} == {"'新项目2'"}
    assert len(copy.data_validations.dataValidation) == len(blank.data_validations.dataValidation) > 0
    assert copy.print_area.split("!")[-1] == blank.print_area.split("!")[-1]
    assert sum(ws.sheet_view.tabSelected for ws in book.worksheets) == 1


def test_the_blank_form_sheet_is_not_checked(template):
    book = openpyxl.load_workbook(template)
    book.active = book.sheetnames.index("申报表")
    book.save(template)
    with pytest.raises(FormParseError) as info:
        macros.validate_active_sheet(OpenpyxlBook(template))
    assert info.value.sheet == "申报表" and "空白申报表" in info.value.zh
    with pytest.raises(FormParseError) as info:
        macros.validate_all(OpenpyxlBook(template))
    assert "没有找到绩效目标申报表" in info.value.zh


def test_new_project_sheet_without_a_template_says_so(tmp_path):
    path = sample_workbook(tmp_path / "sample.xlsx")
    with pytest.raises(WorkbookError) as info:
        macros.new_project_sheet(OpenpyxlBook(path))
    assert "找不到空白申报表" in info.value.zh


def test_import_text_writes_template_sheets_that_read_back_as_the_same_forms(template, tmp_path):
    port = OpenpyxlBook(template)
    added = macros.import_text(port, str(SAMPLE_TEXT))
    out = tmp_path / "imported.xlsx"
    port.save(out)
    assert added == [f.project.name for f in read_forms(SAMPLE_TEXT)]
    assert openpyxl.load_workbook(out)[added[0]]["B3"].value == added[0]
    assert [f for f in read_forms(out) if f.project.name] == read_forms(SAMPLE_TEXT)
    assert port.messages[0].startswith("已导入 7 张申报表")


def test_import_text_of_a_file_without_forms_is_refused(template, tmp_path):
    text = tmp_path / "note.txt"
    text.write_text("会议纪要\n无表格\n", encoding="utf-8")
    port = OpenpyxlBook(template)
    with pytest.raises(FormParseError) as info:
        macros.import_text(port, str(text))
    assert info.value.file == str(text)
    assert port.trips.sheet_ops == 0


def test_show_rules_lists_the_catalogue(template, tmp_path):
    port = OpenpyxlBook(template)
    assert macros.show_rules(port) == RULES_SHEET
    out = tmp_path / "rules.xlsx"
    port.save(out)
    rows = list(openpyxl.load_workbook(out)[RULES_SHEET].iter_rows(values_only=True))
    assert rows[0] == ("规则", "名称", "默认严重程度", "检查内容", "修改建议", "依据")
    assert [r[0] for r in rows[1:]] == list(registry())


def test_rollover_book_writes_next_years_workbook_beside_this_one(tmp_path):
    sample = sample_workbook(tmp_path / "申报表.xlsx")
    before = sample.read_bytes()
    port = OpenpyxlBook(sample)
    target = macros.rollover_book(port)
    assert target == tmp_path / "申报表-2024年度.xlsx"
    assert sample.read_bytes() == before
    book = openpyxl.load_workbook(target)
    assert "结转情况" in book.sheetnames
    assert port.messages[0].startswith(f"已生成 2024 年度工作簿：{target}。")
    assert macros.rollover_book(port) == tmp_path / "申报表-2024年度(2).xlsx"


def test_rollover_book_of_an_unsaved_workbook_says_save_first(tmp_path, monkeypatch):
    from xl_support import enable_remote_engine, remote_book

    enable_remote_engine(monkeypatch)
    book = remote_book(sample_workbook(tmp_path / "sample.xlsx"))
    assert macros.rollover_book(book) is None
    (alert,) = [a["args"][0] for a in book.json()["actions"] if a["func"] == "alert"]
    assert "请先保存工作簿" in alert


def _with_settings(path, rows, out):
    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet(SETTINGS_SHEET)
    for row in rows:
        sheet.append(row)
    book.save(out)
    return out


def test_settings_sheet_switches_rules_off_and_language_to_english(tmp_path):
    sample = sample_workbook(tmp_path / "sample.xlsx")
    path = _with_settings(sample, [("设置项", "值"), ("V02", "off"), ("I05", "info"), ("lang", "en")],
                          tmp_path / "configured.xlsx")
    port = OpenpyxlBook(path)
    report = macros.validate_all(port, config=Config())
    assert "V02" not in report.codes()
    assert {f.severity for f in report.findings if f.code == "I05"} == {"info"}
    assert port.messages[0].startswith("Check done: 7 forms")


def test_settings_rows_read_thresholds_lists_and_codes():
    data, lang = settings_from_rows([
        ["satisfaction_floor", 85], ["min_indicators", "4"], ["generic_indicators", "预算执行率；项目完成率"],
        ["v08", "Info"], ["说明", "其余行忽略"], ["lang", "中文"],
    ])
    assert data == {"thresholds": {"satisfaction_floor": 85, "min_indicators": "4"},
                    "lists": {"generic_indicators": ["预算执行率", "项目完成率"]},
                    "severity": {"V08": "info"}}
    assert lang == "zh"


def test_a_bad_threshold_names_the_settings_sheet(tmp_path):
    sample = sample_workbook(tmp_path / "sample.xlsx")
    path = _with_settings(sample, [("satisfaction_floor", "八十")], tmp_path / "bad.xlsx")
    with pytest.raises(ConfigError) as info:
        load_settings(OpenpyxlBook(path))
    assert info.value.sheet == SETTINGS_SHEET and "不是数字" in info.value.zh


def test_the_user_settings_file_is_read_then_the_sheet_wins(tmp_path, monkeypatch):
    user = tmp_path / "config.toml"
    user.write_text('[thresholds]\nmin_indicators = 5\n[severity]\nV02 = "off"\nI05 = "off"\n',
                    encoding="utf-8")
    monkeypatch.setenv("PERFXL_CONFIG", str(user))
    sample = sample_workbook(tmp_path / "sample.xlsx")
    path = _with_settings(sample, [("I05", "warning")], tmp_path / "configured.xlsx")
    settings = load_settings(OpenpyxlBook(path))
    assert settings.config.min_indicators == 5
    assert settings.config.severity == {"V02": "off", "I05": "warning"}
