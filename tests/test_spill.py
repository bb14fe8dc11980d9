"""A summary keeps its per-form rows on disk: same results, memory that does not grow.

``Spill`` is checked as the list it stands for; a summary built with tiny batches (nearly
everything on disk, duplicates marked on spilled rows) must equal one built in memory, in
its rows, totals, subtotals, report and written workbook; and the memory a summary holds
per added form is measured (tracemalloc) to be next to nothing.
"""

from __future__ import annotations

import copy
import errno
import pickle
import tempfile
import tracemalloc
from dataclasses import replace

import pandas as pd
import pytest
from openpyxl import load_workbook

from perfxl.config import Config
from perfxl.consolidate.rows import HEADER_CELLS, form_rows, header_of
from perfxl.consolidate.spill import KEPT, Spill, SpillError, batches_of
from perfxl.consolidate.summary import SummaryBuilder
from perfxl.io.summary import write_summary_workbook
from perfxl.rules import check_form
from test_consolidate_support import sample_blocks, sample_workbook


def test_a_spill_reads_back_as_the_list_it_was_given():
    items = [{"n": i, "text": "项目" * i} for i in range(11)]
    spill = Spill(batch=3)
    for item in items:
        spill.append(item)
    assert spill.spilled == 9 and len(spill) == 11
    assert list(spill) == items and spill == items and items == spill
    assert spill != items[:-1] and spill != [*items[:-1], {"n": 10}] and spill != tuple(items)
    assert [spill[i] for i in range(11)] == items
    assert spill[-1] == items[-1] and spill[-11] == items[0]
    assert spill[2:8] == items[2:8] and spill[::4] == items[::4]
    assert [len(b) for b in spill.batches()] == [3, 3, 3, 2]
    with pytest.raises(IndexError):
        spill[11]
    with pytest.raises(IndexError):
        spill[-12]


def test_a_spilled_item_is_a_fresh_copy_and_a_patch_lasts():
    size = 2 * (KEPT + 1) + 1  # KEPT + 1 batches on disk, one item in memory
    spill = Spill(batch=2)
    for i in range(size):
        spill.append({"n": i})
    spill[0]["n"] = 99  # a copy read from disk, kept while its batch is among the KEPT last
    assert spill[1] == {"n": 1} and spill[0] == {"n": 99}
    for index in range(2, size, 2):  # reading KEPT other batches lets go of the first one
        assert spill[index] == {"n": index}
    assert spill[0] == {"n": 0}  # read again from disk: the change is lost
    spill[2]  # a batch still kept: the patch below reaches it at once
    spill.patch(0, lambda item: item.update(n=100))  # on disk: applied at every read
    spill.patch(-1, lambda item: item.update(n=400))  # still in memory: applied at once
    spill.patch(1, lambda item: item.update(n=item["n"] + 10))
    spill.patch(2, lambda item: item.update(n=200))
    expected = [100, 11, 200, *range(3, size - 1), 400]
    assert spill[2] == {"n": 200} and spill[0] == {"n": 100}
    assert [item["n"] for item in spill] == expected
    assert [item["n"] for item in spill] == expected  # not applied twice
    assert pickle.loads(pickle.dumps(spill)) == list(spill)
    assert copy.deepcopy(spill) == list(spill)


