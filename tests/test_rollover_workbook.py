"""The next-year workbook on disk: forms read back, validation, cross-year check, totals in
LibreOffice, and the ``perfxl rollover`` command."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from perfxl.io import read_forms
from perfxl.io.formsheet import write_forms_workbook
from perfxl.io.rollover_sheet import SHEET, column_of, total_cells
from perfxl.money import to_decimal
from perfxl.rollover import rollover_workbook, validate_against_last_year
from perfxl.rules import validate

ROOT = Path(__file__).resolve().parent.parent
PARK, SERVICE = "未来公园展厅运营项目", "机关服务"
SPENT_CSV = f'项目名称,实施单位,实际支出\n{PARK},上海推进科技创新中心建设办公室,"10,000,000.00"\n{SERVICE},,2231300.00\n'


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("rollover")


@pytest.fixture(scope="module")
def book_2023(folder, sample_forms):
    path = folder / "2023.xlsx"
    write_forms_workbook(sample_forms, path)
    return path


@pytest.fixture(scope="module")
def spent_csv(folder):
    path = folder / "执行数.csv"
    path.write_text(SPENT_CSV, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rolled(folder, book_2023, spent_csv):
    return rollover_workbook(book_2023, spent_csv, output=folder / "2024.xlsx")


def test_the_2024_workbook_has_exactly_the_two_forms(rolled):
    forms = read_forms(rolled.output)
    assert [(f.year, f.project.name) for f in forms] == [(2024, PARK), (2024, SERVICE)]
    park, service = (f.funding for f in forms)
    assert (park.carryover, service.carryover) == (D("1219208.00"), D("0.00"))
    assert (park.total, service.total) == (D("22438416.00"), D("4462600.00"))
    # 2023's 当年财政拨款 + the 2024 proposal = 项目资金总额 (all fiscal, no other funds).
    assert D("11219208.00") + park.appropriation == park.total
    assert D("2231300.00") + service.appropriation == service.total
    assert park.annual == D("12438416.00")


def test_generated_workbook_has_no_funding_error(rolled):
    report = validate(read_forms(rolled.output))
    assert [f for f in report.findings if f.code.startswith("F") and f.severity == "error"] == []


def test_against_2023_no_cross_year_finding(rolled, book_2023, spent_csv):
    assert validate_against_last_year(rolled.output, book_2023, spent_csv).findings == ()


def test_one_fen_changed_in_a_carryover_cell_gives_one_finding(rolled, book_2023, spent_csv, folder):
    park = read_forms(rolled.output)[0]
    ref = park.ref("funding.carryover")
    book = openpyxl.load_workbook(rolled.output)
    cell = book[ref.sheet][ref.cell]
    cell.value = to_decimal(cell.value) - D("0.01")
    changed = folder / "2024-changed.xlsx"
    book.save(changed)
    report = validate_against_last_year(changed, book_2023, spent_csv)
    assert report.flatten(["code", "sheet", "cell"]) == [("C05", ref.sheet, ref.cell)]
    assert "1,219,207.99" in report.findings[0].message_zh
    assert "相差 -0.01" in report.findings[0].message_zh


def test_proposal_cells_are_marked_to_confirm(rolled):
    book = openpyxl.load_workbook(rolled.output)
    for form in read_forms(rolled.output):
        ref = form.ref("funding.appropriation")
        cell = book[ref.sheet][ref.cell]
        assert cell.fill.fgColor.rgb == "FFFFF2CC"
        assert "请确认" in cell.comment.text and "confirm" in cell.comment.text


def _sheet_rows(path):
    sheet = openpyxl.load_workbook(path)[SHEET]
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


def test_rollover_sheet_lists_every_project(rolled):
    sheet, rows = _sheet_rows(rolled.output)
    names = [row[1] for row in rows[4:11]]
    assert len(names) == 7 and names[1] == PARK and names[3] == SERVICE
    park = rows[5]
    assert [to_decimal(park[i]) for i in range(5, 8)] == [D("11219208"), D("10000000"), D("1219208")]
    assert sheet[f"{column_of('proposal')}6"].fill.fgColor.rgb == "FFFFF2CC"
    assert rows[11][5] == "=SUM(F5:F11)"


def test_libreoffice_recalculates_the_totals_to_the_python_totals(rolled, folder):
    from lo_client import recalculate

    computed = openpyxl.load_workbook(recalculate(rolled.output, folder / "lo"), data_only=True)
    sheet = computed[SHEET]
    totals = rolled.report.totals()
    for key, address in total_cells(rolled.report).items():
        assert to_decimal(sheet[address].value).quantize(D("0.01")) == totals[key], key
    assert totals["annual"] == D("48341783.00") and totals["carryover"] == D("1219208.00")


def test_spending_column_of_a_summary_sheet_in_the_workbook_itself(folder, sample_forms):
    path = folder / "2023-with-summary.xlsx"
    write_forms_workbook(sample_forms, path)
    book = openpyxl.load_workbook(path)
    summary = book.create_sheet("汇总")
    summary.append(["序号", "项目名称", "实施单位", "年度资金申请总额", "实际支出"])
    for number, form in enumerate(sample_forms, start=1):
        spent = {PARK: 10000000, SERVICE: 2231300}.get(form.project.name)
        summary.append([number, form.project.name, form.project.unit, form.funding.annual, spent])
    book.save(path)
    result = rollover_workbook(path)
    assert result.spending_from.endswith("[汇总]")
    assert [f.funding.carryover for f in result.forms] == [D("1219208.00"), D("0.00")]


# ----------------------------------------------------------------------------- command


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "perfxl", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_command_writes_and_prints_json(book_2023, spent_csv, tmp_path):
    output = tmp_path / "2024.xlsx"
    result = run("rollover", str(book_2023), "--spent", str(spent_csv), "-o", str(output),
                 "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["totals"]["carryover"] == "1219208.00"
    assert [p["name"] for p in payload["projects"] if p["status"] == "ends"][0] == "科创中心建设工作经费"
    assert len(read_forms(output)) == 2


def test_command_refuses_to_overwrite_without_force(book_2023, spent_csv, tmp_path):
    output = tmp_path / "2024.xlsx"
    output.write_bytes(b"keep me")
    result = run("rollover", str(book_2023), "--spent", str(spent_csv), "-o", str(output))
    assert result.returncode == 2
    assert "--force" in result.stderr and output.read_bytes() == b"keep me"
    forced = run("rollover", str(book_2023), "--spent", str(spent_csv), "-o", str(output), "--force")
    assert forced.returncode == 0, forced.stderr
    assert len(read_forms(output)) == 2


def test_command_bad_spending_names_the_row(book_2023, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(f"项目名称,实际支出\n{PARK},1\n不存在的项目,2\n", encoding="utf-8")
    output = tmp_path / "2024.xlsx"
    result = run("rollover", str(book_2023), "--spent", str(bad), "-o", str(output), "--lang", "en")
    assert result.returncode == 2
    assert "row 3" in result.stderr and "matches no project" in result.stderr
    assert not output.exists()


def test_command_xlsm_needs_a_macro_template(book_2023, spent_csv, tmp_path):
    output = tmp_path / "x.xlsm"
    result = run("rollover", str(book_2023), "--spent", str(spent_csv), "-o", str(output),
                 "--template", str(book_2023))
    assert result.returncode == 2 and "--template" in result.stderr and not output.exists()


def test_xlsm_on_the_template_keeps_macros_and_ribbon(book_2023, spent_csv, folder):
    import zipfile

    from perfxl.xl.build import build_template

    template = build_template(folder / "perfxl.xlsm", year=2024)
    output = folder / "2024.xlsm"
    result = rollover_workbook(book_2023, spent_csv, output=output, template=template)
    with zipfile.ZipFile(output) as archive:
        names = set(archive.namelist())
        assert "xl/vbaProject.bin" in names
        assert archive.read("xl/vbaProject.bin") == zipfile.ZipFile(template).read("xl/vbaProject.bin")
        assert any(name.startswith("customUI/") for name in names)
        assert "customUI" in archive.read("_rels/.rels").decode()
    forms = read_forms(output)
    assert [(f.year, f.project.name, f.funding.carryover) for f in forms] == [
        (2024, PARK, D("1219208.00")), (2024, SERVICE, D("0.00"))]
    book = openpyxl.load_workbook(output, keep_vba=True)
    assert SHEET in book.sheetnames and book.active.title == SHEET
    assert result.report.totals()["carryover"] == D("1219208.00")


def test_help_ends_with_an_example():
    result = run("rollover", "--help")
    assert result.returncode == 0 and "Example:" in result.stdout
    assert "perfxl rollover 2023.xlsx --spent" in result.stdout.split("Example:")[-1]


def test_grids_of_a_live_workbook_are_accepted(book_2023):
    from perfxl.io import read_grids

    result = rollover_workbook(read_grids(book_2023), {PARK: "10,000,000.00", SERVICE: "2,231,300.00"})
    assert [f.funding.carryover for f in result.forms] == [D("1219208.00"), D("0.00")]
    assert result.output is None


def test_rolling_the_2024_workbook_on_ignores_last_years_figures(rolled, book_2023, folder):
    result = rollover_workbook(rolled.output, output=folder / "2025.xlsx", last_year=book_2023)
    assert result.spending_from == ""  # the 结转情况 sheet holds 2023 figures, not 2024's
    assert result.crossyear == []
    assert result.forms == [] and [p.name for p in result.report.ending] == [PARK, SERVICE]
    assert all(p.balance is None for p in result.report.ending)
    sheet, rows = _sheet_rows(result.output)
    assert [row[1] for row in rows[4:6]] == [PARK, SERVICE]
    assert rows[6][1] == "合计"


def test_command_last_year_reports_cross_year_findings(rolled, book_2023, folder, tmp_path):
    book = openpyxl.load_workbook(rolled.output)
    park = read_forms(rolled.output)[0]
    ref = park.ref("funding.total")
    book[ref.sheet][ref.cell].value = D("22438416.01")
    changed = folder / "2024-total-changed.xlsx"
    book.save(changed)
    result = run("rollover", str(changed), "--last-year", str(book_2023), "-o",
                 str(tmp_path / "2025.xlsx"), "--format", "json")
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["crossyear"]
    assert [(f["code"], f["cell"]) for f in findings] == [("C06", ref.cell)]


def test_blank_template_sheet_is_passed_over(folder, sample_forms):
    from perfxl.io.formsheet import forms_workbook
    from perfxl.io.template_layout import draw_form_sheet

    path = folder / "with-blank.xlsx"
    book, _ = forms_workbook(sample_forms[:2])
    draw_form_sheet(book.create_sheet("申报表"), 2023, 10)
    book.save(path)
    assert len(read_forms(path)) == 3  # the blank sheet reads as an empty form
    result = rollover_workbook(path, {PARK: "10,000,000.00"})
    assert [p.name for p in result.report.projects] == ["科创中心建设工作经费", PARK]
