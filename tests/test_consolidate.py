"""Consolidation of the sample's seven forms: totals, subtotals, remainder, indicators, C rules."""

from __future__ import annotations

import functools
import os
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from perfxl.consolidate import consolidate
from perfxl.consolidate.files import NothingToConsolidate, consolidate_files
from perfxl.formdict import remaining_of
from perfxl.money import yuan_to_wan
from perfxl.rules import validate
from perfxl.rules.consolidation import formula_audit, parse_published_line
from perfxl.rules.examples import example_forms
from test_consolidate_support import PUBLISHED, sample_blocks, sample_workbook


@pytest.fixture(scope="module")
def summary(sample_forms):
    return consolidate(sample_forms)


def _sum(values):
    return sum((v for v in values if v is not None), Decimal("0.00"))


def test_totals_equal_the_forms_and_the_published_figures(summary, sample_forms):
    total = summary.total
    for key in ("annual", "appropriation", "carryover", "other_annual"):
        from_forms = _sum(getattr(f.funding, key) for f in sample_forms)
        assert total[key] == from_forms == PUBLISHED[key], key
        assert isinstance(total[key], Decimal)
    assert total["forms"] == len(sample_forms) == PUBLISHED["forms"]
    assert total["duplicates"] == 0


def test_subtotals_by_category(summary, sample_forms):
    by_category = dict(zip(summary.by_category["category"], summary.by_category["annual"]))
    from_forms: dict[str, Decimal] = {}
    for form in sample_forms:
        category = form.project.category
        from_forms[category] = from_forms.get(category, Decimal("0.00")) + form.funding.annual
    assert by_category == from_forms == PUBLISHED["by_category"]
    assert _sum(summary.by_category["annual"]) == summary.total["annual"]
    assert list(summary.by_category["forms"]) == [5, 1, 1]


def test_subtotals_by_department_and_nature_add_up(summary):
    for by in ("department", "nature"):
        frame = summary.subtotals(by)
        assert _sum(frame["annual"]) == summary.total["annual"]
        assert frame["forms"].sum() == summary.total["forms"]
    assert list(summary.by_department["department"]) == ["上海推进科技创新中心建设办公室"]


def test_remaining_multi_year_money_and_its_label(summary, sample_forms):
    rests = [remaining_of(f) for f in sample_forms]
    expected = _sum(r.amount for r in rests if r is not None)
    assert summary.total["remaining"] == expected == PUBLISHED["remaining"]
    multi = summary.projects[summary.projects["multi_year"]]
    assert list(multi["name"]) == ["未来公园展厅运营项目", "机关服务"]
    assert list(multi["remaining_when"]) == ["later", "later"]
    assert list(multi["remaining"]) == [Decimal("11219208.00"), Decimal("2231300.00")]


def test_project_total_is_summed_in_its_own_column_only(summary, sample_forms):
    # 项目资金总额 is multi-year: its total is the sum of the forms that state it, and the
    # annual total does not contain it.
    assert summary.total["total"] == _sum(f.funding.total for f in sample_forms)
    assert summary.total["total"] == Decimal("26901016.00")
    assert summary.total["annual"] == _sum(f.funding.annual for f in sample_forms)


def test_money_is_decimal_never_float(summary):
    for frame in (summary.projects, summary.by_category, summary.by_department):
        for key in ("total", "annual", "appropriation", "carryover", "remaining"):
            assert frame[key].dtype == object
            assert all(v is None or isinstance(v, Decimal) for v in frame[key]), key


def test_wan_view(summary):
    wan = summary.in_wan(summary.total)
    assert wan["annual"] == yuan_to_wan(PUBLISHED["annual"]) == Decimal("4834.18")
    projects = summary.in_wan(summary.projects)
    assert projects["annual"].iloc[0] == Decimal("2731.57")
    assert summary.projects["annual"].iloc[0] == Decimal("27315700.00")  # the original is kept


