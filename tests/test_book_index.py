"""The workbook index (defined names, formulas without a value) and the guard's in-memory reads."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from zipfile import BadZipFile

from perfxl.errors import InputError
from perfxl.io import read_grids
from perfxl.io.book_index import _defined_names, uncalculated_cells, workbook_index
from perfxl.io.guard import open_checked_workbook


def test_sheet_scoped_single_cell_names_in_either_attribute_order():
    xml = (b'<workbook><definedNames>'
           b'<definedName name="px_name" localSheetId="0">\'A &amp; B\'!$B$3</definedName>'
           b'<definedName localSheetId="1" hidden="1" name="px_x&amp;y">Other!C9</definedName>'
           b'<definedName name="px_list">\'_lists\'!$A$2:$A$4</definedName>'
           b'<definedName name="px_range" localSheetId="0">Main!$A$1:$B$2</definedName>'
           b'<definedName name="px_const" localSheetId="0">0.5</definedName>'
           b'<definedName name="px_gone" localSheetId="0">#REF!</definedName>'
           b'<definedName name="px_far" localSheetId="7">Main!A1</definedName>'
           b'</definedNames></workbook>')
    assert _defined_names(xml, ["A & B", "Other"]) == {
        "A & B": {"px_name": (2, 1)}, "Other": {"px_x&y": (8, 2)}}


def test_formula_cells_without_a_cached_value():
    xml = (b'<sheetData><row r="1"><c r="A1"><f>SUM(B1:B2)</f></c>'
           b'<c r="B1"><f>1+1</f><v>2</v></c><c r="C1" t="str"><f>"x"</f><v></v></c>'
           b'<c r="D1"><v>4</v></c></row></sheetData>')
    assert uncalculated_cells(xml) == frozenset({"A1", "C1"})
    assert uncalculated_cells(b"<sheetData/>") == frozenset()


def test_the_index_of_a_real_workbook_matches_openpyxl(tmp_path):
    book = openpyxl.Workbook()
    first = book.active
    first.title = "项目 & 一"
    first["B3"] = "x"
    first["C4"] = "=B3&B3"
    second = book.create_sheet("二")
    for sheet, cell in ((first, "$B$3"), (second, "$D$7")):
        name = openpyxl.workbook.defined_name.DefinedName(
            "px_name", attr_text=f"'{sheet.title}'!{cell}")
        sheet.defined_names.add(name)
    path = tmp_path / "names.xlsx"
    book.save(path)
    with open_checked_workbook(path) as checked:
        index = workbook_index(checked)
        assert checked.read("xl/workbook.xml") == zipfile.ZipFile(path).read("xl/workbook.xml")
    assert index.names == {"项目 & 一": {"px_name": (2, 1)}, "二": {"px_name": (6, 3)}}
    assert index.uncalculated == {"项目 & 一": frozenset({"C4"}), "二": frozenset()}


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2])
def test_parts_read_from_memory_whatever_the_compression(tmp_path, method):
    path = tmp_path / "book.xlsx"
    body = "<worksheet>" + "<row/>" * 5000 + "</worksheet>"
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", body)
    with open_checked_workbook(path) as checked:
        assert checked.read("xl/worksheets/sheet1.xml") == body.encode()
        info = checked.infos["xl/worksheets/sheet1.xml"]
        assert checked.head(info, 20) == body.encode()[:20]


def test_a_damaged_part_is_refused_with_the_file_named(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook>" + "<sheets/>" * 400 + "</workbook>")
    data = bytearray(buffer.getvalue())
    data[60:90] = bytes(30)  # inside the compressed stream of the only part
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(BadZipFile, match="xl/workbook.xml"):
        with open_checked_workbook(path) as checked:
            checked.read("xl/workbook.xml")
    with pytest.raises(InputError) as refused:
        read_grids(path)
    assert refused.value.file == str(path) and "Excel" in refused.value.en


@pytest.mark.parametrize("workbook_pr, expected", [
    ('<workbookPr date1904="1"/>', True),
    ('<workbookPr defaultThemeVersion="1" date1904="true"/>', True),
    ('<x:workbookPr date1904="1"/>', True),
    ('<workbookPr date1904="0"/>', False),
    ('<workbookPr/>', False),
    ('', False),
])
def test_the_1904_date_system_is_noticed_however_it_is_written(tmp_path, workbook_pr, expected):
    path = tmp_path / "dates.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", f"<workbook>{workbook_pr}<sheets/></workbook>")
        archive.writestr("xl/_rels/workbook.xml.rels", "<Relationships/>")
    with open_checked_workbook(path) as checked:
        assert workbook_index(checked).date1904 is expected


def _prefixed_or_not(tmp_path, prefix: str):
    x = f"{prefix}:" if prefix else ""
    workbook = (f'<{x}workbook xmlns:r="r"><{x}sheets>'
                f'<{x}sheet name="甲" sheetId="1" r:id="rId1"/>'
                f'<{x}sheet name="乙" sheetId="2" r:id="rId2"/></{x}sheets><{x}definedNames>'
                f'<{x}definedName name="px_a" localSheetId="0">\'甲\'!$B$3</{x}definedName>'
                f'<{x}definedName name="px_b" localSheetId="1">乙!C4</{x}definedName>'
                f'</{x}definedNames></{x}workbook>')
    rels = (f'<{x}Relationships>'
            f'<{x}Relationship Id="rId1" Type="t/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<{x}Relationship Id="rId2" Type="t/worksheet" Target="worksheets/sheet2.xml"/>'
            f'</{x}Relationships>')
    path = tmp_path / f"book{prefix}.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        for number in (1, 2):
            archive.writestr(f"xl/worksheets/sheet{number}.xml", "<worksheet><sheetData/></worksheet>")
    with open_checked_workbook(path) as checked:
        index = workbook_index(checked)
    return index.names, index.worksheets, index.complete


@pytest.mark.parametrize("prefix", ["x", "main"])
def test_a_namespace_prefix_gives_the_same_index(tmp_path, prefix):
    plain = _prefixed_or_not(tmp_path, "")
    assert plain == ({"甲": {"px_a": (2, 1)}, "乙": {"px_b": (3, 2)}}, ["甲", "乙"], True)
    assert _prefixed_or_not(tmp_path, prefix) == plain
