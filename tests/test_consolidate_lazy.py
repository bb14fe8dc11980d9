"""The summary's pandas tables are built on first use; writing a summary never needs them.

(Nor numpy: the command line imports openpyxl without it, since no numpy value exists.)

A folder run writes the summary workbook from the summary's plain rows, so its parent
process never imports pandas (checked in a fresh interpreter); the tables, when asked
for, hold exactly what the plain rows hold, with the dtypes they always had.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import fields
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from perfxl.cli.consolidate import _print_totals
from perfxl.consolidate import Summary, consolidate
from perfxl.consolidate.columns import COUNT_KEYS, GROUPINGS, MONEY_KEYS, PROJECT_COLUMNS
from perfxl.consolidate.export import csv_tables, summary_dict
from perfxl.io.summary import write_summary_workbook
from test_consolidate_support import PUBLISHED, SAMPLE, sample_blocks, sample_workbook

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("projects", "indicators", "by_department", "by_category", "by_nature", "total")

# Runs `perfxl consolidate ARGS…` in this interpreter, then writes its exit code and the
# pandas modules it loaded as JSON to the file named by the first argument.
_CLI_PROBE = """
import json, runpy, sys
report, args = sys.argv[1], sys.argv[2:]
sys.argv = ["perfxl", "consolidate", *args]
try:
    runpy.run_module("perfxl", run_name="__main__")
    code = 0
except SystemExit as exit:
    code = exit.code
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("pandas", "numpy"))
import numpy  # still importable afterwards
with open(report, "w", encoding="utf-8") as out:
    json.dump({"code": code, "pandas": loaded, "numpy": numpy.__name__}, out)
"""

# Consolidates the sample, writes its workbook, then reads one table: pandas must be
# absent before the table is read and present after (so the check can see it at all).
_LIBRARY_PROBE = """
import sys
from perfxl.consolidate import consolidate
from perfxl.io import read_forms
from perfxl.io.summary import write_summary_workbook

summary = consolidate(read_forms(sys.argv[1]))
write_summary_workbook(sys.argv[2], summary)
before = "pandas" in sys.modules
rows = len(summary.projects)
print(before, "pandas" in sys.modules, rows)
"""


def _probe_cli(tmp_path: Path, *args: str) -> dict:
    report = tmp_path / "probe.json"
    result = subprocess.run([sys.executable, "-c", _CLI_PROBE, str(report), *args],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert report.exists(), result.stderr
    return json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture
def folder(tmp_path) -> Path:
    blocks = sample_blocks()
    sample_workbook(tmp_path / "in" / "单位甲.xlsx", blocks[:4])
    sample_workbook(tmp_path / "in" / "单位乙.xlsx", blocks[4:])
    return tmp_path / "in"


def test_folder_run_writes_the_workbook_without_pandas(tmp_path, folder):
    out = tmp_path / "汇总.xlsx"
    probe = _probe_cli(tmp_path, str(folder), "-o", str(out), "--jobs", "2")
    assert probe == {"code": 0, "pandas": [], "numpy": "numpy"}  # nor numpy, for openpyxl
    assert out.stat().st_size > 0


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_runs_do_without_pandas_too(tmp_path, folder, fmt):
    probe = _probe_cli(tmp_path, str(folder), "--format", fmt, "-o", str(tmp_path / f"汇总.{fmt}"))
    assert probe == {"code": 0, "pandas": [], "numpy": "numpy"}


def test_tables_load_pandas_only_when_read(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", _LIBRARY_PROBE, str(SAMPLE), str(tmp_path / "汇总.xlsx")],
        capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", str(PUBLISHED["forms"])]


class _RowsOnly(Summary):
    """A summary whose pandas tables cannot be read: what the writers may not need."""

    def __getattribute__(self, name: str):
        if name in TABLES:
            raise AssertionError(f"summary.{name} read")
        return super().__getattribute__(name)


def _rows_only(summary: Summary) -> _RowsOnly:
    return _RowsOnly(**{f.name: getattr(summary, f.name) for f in fields(Summary)})


def test_writers_read_the_plain_rows_only(tmp_path, sample_forms):
    summary = _rows_only(consolidate(sample_forms + sample_forms))  # with duplicates
    write_summary_workbook(tmp_path / "汇总.xlsx", summary)
    write_summary_workbook(tmp_path / "summary.xlsx", summary, lang="en")
    assert set(csv_tables(summary)) == {"汇总", "小计", "指标明细", "校验结果"}
    assert summary_dict(summary)["total"]["duplicates"] == PUBLISHED["forms"]
    console = Console(record=True, width=200)
    _print_totals(summary, console, "zh")
    assert "48,341,783.00" in console.export_text()


def _eager(summary: Summary) -> dict:
    return {name: getattr(summary, name) for name in TABLES}


def test_tables_read_late_equal_tables_read_at_once(tmp_path, sample_forms):
    forms = sample_forms + sample_forms[:3]
    at_once = _eager(consolidate(forms))
    late = consolidate(forms)
    write_summary_workbook(tmp_path / "汇总.xlsx", late)  # the writers change no row
    csv_tables(late)
    summary_dict(late)
    for name, table in at_once.items():
        if isinstance(table, pd.Series):
            pd.testing.assert_series_equal(getattr(late, name), table, check_exact=True)
        else:
            pd.testing.assert_frame_equal(getattr(late, name), table, check_exact=True)


def _missing_as_none(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def test_tables_hold_the_plain_rows_with_their_dtypes(sample_forms):
    summary = consolidate(sample_forms + sample_forms[:2])
    projects = summary.projects
    assert summary.projects is projects  # built once
    keys = [c.key for c in PROJECT_COLUMNS]
    assert list(projects.columns) == keys
    assert _missing_as_none(projects) == [{k: r[k] for k in keys} for r in summary.project_rows]
    assert str(projects["year"].dtype) == str(projects["duplicate_of"].dtype) == "Int64"
    assert list(projects["duplicate_of"].dropna()) == [1, 2]
    assert projects["multi_year"].dtype == bool
    for key in COUNT_KEYS + ("row", "counted"):
        assert projects[key].dtype == "int64", key
    indicators = summary.indicators
    assert str(indicators["year"].dtype) == "Int64" and indicators["number"].dtype == object
    assert _missing_as_none(indicators) == [
        dict(zip(indicators.columns, values))
        for values in zip(*(summary.indicator_columns[k] for k in indicators.columns))]
    for by in GROUPINGS:
        table = summary.subtotals(by)
        assert table is getattr(summary, f"by_{by}")
        assert table.to_dict("records") == summary.subtotal_rows[by]
        for key in MONEY_KEYS:
            assert table[key].dtype == object and projects[key].dtype == object
            assert all(isinstance(v, Decimal) for v in table[key])
    assert summary.total.dtype == object
    assert summary.total.to_dict() == summary.total_values
    assert summary.duplicates == 2
