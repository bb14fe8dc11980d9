"""Round trips, counted (not timed): validating 50 form sheets reads each sheet once, and the
number of fill calls does not grow with the number of faulty cells per colour."""

from __future__ import annotations

import pytest
from xl_support import enable_remote_engine, forms_workbook, remote_book

from perfxl.xl import macros
from perfxl.xl.openpyxl_book import OpenpyxlBook
from perfxl.xl.xlwings_book import XlwingsBook, union_addresses

SHEETS = 50


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trips")
    return {faults: forms_workbook(folder / f"faults{faults}.xlsx", SHEETS, faults) for faults in (1, 12)}


@pytest.mark.parametrize("faults", [1, 12])
def test_openpyxl_adapter_reads_each_sheet_once_and_fills_once_per_colour(books, faults):
    port = OpenpyxlBook(books[faults])
    report = macros.validate_all(port)
    assert report.count("error") == report.count("warning") == SHEETS * faults
    trips = port.trips
    assert len(trips.sheet_reads) == SHEETS and set(trips.sheet_reads.values()) == {1}
    assert trips.fill_writes == SHEETS * 2  # red and amber, per sheet, whatever the cell count
    assert trips.value_writes == 2  # the marks table and the findings table


@pytest.mark.parametrize("faults", [1, 12])
def test_remote_engine_sends_one_fill_action_per_sheet(books, faults, monkeypatch):
    enable_remote_engine(monkeypatch)
    book = remote_book(books[faults])
    port = XlwingsBook(book)
    macros.validate_all(port)
    funcs = [action["func"] for action in book.json()["actions"]]
    assert funcs.count("setRangeColors") == SHEETS
    assert funcs.count("setValues") == 2
    assert len(port.trips.sheet_reads) == SHEETS and set(port.trips.sheet_reads.values()) == {1}


def test_live_excel_unions_stay_one_call_until_the_address_limit():
    column = [f"B{row}" for row in range(16, 46)]  # 30 cells in a run: one area
    assert union_addresses(column) == ["B16:B45"]
    few = [f"{col}{row}" for row in range(16, 76, 2) for col in "BF"]  # 60 separate cells
    assert len(union_addresses(few)) == 1
    many = [f"{col}{row}" for row in range(16, 416, 2) for col in "BF"]  # 400 separate cells
    unions = union_addresses(many)
    assert all(len(u) <= 255 for u in unions)
    assert sorted(a for u in unions for a in u.split(",")) == sorted(many)
    # each union is full: the next address would not have fitted
    assert all(len(u) + 1 + len(n.split(",")[0]) > 255 for u, n in zip(unions, unions[1:]))