def test_indicator_table(summary, sample_forms):
    table = summary.indicators
    assert len(table) == sum(len(f.indicators) for f in sample_forms) == PUBLISHED["indicators"]
    assert summary.total["n_indicators"] == 63
    first = table.iloc[0]
    assert (first["row"], first["name"], first["level1"], first["indicator"], first["raw"]) == (
        1, "科创中心建设工作经费", "产出指标", "项目完成率", "≥95(%)")
    assert first["number"] == Decimal("95") and first["target_unit"] == "%"
    per_project = table.groupby("row").size()
    assert list(per_project) == [len(f.indicators) for f in sample_forms]
    assert list(summary.projects["n_indicators"]) == list(per_project)


def test_finding_counts_per_project_match_validate(summary, sample_forms):
    report = validate(sample_forms)
    expected = [sum(1 for f in report.findings if f.form == form.label and f.severity == "error")
                for form in sample_forms]
    assert list(summary.projects["n_error"]) == expected
    assert summary.report.counts()["error"] == report.counts()["error"]


def test_two_copies_are_reported_and_not_double_counted(sample_forms):
    copies = [f for f in sample_forms] + list(_second_copy(sample_forms))
    summary = consolidate(copies)
    c03 = [f for f in summary.report.findings if f.code == "C03"]
    assert len(c03) == 7 and {f.severity for f in c03} == {"warning"}
    assert all(f.file == "copy.txt" for f in c03)
    assert summary.total["annual"] == PUBLISHED["annual"]  # not 2 ×
    assert summary.total["rows"] == 14 and summary.total["forms"] == 7
    assert summary.total["duplicates"] == 7
    assert summary.total["duplicates_annual"] == PUBLISHED["annual"]
    projects = summary.projects
    assert list(projects["counted"]) == [1] * 7 + [0] * 7
    assert list(projects["duplicate_of"].iloc[7:]) == list(range(1, 8))
    assert list(projects["n_warning"].iloc[7:] - projects["n_warning"].iloc[:7].values) == [1] * 7


def _second_copy(forms):
    from dataclasses import replace

    from perfxl.model import Ref

    for form in forms:
        cells = {k: Ref("copy.txt", r.sheet, r.cell) for k, r in form.cells.items()}
        yield replace(form, source=Ref("copy.txt", "", form.source.cell), cells=cells)


def test_department_totals_rule_groups_spellings():
    forms = example_forms({"forms": [
        {"project": {"department": "上海市民政局(本级)"}},
        {"project": {"name": "老年助餐点运营补贴", "department": "上海市民政局（本级）"}}]})
    report = validate(forms, only=["C01"], across=True)
    (finding,) = report.findings
    assert finding.code == "C01" and finding.severity == "info"
    assert "2400000.00" in finding.message_zh.replace(",", "")
    assert "2种写法" in finding.message_zh


def test_published_line_c02(sample_forms):
    line = "编报绩效目标的项目7个，涉及项目预算资金4834.18万元"
    assert parse_published_line(line) == (7, Decimal("4834.18"), "万元")
    assert consolidate(sample_forms, published=line).report.codes() >= {"C01"}
    assert "C02" not in consolidate(sample_forms, published=line).report.codes()
    wrong = consolidate(sample_forms, published="编报绩效目标的项目8个，涉及项目预算资金4834.20万元")
    (c02,) = [f for f in wrong.report.findings if f.code == "C02"]
    assert "8" in c02.message_zh and "4834.18" in c02.message_zh


def test_formula_audit_c04():
    multi, annual = {"K": "项目资金总额"}, {"N": "年度资金申请总额", "O": "当年财政拨款"}
    clean = formula_audit([("N12", "N", "=SUMIFS($N$2:$N$8,$AE$2:$AE$8,1)")], multi, annual)
    assert clean == []
    mixed = formula_audit([("P12", "P", "=K12+N12")], multi, annual, sheet="汇总")
    assert [(f.code, f.severity, f.cell) for f in mixed] == [("C04", "error", "P12")]
    spanning = formula_audit([("Z3", "Z", "=SUM(K2:O2)")], multi, annual)
    assert [f.code for f in spanning] == ["C04"]


def test_findings_given_are_attributed_to_their_forms(sample_forms, summary):
    given = consolidate(sample_forms, validate(sample_forms))
    pd.testing.assert_frame_equal(given.projects, summary.projects)


