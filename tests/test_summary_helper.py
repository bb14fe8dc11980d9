"""指标明细 shared with a forked process: the same workbook whether it helps, fails or is absent."""

from __future__ import annotations

import os
import signal
import threading
import zipfile

import openpyxl
import pytest

import perfxl.io.forked as forked
import perfxl.io.summary as summary_writer
from lo_client import recalculate, require_libreoffice
from perfxl.config import Config
from perfxl.consolidate.rows import form_rows
from perfxl.consolidate.summary import SummaryBuilder
from perfxl.io.summary import write_summary_workbook
from perfxl.rules import check_form

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="the helper is forked (Linux only)")


@pytest.fixture(scope="module")
def summary(sample_forms):
    """The seven forms in parts of two, as a folder run spills them (256 forms a part)."""
    builder = SummaryBuilder(Config(), batch=2)
    for form in sample_forms * 3:  # 21 forms, 11 parts, 189 indicator rows
        builder.add(form_rows(form, check_form(form, Config())))
    return builder.build()


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        return {name: package.read(name) for name in package.namelist()
                if name != "docProps/core.xml"}  # which holds the time of writing


@pytest.fixture(scope="module")
def unhelped(summary, tmp_path_factory):
    return _parts(write_summary_workbook(tmp_path_factory.mktemp("one") / "汇总.xlsx", summary,
                                         helped=False))


def _pieces_taken(monkeypatch) -> list:
    taken = []
    result = forked.Forked.result

    def spy(self):
        taken.append(result(self))
        return taken[-1]
    monkeypatch.setattr(forked.Forked, "result", spy)
    return taken


def test_a_helped_workbook_is_the_same_as_one_written_alone(summary, unhelped, tmp_path,
                                                           monkeypatch):
    assert len(summary.indicators_per_part) == 11 and sum(summary.indicators_per_part) == 189
    taken = _pieces_taken(monkeypatch)
    path = write_summary_workbook(tmp_path / "汇总.xlsx", summary)
    assert len(taken) == 1 and taken[0] is not None and taken[0].size > 0  # the child's rows
    assert _parts(path) == unhelped
    ws = openpyxl.load_workbook(path)["指标明细"]
    rows = [[cell.value for cell in row] for row in ws.iter_rows(min_row=2)]
    table = summary.indicator_columns
    assert len(rows) == 189 and rows[-1][0] == 21  # 序号 of the last form
    assert [row[0] for row in rows] == table["row"] and [row[8] for row in rows] == table["indicator"]


def test_libreoffice_reads_a_helped_workbook(summary, tmp_path):
    require_libreoffice()
    path = write_summary_workbook(tmp_path / "汇总.xlsx", summary)
    again = openpyxl.load_workbook(recalculate(path, tmp_path / "lo"))["指标明细"]
    values = [[cell.value for cell in row] for row in again.iter_rows(min_row=2, max_col=9)]
    assert len(values) == 189
    assert [row[8] for row in values] == summary.indicator_columns["indicator"]


def test_a_child_that_fails_leaves_its_rows_to_the_parent(summary, unhelped, tmp_path,
                                                         monkeypatch):
    def broken(file, chunks):  # runs in the child only: the parent renders through splice_rows
        raise OSError("disk full")
    monkeypatch.setattr(forked, "deflate_into", broken)
    taken = _pieces_taken(monkeypatch)
    assert _parts(write_summary_workbook(tmp_path / "汇总.xlsx", summary)) == unhelped
    assert taken == [None]


def test_a_child_killed_leaves_its_rows_to_the_parent(summary, unhelped, tmp_path, monkeypatch):
    def killed(file, chunks):
        os.kill(os.getpid(), signal.SIGKILL)
    monkeypatch.setattr(forked, "deflate_into", killed)
    taken = _pieces_taken(monkeypatch)
    assert _parts(write_summary_workbook(tmp_path / "汇总.xlsx", summary)) == unhelped
    assert taken == [None]


def test_no_fork_while_another_thread_runs(summary, unhelped, tmp_path, monkeypatch):
    taken = _pieces_taken(monkeypatch)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.can_fork()
        assert _parts(write_summary_workbook(tmp_path / "汇总.xlsx", summary)) == unhelped
    finally:
        stop.set()
        thread.join()
    assert taken == []


def test_an_error_in_the_parent_stops_the_child_and_leaves_no_file(summary, tmp_path,
                                                                 monkeypatch):
    children = []
    start = forked.Forked.__init__

    def noted(self, work):
        start(self, work)
        children.append(self._pid)
    monkeypatch.setattr(forked.Forked, "__init__", noted)

    def failing(*args, **kwargs):
        raise OSError("the output disk is full")
    monkeypatch.setattr(summary_writer, "splice_rows", failing)
    with pytest.raises(OSError, match="output disk"):
        write_summary_workbook(tmp_path / "汇总.xlsx", summary)
    assert len(children) == 1
    with pytest.raises(ChildProcessError):  # already waited for: no process left behind
        os.waitpid(children[0], os.WNOHANG)
    assert list(tmp_path.iterdir()) == []
