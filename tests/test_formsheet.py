"""Forms written into template form sheets read back as equal forms (perfxl.io.formsheet)."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest

from perfxl.errors import WorkbookError
from perfxl.io import read_forms
from perfxl.io.formsheet import (
    blank_form_sheets, default_template, sheet_title, write_form, write_forms_workbook,
)
from perfxl.io.template_layout import FIELD_CELLS, FIRST_INDICATOR_ROW, INDICATOR_COLUMNS
from perfxl.model import Goals, Target
from perfxl.parse.header import DEFINED_NAMES
from perfxl.targets import parse_target


def test_seven_sample_forms_read_back_equal(sample_forms, tmp_path):
    path = tmp_path / "forms.xlsx"
    titles = write_forms_workbook(sample_forms, path)
    back = read_forms(path)
    assert len(back) == len(sample_forms) == 7
    for original, read in zip(sample_forms, back):
        assert read == original, original.project.name
    assert titles == [form.project.name for form in sample_forms]
    assert [form.source.sheet for form in back] == titles


def test_fields_are_found_at_their_defined_names(sample_forms, tmp_path):
    path = tmp_path / "forms.xlsx"
    write_forms_workbook(sample_forms[:2], path)
    form = read_forms(path)[1]
    assert form.cells["project.name"].cell == FIELD_CELLS["project.name"]
    assert form.cells["funding.annual"].cell == FIELD_CELLS["funding.annual"]
    assert form.goals.overall_period == (2023, 2024)
    book = openpyxl.load_workbook(path)
    sheet = book[form.source.sheet]
    assert sheet["B13"].value == "项目总目标 (2023年-2024年)"
    names = {name: dn.attr_text for name, dn in sheet.defined_names.items()}
    for path_, name in DEFINED_NAMES.items():
        assert names[name].endswith("$" + FIELD_CELLS[path_][0] + "$" + FIELD_CELLS[path_][1:])
    assert sheet[FIELD_CELLS["year"]].value == 2023


def test_indicator_values_are_split_into_operator_number_unit(sample_forms, tmp_path):
    path = tmp_path / "one.xlsx"
    write_forms_workbook([sample_forms[1]], path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    col = INDICATOR_COLUMNS
    row = FIRST_INDICATOR_ROW
    assert [sheet[f"{col[p]}{row}"].value for p in ("level1", "level2", "name", "op", "number",
                                                    "unit")] == [
        "产出指标", "数量指标", "房屋租赁计划完成率", "=", "100", "%"]
    qualitative = next(i for i, ind in enumerate(sample_forms[1].indicators)
                       if ind.target.kind == "qualitative")
    r = row + qualitative
    assert sheet[f"{col['number']}{r}"].value == "全年正常运营"
    assert sheet[f"{col['op']}{r}"].value is None
    assert sheet[f"{col['value']}{row}"].value.startswith("=IF(")  # the display formula


def _with_targets(form, raws):
    indicators = tuple(replace(ind, target=parse_target(raw))
                       for ind, raw in zip(form.indicators, raws))
    return replace(form, indicators=indicators)


def test_unusual_values_round_trip_as_written(sample_forms, tmp_path):
    raws = ["≥95%", "≥**%", "", "=100.000(%)", "较好", "95(%)"]
    form = _with_targets(sample_forms[1], raws)
    assert form.indicators[1].target.kind == "malformed"
    path = tmp_path / "odd.xlsx"
    write_forms_workbook([form], path)
    (back,) = read_forms(path)
    assert back == form
    assert [i.target.raw for i in back.indicators[:6]] == raws


def test_wan_yuan_form_and_blank_fields_round_trip(sample_forms, tmp_path):
    base = sample_forms[3]
    form = replace(base, funding=replace(base.funding, unit="万元"),
                   goals=Goals(overall="", annual="1. 第一行；\n2. 第二行。", overall_period=None),
                   indicators=base.indicators[:2])
    path = tmp_path / "wan.xlsx"
    write_forms_workbook([form], path)
    (back,) = read_forms(path)
    assert back == form
    assert back.funding.total == Decimal("4462600")
    assert openpyxl.load_workbook(path).worksheets[0]["A7"].value == "项目资金\n（万元）"


def test_more_indicators_than_the_default_rows(sample_forms, tmp_path):
    base = sample_forms[1]
    many = tuple(replace(base.indicators[i % len(base.indicators)], name=f"指标{i}")
                 for i in range(45))
    form = replace(base, indicators=many)
    path = tmp_path / "many.xlsx"
    write_forms_workbook([form], path)
    (back,) = read_forms(path)
    assert back == form
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.print_area == [f"'{sheet.title}'!$A$1:$H${FIRST_INDICATOR_ROW + 44}"] or \
        sheet.print_area.endswith(f"$H${FIRST_INDICATOR_ROW + 44}")


@pytest.mark.parametrize("name, taken, expected", [
    ("科创中心建设工作经费", [], "科创中心建设工作经费"),
    ("a/b\\c[d]e:f*g?h", [], "a_b_c_d_e_f_g_h"),
    ("x" * 40, [], "x" * 31),
    ("机关服务", ["机关服务"], "机关服务(2)"),
    ("机关服务", ["机关服务", "机关服务(2)"], "机关服务(3)"),
    ("y" * 40, ["y" * 31], "y" * 28 + "(2)"),
    ("", [], "项目"),
    ("'引号'", [], "引号"),
    ("Sheet", ["sheet"], "Sheet(2)"),
])
def test_sheet_titles_follow_excel_rules(name, taken, expected):
    title = sheet_title(name, taken)
    assert title == expected
    assert len(title) <= 31


def test_duplicate_project_names_get_numbered_sheets(sample_forms, tmp_path):
    path = tmp_path / "dup.xlsx"
    titles = write_forms_workbook([sample_forms[0], sample_forms[0]], path)
    assert titles == ["科创中心建设工作经费", "科创中心建设工作经费(2)"]
    assert read_forms(path)[0] == read_forms(path)[1] == sample_forms[0]


def test_existing_output_needs_force(sample_forms, tmp_path):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"keep me")
    with pytest.raises(WorkbookError):
        write_forms_workbook(sample_forms[:1], path, force=False)
    assert path.read_bytes() == b"keep me"
    write_forms_workbook(sample_forms[:1], path, force=True)
    assert read_forms(path) == sample_forms[:1]


def test_no_forms_is_refused(tmp_path):
    with pytest.raises(WorkbookError):
        write_forms_workbook([], tmp_path / "empty.xlsx")
    assert not (tmp_path / "empty.xlsx").exists()


def test_template_blank_sheet_is_replaced_and_vba_kept(sample_forms, tmp_path):
    template = default_template()
    assert template is not None and template.name == "perfxl.xlsm"
    path = tmp_path / "filled.xlsm"
    titles = write_forms_workbook(sample_forms, path, template=template)
    assert read_forms(path) == sample_forms  # 说明, 汇总, 校验结果, _lists hold no form
    book = openpyxl.load_workbook(path, keep_vba=True)
    assert book.sheetnames[:8] == ["说明", *titles]
    assert {"汇总", "校验结果", "_lists", "xlwings.conf"} <= set(book.sheetnames)
    assert not blank_form_sheets(book)
    assert book[titles[0]].sheet_properties.codeName == "Sheet2"  # the blank sheet's module
    with zipfile.ZipFile(path) as archive:
        assert "xl/vbaProject.bin" in archive.namelist()
        rels = archive.read("_rels/.rels").decode()
        assert "customUI/customUI.xml" in rels
        assert archive.read("xl/vbaProject.bin") == zipfile.ZipFile(template).read(
            "xl/vbaProject.bin")


def test_xlsm_output_uses_the_template_by_default(sample_forms, tmp_path):
    path = tmp_path / "default.xlsm"
    write_forms_workbook(sample_forms[:2], path)
    assert read_forms(path) == sample_forms[:2]
    with zipfile.ZipFile(path) as archive:
        assert "xl/vbaProject.bin" in archive.namelist()


def test_xlsx_output_from_the_template_drops_the_macros(sample_forms, tmp_path):
    path = tmp_path / "plain.xlsx"
    write_forms_workbook(sample_forms[:1], path, template=default_template())
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert "xl/vbaProject.bin" not in names
        assert "macroEnabled" not in archive.read("[Content_Types].xml").decode()
    assert read_forms(path) == sample_forms[:1]


def test_write_form_on_a_new_sheet_of_any_workbook(sample_forms, tmp_path):
    book = openpyxl.Workbook()
    write_form(book.active, sample_forms[4])
    assert "_lists" in book.sheetnames and book["_lists"].sheet_state == "hidden"
    path = tmp_path / "any.xlsx"
    book.save(path)
    assert read_forms(path) == [sample_forms[4]]


def test_targets_are_not_turned_into_formulas(sample_forms, tmp_path):
    form = _with_targets(sample_forms[6], ["=1.00(次)", "=SUM(A1)"])
    assert form.indicators[1].target == Target(raw="=SUM(A1)", kind="malformed",
                                               problem="operator")
    path = tmp_path / "eq.xlsx"
    write_forms_workbook([form], path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    cell = sheet[f"{INDICATOR_COLUMNS['number']}{FIRST_INDICATOR_ROW + 1}"]
    assert cell.data_type == "s" and cell.value == "=SUM(A1)"
    assert read_forms(path) == [form]


def test_a_template_without_blank_sheet_gets_the_forms_after_its_visible_sheets(
        sample_forms, tmp_path):
    first = tmp_path / "first.xlsm"
    write_forms_workbook(sample_forms[:1], first)
    second = tmp_path / "second.xlsm"
    titles = write_forms_workbook(sample_forms[1:3], second, template=first)
    book = openpyxl.load_workbook(second, keep_vba=True)
    assert book.sheetnames == ["说明", sample_forms[0].project.name, "汇总", "校验结果", *titles,
                               "_lists", "xlwings.conf"]
    assert read_forms(second) == sample_forms[:3]


def test_a_project_named_like_a_perfxl_sheet_is_still_read_back(tmp_path):
    """Found by hypothesis: a project called 校验结果 got a sheet that is skipped as perfxl's own."""
    from perfxl.io import read_forms
    from perfxl.io.formsheet import write_forms_workbook
    from perfxl.rules.examples import example_form

    forms = [example_form({"project": {"name": name}}) for name in ("校验结果", "汇总", "_草稿")]
    path = tmp_path / "odd.xlsx"
    titles = write_forms_workbook(forms, path)
    assert titles == ["项目-校验结果", "项目-汇总", "项目-_草稿"]
    assert read_forms(path) == forms
