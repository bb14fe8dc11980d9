"""LibreOffice as the reference client: the template filled with the seven sample forms.

LibreOffice opens the filled workbook, recalculates every formula, and the totals must be
the Python totals (Decimal, exact to the fen); it renders a form sheet to PDF and PNG and
the Chinese text comes back out of the PDF. It also parses the VBA project on its own.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from lo_client import convert, pdf_text, pdf_to_png, recalculate, require_libreoffice, to_pdf

from perfxl.io.formsheet import default_template, write_forms_workbook
from perfxl.io.template_layout import CALC_CELLS, FIELD_CELLS, FIRST_INDICATOR_ROW
from perfxl.money import fen

pytestmark = pytest.mark.libreoffice


def _sum(*parts: Decimal | None) -> Decimal | None:
    present = [p for p in parts if p is not None]
    return sum(present, Decimal(0)) if present else None


def _fen(value) -> Decimal | None:
    """A number LibreOffice computed, to the fen; blank ("" or None) stays None."""
    if value in (None, ""):
        return None
    return fen(Decimal(repr(value)))


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, sample_forms):
    require_libreoffice()
    folder = tmp_path_factory.mktemp("lo")
    off_by_a_fen = replace(sample_forms[1], funding=replace(
        sample_forms[1].funding, annual=sample_forms[1].funding.annual + Decimal("0.01")))
    filled = folder / "filled.xlsm"
    titles = write_forms_workbook([*sample_forms, off_by_a_fen], filled,
                                  template=default_template())
    result = recalculate(filled, folder / "out")
    return openpyxl.load_workbook(result, data_only=True), titles


def test_formula_totals_equal_the_python_totals(recalculated, sample_forms):
    book, titles = recalculated
    checked = 0
    for form, title in zip(sample_forms, titles):
        sheet, funding = book[title], form.funding
        annual = _sum(funding.appropriation, funding.carryover, funding.other_annual)
        total = _sum(funding.fiscal, funding.other_total)
        assert _fen(sheet[CALC_CELLS["px_annual_calc"]].value) == annual, title
        assert _fen(sheet[CALC_CELLS["px_total_calc"]].value) == total, title
        assert _fen(sheet[FIELD_CELLS["funding.annual"]].value) == funding.annual, title
        assert sheet[CALC_CELLS["px_annual_check"]].value == "一致", title
        expected_total_check = "" if funding.total is None and total is None else "一致"
        assert (sheet[CALC_CELLS["px_total_check"]].value or "") == expected_total_check, title
        checked += 1
    assert checked == 7
    grand = sum(_fen(book[t][CALC_CELLS["px_annual_calc"]].value) for t in titles[:7])
    assert grand == Decimal("48341783.00")


def test_check_cell_shows_a_difference_of_one_fen(recalculated):
    book, titles = recalculated
    sheet = book[titles[-1]]
    assert sheet[CALC_CELLS["px_annual_check"]].value == "不一致：填报数与分项合计相差 0.01"
    assert sheet[CALC_CELLS["px_total_check"]].value == "一致"


def test_display_column_shows_each_value_as_published(recalculated, sample_forms):
    book, titles = recalculated
    count = 0
    for form, title in zip(sample_forms, titles):
        sheet = book[title]
        for offset, indicator in enumerate(form.indicators):
            assert sheet[f"H{FIRST_INDICATOR_ROW + offset}"].value == indicator.raw
            count += 1
        assert sheet[f"H{FIRST_INDICATOR_ROW + len(form.indicators)}"].value in (None, "")
    assert count == 63


def test_libreoffice_parses_the_vba_project(tmp_path):
    ods = convert(default_template(), "ods", tmp_path)
    with zipfile.ZipFile(ods) as archive:
        modules = {Path(name).stem for name in archive.namelist()
                   if name.startswith("Basic/VBAProject/") and name.endswith(".xml")}
        shim = archive.read("Basic/VBAProject/PerfXL.xml").decode()
    assert {"PerfXL", "xlwings", "Dictionary", "xlwings_udfs", "PerfXL_Help",
            "ThisWorkbook"} <= modules
    assert "m.validate_active_sheet()" in shim


def test_form_sheet_renders_to_pdf_and_png_with_chinese_text(tmp_path, sample_forms):
    require_libreoffice()
    park = sample_forms[1]
    book = tmp_path / "form.xlsx"
    write_forms_workbook([park], book)
    pdf = to_pdf(book, tmp_path / "pdf")
    text = pdf_text(pdf)
    for expected in ("财政项目支出绩效目标申报表", "（2023年度）", park.project.name,
                     "年度资金申请总额", "11,219,208.00", "项目总目标 (2023年-2024年)",
                     "服务对象满意度指标", "≥3000(人)", "全年正常运营"):
        assert expected in text, expected
    (tmp_path / "png").mkdir()
    pages = pdf_to_png(pdf, tmp_path / "png" / "page", dpi=60)
    assert len(pages) == 1  # one A4 page: fit to width, 30 indicator rows
    assert pages[0].stat().st_size > 20_000