def test_files_parallel_equals_serial(tmp_path):
    blocks = sample_blocks()
    for index in range(6):
        sample_workbook(tmp_path / f"unit{index}.xlsx", blocks[index % 7: index % 7 + 2])
    serial = consolidate_files([tmp_path], jobs=1)
    parallel = consolidate_files([tmp_path], jobs=2)
    pd.testing.assert_frame_equal(serial.projects, parallel.projects)
    pd.testing.assert_frame_equal(serial.indicators, parallel.indicators)
    assert serial.report == parallel.report
    assert list(serial.projects["file"]) == sorted(serial.projects["file"])


def _read_and_note_pid(path, config, *, notes, read):
    with open(notes, "a", encoding="utf-8") as out:
        out.write(f"{os.getpid()}\n")
    return read(path, config)


def test_workers_are_replaced_after_their_share_of_files(tmp_path, monkeypatch):
    """A worker reads WORKER_FILES files, then a fresh one (empty caches) takes over."""
    from perfxl.consolidate import files

    blocks = sample_blocks()
    folder = tmp_path / "in"
    for index in range(8):
        sample_workbook(folder / f"unit{index}.xlsx", blocks[index % 7: index % 7 + 1])
    serial = consolidate_files([folder], jobs=1)
    notes = tmp_path / "pids.txt"
    monkeypatch.setattr(files, "WORKER_FILES", 2)  # forked workers see the patched module
    monkeypatch.setattr(files, "read_file_rows", functools.partial(
        _read_and_note_pid, notes=notes, read=files.read_file_rows))
    parallel = consolidate_files([folder], jobs=2)
    pids = notes.read_text(encoding="utf-8").split()
    assert len(pids) == 8 and os.getpid() not in map(int, pids)
    assert len(set(pids)) >= 4  # 8 files, at most 2 per worker
    assert list(parallel.project_rows) == list(serial.project_rows)
    assert parallel.report == serial.report


def test_prepare_runs_once_while_the_workers_read(tmp_path):
    import multiprocessing

    for index in range(4):
        sample_workbook(tmp_path / f"unit{index}.xlsx", sample_blocks()[index: index + 1])
    calls = []

    def prepare():
        calls.append(len(multiprocessing.active_children()))

    def progress(done, total, path, forms):
        calls.append("file")

    consolidate_files([tmp_path], jobs=2, prepare=prepare, progress=progress)
    assert calls == [2, "file", "file", "file", "file"]  # the two workers were running


def test_prepare_waits_for_the_last_files_of_a_larger_run(tmp_path, monkeypatch):
    """Workers replaced before then are forked without what prepare() loads."""
    from perfxl.consolidate import files

    for index in range(6):
        sample_workbook(tmp_path / f"unit{index}.xlsx", sample_blocks()[index: index + 1])
    calls = []
    monkeypatch.setattr(files, "PREPARE_AHEAD", 2)
    consolidate_files([tmp_path], jobs=2, prepare=lambda: calls.append("prepare"),
                      progress=lambda done, total, path, forms: calls.append(done))
    assert calls == [1, 2, 3, "prepare", 4, 5, 6]  # when the 4th file's rows are in: 2 to go


def test_files_unreadable_are_listed_and_the_rest_is_consolidated(tmp_path):
    sample_workbook(tmp_path / "a.xlsx")
    (tmp_path / "b.xlsx").write_text("not a workbook", encoding="utf-8")
    (tmp_path / "~$a.xlsx").write_bytes(b"lock file")
    summary = consolidate_files([tmp_path, tmp_path / "missing.xlsx"], jobs=2)
    assert summary.total["annual"] == PUBLISHED["annual"]
    assert sorted(e.file.rsplit("/", 1)[-1] for e in summary.failures) == ["b.xlsx", "missing.xlsx"]
    assert all(e.zh and e.en for e in summary.failures)


def test_files_nothing_readable(tmp_path):
    (tmp_path / "b.xlsx").write_text("not a workbook", encoding="utf-8")
    with pytest.raises(NothingToConsolidate) as caught:
        consolidate_files([tmp_path], jobs=1)
    assert [e.file.rsplit("/", 1)[-1] for e in caught.value.failures] == ["b.xlsx"]


