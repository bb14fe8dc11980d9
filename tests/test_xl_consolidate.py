"""汇总本簿 and 汇总文件夹 through the port (openpyxl adapter and xlwings' remote engine); the
live totals are checked by LibreOffice as the reference client."""

from __future__ import annotations

import shutil
from decimal import Decimal

import openpyxl
import pytest
from lo_client import recalculate
from xl_support import SAMPLE_TEXT, Applier, enable_remote_engine, remote_book, sample_workbook

from perfxl.consolidate import consolidate
from perfxl.io import read_forms
from perfxl.xl import macros
from perfxl.xl.openpyxl_book import OpenpyxlBook


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return sample_workbook(tmp_path_factory.mktemp("consolidate") / "sample.xlsx")


def _total_row(ws):
    return next(row for row in ws.iter_rows(values_only=True) if row[1] == "合计")


def _annual_column(ws) -> int:
    return next(c.column - 1 for c in ws[1] if c.value == "年度资金申请总额")


def test_consolidate_book_writes_live_totals_that_libreoffice_agrees_with(sample, tmp_path):
    port = OpenpyxlBook(sample)
    summary = macros.consolidate_book(port)
    out = tmp_path / "book.xlsx"
    port.save(out)
    assert summary.total["annual"] == sum(f.funding.annual for f in read_forms(SAMPLE_TEXT))
    book = openpyxl.load_workbook(out)
    assert book.active.title == "汇总" and "指标明细" in book.sheetnames
    ws = book["汇总"]
    assert [r[1] for r in ws.iter_rows(min_row=2, max_row=8, values_only=True)] == [
        f.project.name for f in read_forms(SAMPLE_TEXT)]
    assert str(_total_row(ws)[_annual_column(ws)]).startswith("=SUMIFS(")
    computed = openpyxl.load_workbook(recalculate(out, tmp_path / "lo"), data_only=True)["汇总"]
    assert Decimal(str(_total_row(computed)[_annual_column(computed)])) == Decimal("48341783")
    assert port.messages == ["汇总完成：7 张申报表（计入合计 7 张），年度资金申请总额合计 "
                             "48,341,783.00 元，已写入「汇总」。"]


def test_consolidate_book_through_the_remote_engine(sample, tmp_path, monkeypatch):
    enable_remote_engine(monkeypatch)
    book = remote_book(sample)
    summary = macros.consolidate_book(book)
    out = tmp_path / "remote.xlsx"
    applier = Applier(sample, out).apply(book.json()["actions"])
    applier.save()
    ws = openpyxl.load_workbook(out)["汇总"]
    assert summary.total["annual"] == consolidate(read_forms(sample)).total["annual"]
    assert str(_total_row(ws)[_annual_column(ws)]).startswith("=SUMIFS(")
    assert applier.funcs.count("setValues") == 2  # 汇总 and 指标明细, one table each


def test_consolidate_folder_writes_a_new_workbook_and_only_reads_the_sources(sample, tmp_path):
    folder = tmp_path / "units"
    folder.mkdir()
    shutil.copy(sample, folder / "单位甲.xlsx")
    shutil.copy(SAMPLE_TEXT, folder / "单位乙.txt")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    port = OpenpyxlBook(sample)
    first = macros.consolidate_folder(port, str(folder))
    second = macros.consolidate_folder(port, str(folder))
    assert (first.name, second.name) == ("汇总.xlsx", "汇总(2).xlsx")
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name in before} == before
    ws = openpyxl.load_workbook(first)["汇总"]
    assert sum(1 for r in ws.iter_rows(min_row=2, values_only=True) if isinstance(r[0], int)) == 14
    assert "汇总完成：14 张申报表（计入合计 7 张）" in port.messages[0]
    assert port.trips.value_writes == port.trips.fill_writes == 0  # the workbook in hand is untouched


def test_consolidate_folder_cancelled_does_nothing(sample):
    port = OpenpyxlBook(sample)  # headless: no folder dialog, so it is a cancel
    assert macros.consolidate_folder(port) is None
    assert port.messages == []
