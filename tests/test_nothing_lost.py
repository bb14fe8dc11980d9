"""Nothing lost: a user's .xlsm, marked and then cleared, compared part by part.

The user's workbook is the committed template filled with the sample forms, plus what a
user adds by hand: a note, a fill and a number format on cells perfxl will mark, a
workbook-level name, their own data validation, a column width. After 校验 (mark) and
清除标记 (clear) every part of the package must be as it was, except the bookkeeping
perfxl adds (its findings sheet, and the hidden sheet that remembers what it replaced).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from perfxl.io import read_forms
from perfxl.io.formsheet import write_forms_workbook
from perfxl.io.package import package_problems
from perfxl.xl import macros
from perfxl.xl.build import committed_template
from perfxl.xl.headless import mark_file
from perfxl.xl.openpyxl_book import OpenpyxlBook

PARK = "未来公园展厅运营项目"


@pytest.fixture()
def users_book(tmp_path, sample_forms) -> Path:
    path = tmp_path / "单位申报表.xlsm"
    write_forms_workbook(sample_forms, path, template=committed_template())
    book = openpyxl.load_workbook(path, keep_vba=True)
    sheet = book[PARK]
    faulty = next(c for row in sheet.iter_rows() for c in row if c.value == "社会效益指标")
    faulty.comment = Comment("单位自己的批注：请核对", "财务科")
    faulty.fill = PatternFill("solid", fgColor="FFCCE5FF")
    sheet.column_dimensions["J"].width = 31.5
    sheet["J3"] = "备注"
    own = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    own.add("J4")
    sheet.add_data_validation(own)
    book.defined_names["单位编码"] = DefinedName("单位编码", attr_text="'说明'!$A$1")
    book.save(path)
    return path


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sheet_state(path: Path) -> dict:
    """Everything a user sees on each sheet besides values: fills, notes, formats, rules."""
    book = openpyxl.load_workbook(path, keep_vba=True)
    state = {}
    for sheet in book.worksheets:
        cells = {c.coordinate: (c.fill.fgColor.rgb if c.fill.fill_type else None,
                                c.comment.text if c.comment else None, c.number_format,
                                c.font.b, c.alignment.wrap_text)
                 for row in sheet.iter_rows() for c in row}
        state[sheet.title] = {
            "cells": cells,
            "validations": sorted((dv.type, dv.formula1, str(dv.sqref))
                                  for dv in sheet.data_validations.dataValidation),
            "conditional": sorted(str(rng.sqref) for rng in sheet.conditional_formatting),
            "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
            "widths": {k: d.width for k, d in sheet.column_dimensions.items()},
            "names": sorted((n, d.attr_text) for n, d in sheet.defined_names.items()),
            "state": sheet.sheet_state,
        }
    state["_workbook_names"] = sorted((n, d.attr_text) for n, d in book.defined_names.items())
    return state


def mark_then_clear(users_book: Path, tmp_path: Path) -> tuple[Path, Path]:
    marked = tmp_path / "marked.xlsm"
    mark_file(users_book, marked)
    port = OpenpyxlBook(marked)
    macros.clear_marks(port)
    cleared = tmp_path / "cleared.xlsm"
    port.save(cleared)
    return marked, cleared


def test_marking_changes_only_the_faulty_cells(users_book, tmp_path):
    marked, _ = mark_then_clear(users_book, tmp_path)
    before, after = sheet_state(users_book), sheet_state(marked)
    park_before, park_after = before[PARK]["cells"], after[PARK]["cells"]
    changed = {a for a in park_before if park_before[a] != park_after.get(a)}
    assert changed and all(park_after[a][1] and "E04" in park_after[a][1] for a in changed
                           if "E04" in (park_after[a][1] or ""))
    assert read_forms(marked) == read_forms(users_book)


def test_mark_then_clear_gives_back_every_part(users_book, tmp_path):
    _, cleared = mark_then_clear(users_book, tmp_path)
    original, restored = parts(users_book), parts(cleared)
    for name in ("xl/vbaProject.bin", "customUI/customUI.xml"):
        assert restored[name] == original[name], name
    assert b"customUI/customUI.xml" in restored["_rels/.rels"]
    before, after = sheet_state(users_book), sheet_state(cleared)
    perfxl_own = {"_marks", "校验结果"}
    for title, state in before.items():
        if title in perfxl_own:
            continue
        if title == "_workbook_names":
            assert set(state) <= set(after[title])
            continue
        for key in state:
            assert after[title][key] == state[key], (title, key)
    assert set(after) - set(before) <= perfxl_own
    assert read_forms(cleared) == read_forms(users_book)


def test_marked_and_cleared_packages_are_sound(users_book, tmp_path):
    """No duplicate part, no relationship to a missing part (Excel would ask to repair)."""
    marked, cleared = mark_then_clear(users_book, tmp_path)
    assert package_problems(users_book) == []
    assert package_problems(marked) == []
    assert package_problems(cleared) == []


def test_the_input_is_never_written(users_book, tmp_path):
    before = users_book.read_bytes()
    mark_then_clear(users_book, tmp_path)
    assert users_book.read_bytes() == before
