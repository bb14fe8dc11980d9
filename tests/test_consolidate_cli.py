"""``perfxl consolidate``: folders of real workbooks, unreadable files, outputs, sources untouched."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl

from test_consolidate_support import PUBLISHED, SAMPLE, digest, sample_blocks, sample_workbook

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "perfxl", "consolidate", *args],
                          capture_output=True, text=True, cwd=cwd or ROOT, timeout=300)


def _department_folder(folder: Path) -> Path:
    """Three units' workbooks (3 + 2 + 2 forms), one in a sub-folder, plus the sample text."""
    blocks = sample_blocks()
    sample_workbook(folder / "单位甲.xlsx", blocks[:3])
    sample_workbook(folder / "单位乙.xlsx", blocks[3:5])
    sample_workbook(folder / "附属单位" / "单位丙.xlsx", blocks[5:])
    return folder


def test_folder_of_workbooks(tmp_path):
    folder = _department_folder(tmp_path / "in")
    before = digest(folder)
    result = run(str(folder), "-o", str(tmp_path / "汇总.xlsx"), "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert "48,341,783.00" in result.stdout and "13,450,508.00" in result.stdout
    assert digest(folder) == before  # sources byte-identical
    book = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    ws = book["汇总"]
    # files in path order (单位乙 < 单位甲 < 附属单位/…), forms in sheet order within a file
    assert [ws.cell(r, 2).value for r in range(2, 9)] == [
        "机关服务", "信息化运维项目", "科创中心建设工作经费", "未来公园展厅运营项目",
        "科创中心展厅运营项目", "信息化建设项目", "缴纳残疾人就业保障金"]
    assert book["指标明细"].max_row == 1 + PUBLISHED["indicators"]


def test_unreadable_file_is_named_and_the_rest_consolidated(tmp_path):
    folder = _department_folder(tmp_path / "in")
    (folder / "损坏.xlsx").write_bytes(b"PK\x03\x04 broken")
    (folder / "说明.txt").write_text("这不是申报表", encoding="utf-8")
    before = digest(folder)
    result = run(str(folder), "-o", str(tmp_path / "汇总.xlsx"))
    assert result.returncode == 1
    assert "损坏.xlsx" in result.stderr and "说明.txt" in result.stderr
    assert "48,341,783.00" in result.stdout
    assert digest(folder) == before
    ws = openpyxl.load_workbook(tmp_path / "汇总.xlsx")["校验结果"]
    files = [ws.cell(r, 5).value or "" for r in range(2, ws.max_row + 1)]
    assert any(f.endswith("损坏.xlsx") for f in files)
    english = run(str(folder), "-o", str(tmp_path / "en.xlsx"), "--lang", "en")
    assert english.returncode == 1 and "损坏.xlsx" in english.stderr
    assert "not a readable Excel workbook" in english.stderr or "cannot" in english.stderr


def test_nothing_readable_exits_2(tmp_path):
    (tmp_path / "bad.xlsx").write_text("text", encoding="utf-8")
    result = run(str(tmp_path / "bad.xlsx"), "-o", str(tmp_path / "汇总.xlsx"))
    assert result.returncode == 2
    assert "bad.xlsx" in result.stderr
    assert not (tmp_path / "汇总.xlsx").exists()


def test_two_copies_are_reported_and_counted_once(tmp_path):
    folder = tmp_path / "in"
    sample_workbook(folder / "单位甲.xlsx")
    sample_workbook(folder / "单位甲(1).xlsx")
    result = run(str(folder), "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["total"]["annual"] == "48341783.00"
    assert payload["total"]["rows"] == 14 and payload["total"]["duplicates"] == 7
    c03 = [f for f in payload["report"]["findings"] if f["code"] == "C03"]
    assert len(c03) == 7
    assert "重复 7 张" in result.stderr


def test_output_is_not_read_as_input_and_needs_force(tmp_path):
    folder = _department_folder(tmp_path / "in")
    output = folder / "汇总.xlsx"
    assert run(str(folder), "-o", str(output)).returncode == 0
    again = run(str(folder), "-o", str(output))
    assert again.returncode == 2 and "--force" in again.stderr
    forced = run(str(folder), "-o", str(output), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "48,341,783.00" in forced.stdout  # the earlier summary was not consolidated


def test_csv_tables(tmp_path):
    result = run(str(SAMPLE), "--format", "csv", "-o", str(tmp_path / "汇总.csv"))
    assert result.returncode == 0, result.stderr
    with open(tmp_path / "汇总-小计.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = [r for r in rows if r["分组"] == "合计"][0]
    assert Decimal(total["年度资金申请总额"]) == PUBLISHED["annual"]
    category = {r["名称"]: Decimal(r["年度资金申请总额"]) for r in rows if r["分组"] == "项目类别"}
    assert category == PUBLISHED["by_category"]
    with open(tmp_path / "汇总-指标明细.csv", encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle))) == 1 + PUBLISHED["indicators"]


def test_published_line_option(tmp_path):
    result = run(str(SAMPLE), "--format", "json", "--published",
                 "编报绩效目标的项目8个，涉及项目预算资金4834.18万元")
    payload = json.loads(result.stdout)
    assert [f["code"] for f in payload["report"]["findings"]].count("C02") == 1


def test_help_ends_with_an_example():
    result = subprocess.run([sys.executable, "-m", "perfxl", "consolidate", "--help"],
                            capture_output=True, text=True, cwd=ROOT)
    description = result.stdout.split("Options:")[0].strip()
    assert description.splitlines()[-1].strip().startswith("perfxl consolidate ")
