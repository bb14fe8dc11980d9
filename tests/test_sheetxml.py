"""Sheet XML written by hand: table rows without cell addresses, the background writer."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfxl.consolidate.sheetxml import _BackgroundWriter, render_cell, render_table


def _sheet_rows(tmp_path, rows_xml: str) -> list[tuple]:
    """The rows openpyxl reads from a one-sheet workbook whose body is ``rows_xml``."""
    book = openpyxl.Workbook()
    book.active.append(["a", "b", "c", "d"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    import zipfile

    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("</sheetData>", rows_xml + "</sheetData>").encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    ws = openpyxl.load_workbook(path)["Sheet"]
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=2, max_col=4)]


def test_table_cells_keep_their_columns_across_gaps_and_batches(tmp_path):
    columns = [[1, 2, 3, 4, 5], ["x", None, "", "x", "y&<z>"],
               [Decimal("1.50"), None, Decimal("-2"), Decimal("0.0"), None], ["p", "q", "r", "s", "t"]]
    xml = b"".join(render_table(2, columns, ["", "", "", ""], batch=2)).decode()
    assert xml.count("<row ") == 5 and ' r="A' not in xml
    rows = _sheet_rows(tmp_path, xml)
    assert rows == [(1, "x", 1.5, "p"), (2, None, None, "q"), (3, None, -2, "r"),
                    (4, "x", 0, "s"), (5, "y&<z>", None, "t")]


def test_equal_values_of_other_kinds_are_not_confused():
    # True == 1 and Decimal("1.0") == 1: such columns are rendered cell by cell
    cells = b"".join(render_table(2, [[1, True, Decimal("1.0")]], [""])).decode()
    assert cells.count("<v>1</v>") == 2 and 't="b"' in cells and "<v>1.0</v>" in cells
    assert render_cell(None) == render_cell("") == "<c/>"


def test_decimals_are_written_as_they_are_whatever_was_rendered_before():
    # Decimal("1.0") == Decimal("1.00") == 1: the cells remembered for a column of Decimals
    # are found by the Decimal's text, across batches
    values = [Decimal("1.0"), Decimal("1.00"), None, Decimal("1E+2"), Decimal("1.0"), Decimal("-0.5")]
    xml = b"".join(render_table(2, [values], [' s="3"'], batch=2)).decode()
    assert [cell for cell in xml.replace("</row>", "").split('<row r="')[1:]] == [
        '2"><c s="3"><v>1.0</v></c>', '3"><c s="3"><v>1.00</v></c>', '4"><c/>',
        '5"><c s="3"><v>100</v></c>', '6"><c s="3"><v>1.0</v></c>', '7"><c s="3"><v>-0.5</v></c>']


def test_a_column_whose_kinds_change_between_batches_is_rendered_right():
    # the first batch is all texts (remembered by value), the second mixes in True and 1
    column = ["a", "b", "a", True, 1, "a"]
    xml = b"".join(render_table(2, [column], [""], batch=3)).decode()
    assert xml.count('t="inlineStr"><is><t>a</t>') == 3 and xml.count('t="b"><v>1</v>') == 1
    assert xml.count("<c><v>1</v></c>") == 1


def test_background_writer_writes_in_order_and_hands_errors_back():
    out = io.BytesIO()
    with _BackgroundWriter(out) as write:
        for index in range(100):
            write(b"%d," % index)
    assert out.getvalue() == b"".join(b"%d," % i for i in range(100))

    class Full(io.BytesIO):
        def write(self, data):
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        with _BackgroundWriter(Full()) as write:
            for _ in range(100):
                write(b"x")


def test_spliced_rows_are_the_same_whatever_the_chunk_size(tmp_path):
    import zipfile

    from perfxl.consolidate.sheetxml import splice_rows

    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    skeleton = tmp_path / "skeleton.xlsx"
    book.save(skeleton)
    columns = [list(range(1, 3001)), [f"文本{i % 7}" for i in range(3000)]]

    def body():
        return render_table(2, columns, ["", ""], batch=256)

    parts = {}
    for chunk_bytes in (10, 1 << 20):
        target = tmp_path / f"out{chunk_bytes}.xlsx"
        splice_rows(skeleton, target, {"xl/worksheets/sheet1.xml": body}, chunk_bytes=chunk_bytes)
        with zipfile.ZipFile(target) as package:
            parts[chunk_bytes] = package.read("xl/worksheets/sheet1.xml")
    assert parts[10] == parts[1 << 20]
    ws = openpyxl.load_workbook(tmp_path / "out10.xlsx")["Sheet"]
    assert ws.max_row == 3001 and ws["B3001"].value == "文本3" and ws["A3001"].value == 3000


def _spliced(tmp_path, name: str) -> "Path":
    from perfxl.consolidate.sheetxml import splice_rows

    book = openpyxl.Workbook()
    book.active.append(["a", "b"])
    skeleton = tmp_path / "skeleton.xlsx"
    book.save(skeleton)
    columns = [list(range(1, 5001)), [f"项目{i % 97}" for i in range(5000)]]
    target = tmp_path / name
    splice_rows(skeleton, target, {"xl/worksheets/sheet1.xml":
                                   lambda: render_table(2, columns, ["", ""])})
    return target


def test_the_body_deflated_by_zlib_ng_reads_back_with_pythons_own_zlib(tmp_path, monkeypatch):
    import zipfile
    import zlib

    from perfxl.consolidate import sheetxml
    from perfxl.io import deflate

    assert deflate.ACCELERATED  # a dependency: installed wherever perfxl is
    made = []
    monkeypatch.setattr(sheetxml, "deflater", lambda: made.append(deflate.deflater()) or made[-1])
    fast = _spliced(tmp_path, "fast.xlsx")
    monkeypatch.setattr(sheetxml, "ACCELERATED", False)
    plain = _spliced(tmp_path, "plain.xlsx")
    assert len(made) == 1 and type(made[0]).__module__.startswith("zlib_ng")
    with zipfile.ZipFile(fast) as package, zipfile.ZipFile(plain) as other:
        assert package.testzip() is None  # every CRC checked, inflated by the standard zlib
        info = package.getinfo("xl/worksheets/sheet1.xml")
        raw = _raw_entry(fast, info)
        assert zlib.decompress(raw, -15) == package.read(info.filename)
        assert package.read(info.filename) == other.read(info.filename)
        assert raw != _raw_entry(plain, other.getinfo(info.filename))  # another deflater
    ws = openpyxl.load_workbook(fast)["Sheet"]
    assert ws["A5001"].value == 5000 and ws["B5001"].value == "项目52"


def _raw_entry(path, info) -> bytes:
    """The entry's data as stored (deflated), read the way the input guard reads it."""
    from perfxl.io.guard import open_checked_workbook

    with open_checked_workbook(path) as book:
        return book._raw(book.infos[info.filename])


@given(st.text(max_size=12) | st.sampled_from(["项目", " 项目", "项目\u3000", "a&b", "≥93(%)"]))
def test_a_text_cell_rendered_once_is_what_render_cell_writes(text):
    from perfxl.consolidate.sheetxml import _ColumnCells

    for attr in ("", ' s="3"'):
        assert _ColumnCells(attr, decimals=False)[text] == render_cell(text, attr).encode()


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None)
       | st.sampled_from([Decimal("-0"), Decimal("0.00"), Decimal("1E+2"), Decimal("1E-7"),
                          Decimal("93"), Decimal("-12.50")]))
def test_a_decimal_cell_rendered_once_is_what_render_cell_writes(number):
    from perfxl.consolidate.sheetxml import _ColumnCells

    for attr in ("", ' s="2"'):
        assert _ColumnCells(attr, decimals=True)[str(number)] == render_cell(number, attr).encode()
