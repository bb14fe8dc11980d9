"""Families F (funding) and D (dates) on real data: the sample forms and real workbooks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from perfxl.formdict import render_text
from perfxl.io import read_forms
from perfxl.money import format_yuan
from perfxl.rules import check_form, registry, validate
from perfxl.rules.examples import example_form, merge

FD_CODES = sorted(code for code in registry() if code[0] in "FD")


def test_sample_has_no_funding_or_date_error(sample_forms):
    report = validate(sample_forms, only=FD_CODES)
    assert [f for f in report.findings if f.severity == "error"] == []


def test_sample_findings_are_the_expected_notes(sample_forms):
    report = validate(sample_forms, only=FD_CODES)
    found = sorted((f.form, f.code, f.severity) for f in report.findings)
    single_year = ["科创中心建设工作经费", "科创中心展厅运营项目", "信息化运维项目",
                   "信息化建设项目", "缴纳残疾人就业保障金"]
    expected = sorted(
        [(name, "F04", "info") for name in single_year]
        + [("未来公园展厅运营项目", "F05", "info"), ("机关服务", "F05", "info"),
           ("未来公园展厅运营项目", "D04", "warning")]
    )
    assert found == expected


def test_sample_remaining_money_is_total_minus_annual(sample_forms):
    notes = {f.form: f for f in validate(sample_forms, only=["F05"]).findings}
    for form in sample_forms:
        if not form.project.is_multi_year:
            continue
        rest = form.funding.total - form.funding.annual
        note = notes[form.label]
        assert f"以后年度资金 {format_yuan(rest)}元" in note.message_zh
        assert note.cell == form.ref("funding.total").cell


@pytest.mark.parametrize(
    "year, label",
    [(2023, "以后年度资金"), (2024, "以前及以后年度资金"), (2025, "以前年度资金")],
)
def test_remaining_money_is_named_by_the_budget_year(year, label):
    form = example_form({
        "year": year,
        "project": {"end": "2025-12-31"},
        "funding": {"total": "3,600,000.03", "fiscal": "3,000,000.03", "other_total": "600,000.00"},
    })
    (note,) = check_form(form, only=["F05"])
    assert note.message_zh.endswith(f"= {label} 2,400,000.03元")


def test_wan_form_is_checked_in_yuan():
    form = example_form({
        "money_label": "项目资金 (万元)",
        "project": {"end": "2024-12-31"},
        "funding": {"total": "349.80", "fiscal": "349.80", "other_total": "0",
                    "annual": "120.0001", "appropriation": "120.0001", "carryover": "0",
                    "other_annual": "0"},
    })
    assert form.funding.total == Decimal("3498000")
    (note,) = check_form(form, only=["F05"])
    assert "项目资金总额 3,498,000.00元 − 年度资金申请总额 1,200,001.00元" in note.message_zh
    assert check_form(form, only=[c for c in FD_CODES if c not in ("F05", "D04")]) == []


def _write_workbook(path, fragment, numbers=None, dates=None):
    """The published layout of a fragment as a real sheet; amounts and dates as typed values."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "申报表"
    for line in render_text(merge(fragment)).splitlines():
        sheet.append([cell or None for cell in line.split("\t")])
    for address, value in {**(numbers or {}), **(dates or {})}.items():
        sheet[address] = value
    book.save(path)
    return path


BASELINE_NUMBERS = {"C6": 1200000, "E6": 1200000, "C7": 1000000, "E7": 1000000, "E8": 0,
                    "C9": 200000, "E9": 200000}
WHOLE_YEAR = {"B5": dt.datetime(2023, 1, 1), "D5": dt.datetime(2023, 12, 31)}


def test_workbook_numbers_are_not_format_findings(tmp_path):
    path = _write_workbook(tmp_path / "form.xlsx", {}, BASELINE_NUMBERS, WHOLE_YEAR)
    (form,) = read_forms(path)
    assert form.ref("funding.annual").cell == "E6"
    assert [f.code for f in check_form(form, only=FD_CODES)] == []


def test_workbook_number_below_the_fen(tmp_path):
    numbers = {**BASELINE_NUMBERS, "E8": 0.005}
    path = _write_workbook(tmp_path / "form.xlsx", {}, numbers, WHOLE_YEAR)
    (form,) = read_forms(path)
    findings = check_form(form, only=["F08"])
    assert [(f.code, f.severity, f.cell) for f in findings] == [("F08", "error", "E8")]


def test_workbook_serial_number_in_a_date_cell(tmp_path):
    dates = {"B5": 44927, "D5": dt.datetime(2023, 12, 31)}
    path = _write_workbook(tmp_path / "form.xlsx", {}, BASELINE_NUMBERS, dates)
    (form,) = read_forms(path)
    findings = check_form(form, only=FD_CODES)
    assert [(f.code, f.cell) for f in findings] == [("D08", "B5")]
    assert "2023-01-01" in findings[0].message_zh
