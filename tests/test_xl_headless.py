"""``perfxl validate FILE --mark OUT`` / ``--in-place``: the same macro through the openpyxl
adapter, on files; refusals exit with code 2 and change nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from xl_support import fills_and_notes, sample_workbook

from perfxl.errors import WorkbookError
from perfxl.xl.headless import backup_path, mark_file
from perfxl.xl.settings import FINDINGS_SHEET, MARKS_SHEET

ROOT = Path(__file__).resolve().parent.parent
PARK = "未来公园展厅运营项目"
CUSTOM_UI_REL = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"


def perfxl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "perfxl", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return sample_workbook(tmp_path_factory.mktemp("headless") / "sample.xlsx")


def test_mark_writes_a_marked_copy_and_leaves_the_input_alone(sample, tmp_path):
    before = sample.read_bytes()
    out = tmp_path / "marked.xlsx"
    result = perfxl("validate", sample, "--mark", out)
    assert result.returncode == 1, result.stderr  # the sample has an error (E04)
    assert "E04" in result.stdout
    assert sample.read_bytes() == before
    book = openpyxl.load_workbook(out)
    e04 = next(row for row in book[FINDINGS_SHEET].iter_rows(values_only=True) if row[2] == "E04")
    cell = book[PARK][e04[1].split('"')[-2]]
    assert cell.value == "社会效益指标" and cell.fill.fgColor.rgb == "FFFF9999"
    assert "E04（错误）" in cell.comment.text
    assert book[MARKS_SHEET].sheet_state == "hidden"


def test_in_place_writes_a_backup_first(sample, tmp_path):
    path = tmp_path / "book.xlsx"
    shutil.copyfile(sample, path)
    result = perfxl("validate", path, "--in-place")
    assert result.returncode == 1, result.stderr
    backup = backup_path(path).with_name("book.perfxl-backup.xlsx")
    assert backup.read_bytes() == sample.read_bytes()
    assert FINDINGS_SHEET in openpyxl.load_workbook(path).sheetnames
    assert backup_path(path).name == "book.perfxl-backup-2.xlsx"


def _refused(result, text):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert text in result.stderr


def test_a_read_only_file_is_refused_before_any_work(sample, tmp_path, monkeypatch):
    """A read-only file is refused for --in-place. The write permission is simulated: the
    tests run as root in CI, for whom no file is read-only."""
    path = tmp_path / "readonly.xlsx"
    shutil.copyfile(sample, path)
    monkeypatch.setattr("perfxl.xl.headless.os.access", lambda p, mode: Path(p) != path)
    with pytest.raises(WorkbookError, match="read-only"):
        mark_file(path, in_place=True)
    assert path.read_bytes() == sample.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["readonly.xlsx"]


def test_a_file_open_in_excel_is_not_marked_in_place(sample, tmp_path):
    path = tmp_path / "open.xlsx"
    shutil.copyfile(sample, path)
    (tmp_path / "~$open.xlsx").write_bytes(b"owner")
    _refused(perfxl("validate", path, "--in-place"), "正在 Excel 中打开")
    assert path.read_bytes() == sample.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["open.xlsx", "~$open.xlsx"]


def test_a_workbook_without_forms_exits_2_and_writes_nothing(tmp_path):
    path = tmp_path / "budget.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["科目", "金额"])
    book.save(path)
    out = tmp_path / "out.xlsx"
    _refused(perfxl("validate", path, "--mark", out), "这不是 perfxl 工作簿")
    assert not out.exists()


def test_a_protected_sheet_exits_2_and_writes_nothing(sample, tmp_path):
    book = openpyxl.load_workbook(sample)
    book[PARK].protection.sheet = True
    path = tmp_path / "protected.xlsx"
    book.save(path)
    before = path.read_bytes()
    _refused(perfxl("validate", path, "--in-place"), "受保护")
    assert path.read_bytes() == before
    assert not backup_path(path).with_name("protected.perfxl-backup.xlsx").exists()


def test_output_rules(sample, tmp_path):
    with pytest.raises(WorkbookError, match="input itself"):
        mark_file(sample, sample)
    with pytest.raises(WorkbookError, match="extension"):
        mark_file(sample, tmp_path / "out.xlsm")
    taken = tmp_path / "taken.xlsx"
    taken.write_bytes(b"keep me")
    with pytest.raises(WorkbookError, match="--force"):
        mark_file(sample, taken)
    assert taken.read_bytes() == b"keep me"
    mark_file(sample, taken, force=True)
    assert FINDINGS_SHEET in openpyxl.load_workbook(taken).sheetnames


def _macro_workbook(sample: Path, path: Path) -> Path:
    """A macro workbook: xlwings' quickstart VBA project, a 2006 ribbon part, the sample sheets."""
    import xlwings

    host = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    seeded = path.with_name("seed.xlsm")
    with zipfile.ZipFile(host) as src, zipfile.ZipFile(seeded, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", (
                    f'<Relationship Id="rIdPerfxlUI" Type="{CUSTOM_UI_REL}" '
                    'Target="customUI/customUI.xml"/></Relationships>').encode())
            dst.writestr(item, data)
        dst.writestr("customUI/customUI.xml", (
            '<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui"><ribbon><tabs>'
            '<tab id="perfxl" label="绩效目标"/></tabs></ribbon></customUI>').encode("utf-8"))
    book = openpyxl.load_workbook(seeded, keep_vba=True)
    forms = openpyxl.load_workbook(sample)
    for ws in forms.worksheets[1:]:
        target = book.create_sheet(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    target[cell.coordinate] = cell.value
                    target[cell.coordinate].data_type = "s"
    book.save(path)
    return path


def test_a_marked_xlsm_keeps_its_vba_project_and_ribbon(sample, tmp_path):
    source = _macro_workbook(sample, tmp_path / "book.xlsm")
    out = tmp_path / "marked.xlsm"
    result = perfxl("validate", source, "--mark", out)
    assert result.returncode == 1, result.stderr
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(out) as after:
        assert after.read("xl/vbaProject.bin") == before.read("xl/vbaProject.bin")
        assert after.read("customUI/customUI.xml") == before.read("customUI/customUI.xml")
        assert CUSTOM_UI_REL.encode() in after.read("_rels/.rels")
        assert b"macroEnabled" in after.read("[Content_Types].xml")
    assert any(key[0] == PARK for key in fills_and_notes(out))


def test_the_perfxl_template_filled_and_marked_keeps_its_vba_and_ribbon(tmp_path):
    from perfxl.io import read_forms
    from perfxl.io.formsheet import default_template, write_forms_workbook

    template = default_template()
    if template is None:
        pytest.skip("workbook/perfxl.xlsm is not built")
    source = tmp_path / "申报表.xlsm"
    write_forms_workbook(read_forms(ROOT / "perfxl" / "data" / "shanghai-kcb-2023.txt"), source,
                         template=template)
    out = tmp_path / "已标记.xlsm"
    assert perfxl("validate", source, "--mark", out).returncode == 1
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(out) as after:
        assert after.read("xl/vbaProject.bin") == before.read("xl/vbaProject.bin")
        assert after.read("customUI/customUI.xml") == before.read("customUI/customUI.xml")
        assert CUSTOM_UI_REL.encode() in after.read("_rels/.rels")
    book = openpyxl.load_workbook(out, keep_vba=True)
    assert book["校验结果"]["A2"].value == "工作表" and "申报表" not in book.sheetnames
    e04 = [c for row in book[PARK].iter_rows() for c in row
           if c.comment and "E04" in c.comment.text]
    assert e04 and all(c.value == "社会效益指标" and c.column_letter == "B" for c in e04)