def test_published_line_follows_the_office_settings(sample_forms):
    from perfxl.config import config_from_dict

    line = "编报绩效目标的项目8个，涉及项目预算资金4834.18万元"
    info = consolidate(sample_forms, published=line, config=config_from_dict({"severity": {"C02": "info"}}))
    assert [f.severity for f in info.report.findings if f.code == "C02"] == ["info"]
    off = consolidate(sample_forms, published=line, config=config_from_dict({"severity": {"C02": "off"}}))
    assert "C02" not in off.report.codes()


def test_unreadable_published_line_is_a_clear_error(sample_forms):
    from perfxl.errors import InputError

    with pytest.raises(InputError) as caught:
        consolidate(sample_forms, published="绩效目标若干")
    assert "1099.22万元" in caught.value.zh and caught.value.en


def test_folder_search_order_and_what_it_passes_over(tmp_path):
    from perfxl.consolidate.files import input_files

    for relative in ("b.xlsx", "a/z.xlsm", "a/sub/c.txt", "a.xlsx", "A/y.xlsx", "notes.docx",
                     ".hidden/x.xlsx", "a/.x.xlsx", "a/~$z.xlsm", "out/汇总.xlsx"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(b"")
    (tmp_path / "a" / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)  # a loop
    given = tmp_path / "b.xlsx"
    files, failures = input_files([tmp_path, given, tmp_path / "gone.xlsx"],
                                  exclude=[tmp_path / "a" / ".." / "out" / "汇总.xlsx"])
    found = [Path(p).relative_to(tmp_path).as_posix() for p in files]
    expected = sorted(["b.xlsx", "a/z.xlsm", "a/sub/c.txt", "a.xlsx", "A/y.xlsx"],
                      key=lambda text: Path(text))  # the order paths sort in
    assert found == expected  # the link back up is followed once, not forever; b.xlsx once
    assert [f.file for f in failures] == [str(tmp_path / "gone.xlsx")]


def test_a_folder_run_holds_each_file_as_one_text_and_makes_tasks_as_it_goes(tmp_path):
    """The parent holds its list of files for the whole run: a text per file (20,000 Path
    objects and a list of their tasks took 10.8 MB; their texts take 3.5)."""
    import sys
    import tracemalloc

    from perfxl.config import Config
    from perfxl.consolidate.files import input_files, iter_outcomes

    for number in range(5000):
        (tmp_path / f"{number:05}.xlsx").write_bytes(b"")
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        files, failures = input_files([tmp_path])
        per_file = (tracemalloc.get_traced_memory()[0] - before) / len(files)
        before = tracemalloc.get_traced_memory()[0]
        outcomes = iter_outcomes(files, Config(), jobs=1)
        held_for_tasks = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert not failures and len(files) == 5000 and {type(f) for f in files} == {str}
    assert files[0] == str(tmp_path / "00000.xlsx") and files[-1] == str(tmp_path / "04999.xlsx")
    # the text and its place in the list (and sort keys the tuple free list keeps: < 20 B)
    assert per_file < sys.getsizeof(files[0]) + 64
    assert held_for_tasks < 20_000  # not a task per file made ahead
    index, failure = next(outcomes)  # an empty file: a failure that names it
    assert index == 0 and failure[2] == files[0]


def test_a_folder_runs_file_texts_are_written_as_paths_write_them(tmp_path, monkeypatch):
    """The same file named two ways is read once, and named as ``Path`` names it."""
    from perfxl.consolidate.files import input_files

    (tmp_path / "sub").mkdir()
    for relative in ("a.xlsx", "sub/b.xlsx"):
        (tmp_path / relative).write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    for given in ([".", "a.xlsx"], ["./", "./a.xlsx", "sub/"], [str(tmp_path), tmp_path / "a.xlsx"]):
        files, failures = input_files(given)
        base = Path(given[0])
        expected = [str(base / "a.xlsx"), str(base / "sub" / "b.xlsx")]
        assert files == expected and not failures, given
    assert input_files(["."])[0] == ["a.xlsx", os.path.join("sub", "b.xlsx")]


def test_a_run_puts_the_collector_thresholds_back(tmp_path):
    import gc

    before = gc.get_threshold()
    sample_workbook(tmp_path / "a.xlsx")
    consolidate_files([tmp_path], jobs=2)
    assert gc.get_threshold() == before
    with pytest.raises(NothingToConsolidate):
        consolidate_files([tmp_path / "empty"], jobs=1)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
