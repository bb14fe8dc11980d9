"""The built template ``workbook/perfxl.xlsm``: reproducible, and what openpyxl keeps on re-save."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from perfxl import vocab
from perfxl.grid import parse_a1
from perfxl.io.template_layout import FIELD_CELLS, FIRST_INDICATOR_ROW, last_row
from perfxl.io.template_lists import list_columns
from perfxl.model import OPERATORS
from perfxl.parse.header import DEFINED_NAMES
from perfxl.xl.build import (
    BUILD_TIME, RIBBON_PART, RIBBON_REL, VBA_PART, build_template, committed_template,
    template_bytes,
)

ROOT = Path(__file__).resolve().parent.parent
SHEETS = ["说明", "申报表", "汇总", "校验结果", "_lists", "xlwings.conf"]


def defined_names(path: Path) -> dict[str, dict[str, tuple[int, int]]]:
    """Sheet-scoped single-cell names as zero-based (row, column), read with openpyxl."""
    book = openpyxl.load_workbook(path)
    result: dict[str, dict[str, tuple[int, int]]] = {}
    for sheet in book.worksheets:
        for name, defined in sheet.defined_names.items():
            for _, address in defined.destinations:
                if ":" not in address:
                    result.setdefault(sheet.title, {})[name] = parse_a1(address)
    return result


def committed_year() -> int:
    book = openpyxl.load_workbook(committed_template())
    return book["申报表"][FIELD_CELLS["year"]].value


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_template(tmp_path_factory.mktemp("tpl") / "perfxl.xlsm", year=2026)


def test_committed_template_equals_a_fresh_build_part_by_part():
    committed = committed_template()
    fresh = template_bytes(committed_year())
    with zipfile.ZipFile(committed) as old, zipfile.ZipFile(__import__("io").BytesIO(fresh)) as new:
        assert old.namelist() == new.namelist()
        for name in old.namelist():
            assert old.read(name) == new.read(name), f"{name} differs: rebuild with `perfxl " \
                f"template -o workbook/perfxl.xlsm --year {committed_year()} --force`"
    assert committed.read_bytes() == fresh


def test_build_is_deterministic_across_processes(built):
    code = ("import sys; from perfxl.xl.build import template_bytes; "
            "sys.stdout.buffer.write(template_bytes(2026))")
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                             env={"PYTHONHASHSEED": seed, "PATH": ""}, cwd=ROOT).stdout
        assert out == built.read_bytes()


def test_zip_entries_and_properties_have_fixed_times(built):
    with zipfile.ZipFile(built) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    stamp = BUILD_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert core.count(stamp) == 2  # created and modified


def test_sheets_states_and_code_names(built):
    book = openpyxl.load_workbook(built, keep_vba=True)
    assert book.sheetnames == SHEETS
    states = {sheet.title: sheet.sheet_state for sheet in book.worksheets}
    assert states["_lists"] == states["xlwings.conf"] == "hidden"
    assert all(states[name] == "visible" for name in SHEETS[:4])
    assert book.active.title == "申报表"
    assert book.code_name == "ThisWorkbook"
    assert [s.sheet_properties.codeName for s in book.worksheets] == [
        f"Sheet{i}" for i in range(1, 7)]
    config = book["xlwings.conf"]
    assert (config["A1"].value, config["B1"].value) == ("UDF Modules", "perfxl.xl.udfs")
    assert book["申报表"][FIELD_CELLS["year"]].value == 2026


def test_every_field_has_its_sheet_scoped_name(built):
    names = defined_names(built)["申报表"]
    for path, name in DEFINED_NAMES.items():
        row, col = names[name]
        letters = FIELD_CELLS[path].rstrip("0123456789")
        assert (row + 1, col) == (int(FIELD_CELLS[path][len(letters):]),
                                  ord(letters) - ord("A")), path


def test_lists_come_from_the_vocabulary(built):
    book = openpyxl.load_workbook(built)
    lists = book["_lists"]
    columns = {lists.cell(1, c).value: [lists.cell(r, c).value for r in range(2, lists.max_row + 1)
                                        if lists.cell(r, c).value is not None]
               for c in range(1, lists.max_column + 1)}
    assert columns["项目性质"] == list(vocab.NATURES)
    assert columns["项目类别"] == list(vocab.CATEGORIES)
    assert columns["一级指标"] == list(vocab.LEVEL1)
    assert columns["符号"] == list(OPERATORS)
    assert columns["计量单位"] == list(vocab.UNITS)
    for level1, level2s in vocab.LEVELS.items():
        assert columns[f"{level1}的二级指标"] == list(level2s)
        assert level1 in book.defined_names
    assert len(list_columns()) == len(columns)


def _validations(sheet) -> dict[str, tuple[str, str]]:
    return {str(dv.sqref): (dv.type, dv.formula1) for dv in sheet.data_validations.dataValidation}


def test_data_validation_lists(built):
    sheet = openpyxl.load_workbook(built)["申报表"]
    rules = _validations(sheet)
    bottom = last_row(30)
    first = FIRST_INDICATOR_ROW
    assert rules[FIELD_CELLS["project.nature"]] == ("list", "px_list_nature")
    assert rules[FIELD_CELLS["project.category"]] == ("list", "px_list_category")
    assert rules[f"B{first}:B{bottom}"] == ("list", "px_list_level1")
    assert rules[f"C{first}:C{bottom}"] == ("list", f"INDIRECT($B{first})")
    assert rules[f"E{first}:E{bottom}"] == ("list", "px_list_op")
    assert rules[f"G{first}:G{bottom}"] == ("list", "px_list_unit")
    assert bottom - first + 1 >= 30


def test_formulas_and_print_setup(built):
    sheet = openpyxl.load_workbook(built)["申报表"]
    assert sheet["C11"].value == '=IF(COUNT(C8,C10)=0,"",SUM(C8,C10))'
    assert sheet["E11"].value == '=IF(COUNT(E8,E9,E10)=0,"",SUM(E8,E9,E10))'
    assert sheet["C12"].value.startswith('=IF(AND(C7="",C11=""),"",')
    assert sheet[f"H{FIRST_INDICATOR_ROW}"].value == \
        '=IF(F{0}="","",E{0}&F{0}&IF(G{0}="","","("&G{0}&")"))'.format(FIRST_INDICATOR_ROW)
    assert sheet.print_area.endswith(f"$A$1:$H${last_row(30)}")
    assert sheet.print_title_rows == "$1:$2"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet["A1"].value == "财政项目支出绩效目标申报表"
    assert sheet["B3"].font.name == "宋体" and sheet["A1"].font.name == "黑体"
    assert sheet.column_dimensions["D"].width >= 28
    assert len(sheet.conditional_formatting) >= 10


def test_openpyxl_resave_keeps_vba_ribbon_names_and_validation(built, tmp_path):
    book = openpyxl.load_workbook(built, keep_vba=True)
    before = _validations(book["申报表"])
    book["申报表"][FIELD_CELLS["project.name"]] = "改过的项目"
    resaved = tmp_path / "resaved.xlsm"
    book.save(resaved)
    with zipfile.ZipFile(built) as old, zipfile.ZipFile(resaved) as new:
        assert new.read(VBA_PART) == old.read(VBA_PART)
        assert new.read(RIBBON_PART) == old.read(RIBBON_PART)
        rels = new.read("_rels/.rels").decode()
        assert RIBBON_REL in rels and RIBBON_PART in rels
        assert "macroEnabled" in new.read("[Content_Types].xml").decode()
    again = openpyxl.load_workbook(resaved, keep_vba=True)
    assert _validations(again["申报表"]) == before
    assert set(defined_names(resaved)["申报表"]) >= set(DEFINED_NAMES.values())
    assert {"px_list_nature", "px_list_level1", "产出指标"} <= set(again.defined_names)
    assert again.code_name == "ThisWorkbook"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "perfxl", "template", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_cli_builds_the_template_and_refuses_to_overwrite(tmp_path, built):
    out = tmp_path / "cli.xlsm"
    result = _cli("-o", str(out), "--year", "2026")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == built.read_bytes()
    again = _cli("-o", str(out), "--year", "2027")
    assert again.returncode == 2 and "--force" in again.stderr
    assert out.read_bytes() == built.read_bytes()
    assert _cli("-o", str(out), "--year", "2027", "--force").returncode == 0
    assert openpyxl.load_workbook(out)["申报表"]["A2"].value == 2027


def test_cli_refuses_a_non_xlsm_output(tmp_path):
    result = _cli("-o", str(tmp_path / "t.xlsx"))
    assert result.returncode == 2 and ".xlsm" in result.stderr
    assert not (tmp_path / "t.xlsx").exists()