def test_batches_of_a_plain_list_and_of_a_spill():
    assert list(batches_of(list(range(7)), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    spill = Spill(batch=4)
    for i in range(7):
        spill.append(i)
    assert list(batches_of(spill, 3)) == [[0, 1, 2, 3], [4, 5, 6]]  # a spill's own batches


def _summary(forms, batch):
    config = Config()
    builder = SummaryBuilder(config, batch=batch)
    for form in forms:
        builder.add(form_rows(form, check_form(form, config)))
    return builder.build()


def _copies(forms):
    """The forms twice, as if a unit sent its workbook again under another name."""
    again = [replace(f, source=replace(f.source, file="again.xlsx")) for f in forms]
    return list(forms) + again


def _workbook_values(path):
    wb = load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb}


def test_a_summary_on_disk_equals_one_in_memory(sample_forms, tmp_path):
    forms = _copies(sample_forms)
    in_memory, on_disk = _summary(forms, 10_000), _summary(forms, 2)
    assert on_disk.project_rows.spilled == 14 and in_memory.project_rows.spilled == 0
    assert on_disk.project_rows == in_memory.project_rows
    assert on_disk.form_findings == in_memory.form_findings
    assert [r["counted"] for r in on_disk.project_rows] == [1] * 7 + [0] * 7
    assert [r["duplicate_of"] for r in on_disk.project_rows] == [None] * 7 + list(range(1, 8))
    assert all(r["n_warning"] >= 1 for r in on_disk.project_rows[7:])  # C03 counted on disk
    assert on_disk.total_values == in_memory.total_values
    assert on_disk.total_values["duplicates"] == 7
    assert on_disk.subtotal_rows == in_memory.subtotal_rows
    assert on_disk.report == in_memory.report
    assert on_disk.finding_counts == in_memory.report.counts() == on_disk.report.counts()
    assert on_disk.indicator_columns == in_memory.indicator_columns
    assert on_disk.indicator_count == in_memory.indicator_count == 2 * 63
    pd.testing.assert_frame_equal(on_disk.projects, in_memory.projects)
    pd.testing.assert_frame_equal(on_disk.indicators, in_memory.indicators)
    assert len(on_disk.projects) == 14
    written = []
    for name, summary in (("memory", in_memory), ("disk", on_disk)):
        write_summary_workbook(tmp_path / f"{name}.xlsx", summary)
        written.append(_workbook_values(tmp_path / f"{name}.xlsx"))
    assert written[0] == written[1]
    assert len(written[1]["指标明细"]) == 1 + 2 * 63


def test_a_summary_being_collected_holds_no_rows_in_memory(sample_forms):
    """Memory held per added form (tracemalloc), with rows, findings and indicators spilled.

    About 35 bytes here (where each batch lies in the file, a batch in the making); the
    same forms held in lists, as a summary held them before it spilled, take about 9 KB each.
    """
    config = Config()
    rows = [form_rows(f, check_form(f, config)) for f in sample_forms]
    builder = SummaryBuilder(config)
    for batch in range(3):  # warm up: first batches, caches of shared texts
        for index in range(builder.batch):
            builder.add(_renamed(rows[index % 7], batch, index))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        added = 4 * builder.batch
        for batch in range(4):
            for index in range(builder.batch):
                builder.add(_renamed(rows[index % 7], batch + 3, index))
        per_form = (tracemalloc.get_traced_memory()[0] - before) / added
    finally:
        tracemalloc.stop()
    assert len(builder.projects) == 7 * builder.batch
    assert per_form < 200, per_form


def test_building_a_summary_holds_no_header_per_form(sample_forms):
    """The peak memory of ``build()`` (tracemalloc) grows by about 210 bytes a form: what
    the cross-form rules keep (each project's identity for C03). With every header held
    until the rules are done, as they once read them, it grows by about 2.3 KB a form."""
    config = Config()
    rows = [form_rows(f, check_form(f, config)) for f in sample_forms]
    peaks = {}
    for batches in (4, 16):
        builder = SummaryBuilder(config)
        for index in range(batches * builder.batch):
            builder.add(_renamed(rows[index % 7], index // builder.batch, index))
        tracemalloc.start()
        try:
            summary = builder.build()
            peaks[len(summary.project_rows)] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert summary.total_values["forms"] == len(summary.project_rows)  # all distinct
    (small, low), (large, high) = sorted(peaks.items())
    slope = (high - low) / (large - small)
    assert slope < 500, slope


def _renamed(rows, batch, index):
    """The same form under another name and file (what makes a real folder's forms differ),
    unpickled as a worker's rows arrive: its own copy of every text, number and finding."""
    project = {**rows.project, "name": f"{rows.project['name']}{batch}-{index}",
               "file": f"单位{batch}-{index}.xlsx"}
    return pickle.loads(pickle.dumps(replace(rows, project=project)))


def test_a_header_rebuilt_from_a_row_points_at_the_forms_cells(sample_forms):
    """The cross-form rules read headers whose cells are made when asked for (HeaderCells)."""
    form = sample_forms[0]
    header = header_of(form_rows(form).project)
    wanted = {path: form.cells[path] for path in HEADER_CELLS if path in form.cells}
    assert dict(header.cells) == wanted and len(header.cells) == len(wanted) == 6
    assert header.ref("project.name") == form.cells["project.name"]
    assert header.ref("goals.overall") == header.source == form.source  # not kept: the source
    assert "goals.overall" not in header.cells
    with pytest.raises(KeyError):
        header.cells["funding.fiscal"]
    assert (header.project, header.funding, header.year) == (form.project, form.funding, form.year)


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_temporary_file_that_cannot_be_written_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(tempfile, "TemporaryFile", _no_space)
    spill = Spill(batch=2)
    spill.append(1)  # in memory yet
    with pytest.raises(SpillError) as caught:
        spill.append(2)
    assert "无法写入临时文件" in caught.value.zh and "No space left" in caught.value.zh
    assert "TMPDIR" in caught.value.en and caught.value.file == tempfile.gettempdir()


def test_the_command_line_names_the_full_temporary_folder(tmp_path, monkeypatch, capsys):
    from perfxl.cli import _run
    from perfxl.consolidate import spill

    folder = tmp_path / "in"
    sample_workbook(folder / "单位甲.xlsx", sample_blocks())
    monkeypatch.setattr(spill, "BATCH", 2)  # spill from the third form on
    monkeypatch.setattr(spill.tempfile, "TemporaryFile", _no_space)
    code = _run(["consolidate", str(folder), "-o", str(tmp_path / "汇总.xlsx"), "--jobs", "1"])
    assert code == 2
    assert "汇总时无法写入临时文件（No space left on device）" in capsys.readouterr().err
    assert not (tmp_path / "汇总.xlsx").exists()


def test_a_forms_rows_keep_its_findings_without_their_raw_values(sample_forms):
    import dataclasses

    config = Config()
    form = next(f for f in sample_forms if any(x.values for x in check_form(f, config)))
    findings = check_form(form, config)
    rows = form_rows(form, findings)
    assert rows.findings == tuple(findings)  # every field the same (values are not compared)
    for given, kept in zip(findings, rows.findings):
        assert kept.__dict__ == {**given.__dict__, "values": {}}
        assert given.values or kept is given  # one without values is kept as it is
    lean = next(k for g, k in zip(findings, rows.findings) if g.values)
    with pytest.raises(dataclasses.FrozenInstanceError):
        lean.cell = "A1"
    given = next(g for g in findings if g.values)
    assert pickle.loads(pickle.dumps(lean)) == lean and hash(lean) == hash(given)


def test_findings_read_back_from_a_pickle_are_the_same_in_every_field(sample_forms):
    config = Config()
    given = [f for form in sample_forms for f in check_form(form, config)]
    findings = given + [f.without_values() for f in given]  # with raw values and without
    assert any(f.values for f in findings) and any(not f.values for f in findings)
    again = pickle.loads(pickle.dumps(findings, pickle.HIGHEST_PROTOCOL))
    assert [f.__dict__ for f in again] == [f.__dict__ for f in findings]
    assert [f.__dict__ for f in copy.deepcopy(findings)] == [f.__dict__ for f in findings]
