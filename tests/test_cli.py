"""The command line: exit codes, clear messages for bad input, JSON shape, help everywhere."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from perfxl.cli import COMMAND_MODULES, cli

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "perfxl", *args], capture_output=True,
                          text=True, cwd=cwd or ROOT, timeout=120)


def test_validate_sample_exit_code_follows_errors(sample_path):
    result = run("validate", str(sample_path), "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["forms"] == 7
    has_errors = payload["counts"]["error"] > 0
    assert result.returncode == (1 if has_errors else 0)


def test_import_json_shape(sample_path):
    result = run("import", str(sample_path), "--json")
    assert result.returncode == 0, result.stderr
    forms = json.loads(result.stdout)["forms"]
    assert len(forms) == 7
    park = forms[1]
    assert set(park) == {"source", "year", "project", "funding", "goals", "indicators"}
    assert park["funding"] == {
        "total": "22438416.00", "fiscal": "22438416.00", "other_total": "0.00",
        "annual": "11219208.00", "appropriation": "11219208.00", "carryover": "0.00",
        "other_annual": "0.00", "remaining": "11219208.00",
    }
    assert park["project"]["start"] == "2023-01-01" and park["project"]["end"] == "2024-12-31"
    assert park["indicators"][0] == {
        "level1": "产出指标", "level2": "数量指标", "name": "房屋租赁计划完成率", "raw": "=100(%)",
        "op": "=", "value": "100", "unit": "%", "text": None,
    }
    qualitative = [i for i in park["indicators"] if i["text"]]
    assert qualitative == [{"level1": "社会效益指标", "level2": "社会效益指标",
                            "name": "展厅正常运营情况", "raw": "全年正常运营", "op": None,
                            "value": None, "unit": None, "text": "全年正常运营"}]
    assert forms[0]["funding"]["total"] is None and forms[0]["funding"]["remaining"] is None


def _not_excel(tmp_path: Path) -> Path:
    path = tmp_path / "renamed.xlsx"
    path.write_text("项目名称,其实是CSV\n", encoding="utf-8")
    return path


def _empty_workbook(tmp_path: Path) -> Path:
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    return path


def _no_form(tmp_path: Path) -> Path:
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "预算表"
    book.active.append(["科目", "金额"])
    book.active.append(["办公费", 1200])
    book.save(path)
    return path


def _undecodable(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(128, 256)) * 8)
    return path


def _pdf_renamed(tmp_path: Path) -> Path:
    path = tmp_path / "scan.xlsx"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    return path


def _zip_without_workbook(tmp_path: Path) -> Path:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return path


BAD_INPUTS = {
    "missing": (lambda tmp: tmp / "nope.xlsx", "文件不存在", "file not found"),
    "renamed": (_not_excel, "不是可读取的 Excel 工作簿", "not a readable Excel workbook"),
    "pdf": (_pdf_renamed, "这是 PDF 文件", "this is a PDF"),
    "zip": (_zip_without_workbook, "不是可读取的 Excel 工作簿", "not a readable Excel workbook"),
    "empty": (_empty_workbook, "未找到绩效目标申报表", "no performance-target form"),
    "no_form": (_no_form, "未找到绩效目标申报表", "no performance-target form"),
    "undecodable": (_undecodable, "无法识别文本编码", "cannot decode"),
    "folder": (lambda tmp: tmp, "文件夹", "folder"),
    "unknown_type": (lambda tmp: (tmp / "a.pdf").write_bytes(b"%PDF") and tmp / "a.pdf",
                     "不支持的文件类型", "unsupported file type"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
@pytest.mark.parametrize("command", ["validate", "import"])
def test_bad_input_gives_a_message_and_exit_2(tmp_path, case, command):
    make, zh, en = BAD_INPUTS[case]
    path = make(tmp_path)
    for lang, text in (("zh", zh), ("en", en)):
        result = run(command, str(path), "--lang", lang)
        assert result.returncode == 2, result.stderr
        assert text in result.stderr and str(path) in result.stderr
        assert "Traceback" not in result.stderr + result.stdout


def test_no_form_names_the_sheet(tmp_path):
    result = run("validate", str(_no_form(tmp_path)))
    assert "预算表" in result.stderr


def test_one_bad_file_does_not_hide_the_others(tmp_path, sample_path):
    result = run("validate", str(tmp_path / "nope.txt"), str(sample_path), "--format", "json")
    assert result.returncode == 2
    payload = json.loads(result.stdout)
    assert payload["forms"] == 7 and payload["unreadable"][0]["file"].endswith("nope.txt")


def test_every_command_has_help_with_an_example_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = cli.list_commands(None)
    assert {"validate", "import", "rules", "demo"} <= set(commands)
    for name in commands:
        command = cli.get_command(None, name)
        assert "Example" in (command.help or ""), name
        assert f"perfxl {name}" in readme, f"perfxl {name} missing from README"
    assert len(commands) <= len(COMMAND_MODULES)


def test_demo_writes_into_a_fresh_folder_and_overwrites_nothing(tmp_path):
    first = run("demo", cwd=tmp_path)
    second = run("demo", cwd=tmp_path)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert (tmp_path / "perfxl-demo" / "forms.json").exists()
    assert (tmp_path / "perfxl-demo-2" / "forms.json").exists()
    assert "48,341,783.00" in first.stdout and "13,450,508.00" in first.stdout
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "mine.txt").write_text("keep", encoding="utf-8")
    refused = run("demo", "-o", str(occupied))
    assert refused.returncode == 2 and (occupied / "mine.txt").read_text() == "keep"


def test_validate_against_last_year(tmp_path, sample_path):
    spent = tmp_path / "spent.csv"
    spent.write_text('项目名称,实际支出\n未来公园展厅运营项目,"10,000,000.00"\n机关服务,2231300.00\n',
                     encoding="utf-8")
    next_year = tmp_path / "2024.xlsx"
    made = run("rollover", str(sample_path), "--spent", str(spent), "-o", str(next_year))
    assert made.returncode == 0, made.stderr
    args = ("validate", str(next_year), "--last-year", str(sample_path), "--spent", str(spent),
            "--format", "json")
    clean = json.loads(run(*args).stdout)
    assert [f for f in clean["findings"] if f["code"] in ("C05", "C06")] == []
    book = openpyxl.load_workbook(next_year)
    sheet = book["未来公园展厅运营项目"]
    name = sheet.defined_names["px_carryover"]
    (title, address), = list(name.destinations)
    sheet[address.replace("$", "")].value = sheet[address.replace("$", "")].value + 0.01
    book.save(next_year)
    changed = json.loads(run(*args).stdout)
    assert [f["code"] for f in changed["findings"] if f["code"] in ("C05", "C06")] == ["C05"]


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_import_writes_one_sound_sheet_per_form(tmp_path, sample_path, sample_forms, suffix):
    from perfxl.io import read_forms
    from perfxl.io.package import package_problems

    out = tmp_path / f"申报表{suffix}"
    result = run("import", str(sample_path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert read_forms(out) == sample_forms
    assert package_problems(out) == []
    again = run("import", str(sample_path), "-o", str(out))
    assert again.returncode == 2 and "--force" in again.stderr


def test_the_process_ends_with_exit_handlers_run_and_output_flushed(tmp_path):
    """The console script leaves without tearing the interpreter down; handlers and output
    still go out."""
    marker = tmp_path / "handler-ran"
    script = (
        "import atexit, pathlib, sys\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
        "sys.argv = ['perfxl', 'rules', '--format', 'md']\n"
        "from perfxl.cli import console\n"
        "print('before', end='')\n"
        "console()\n"
        "print('NOT-REACHED')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0
    assert result.stdout.startswith("before") and "NOT-REACHED" not in result.stdout
    assert result.stdout.rstrip().endswith("`")  # the whole rule list, flushed
    assert result.stdout.count("反例") >= 40
    assert marker.read_text() == "yes"
