"""The direct reader remembers cell values across sheets: only where the value cannot change.

A cell's value depends on its attributes and content and on the workbook's styles (which
number formats are dates); a shared string's also on the workbook's strings. The values
worked out for one workbook are reused for the next only under equal styles, never for
shared strings; a cell the reader does not handle is left to calamine every time.
"""

from __future__ import annotations

import datetime as dt

import pytest

from perfxl.io import xlsx_cells
from perfxl.io.xlsx_cells import DATE, NUMBER, Unsupported, sheet_rows

from test_xlsx_cells import _book, _c, assert_same


def _sheet(cells: str) -> bytes:
    return f'<worksheet><sheetData><row r="1">{cells}</row></sheetData></worksheet>'.encode()


@pytest.fixture(autouse=True)
def _forget():
    xlsx_cells._KNOWN.clear()
    xlsx_cells._KNOWN_KINDS.clear()
    yield
    xlsx_cells._KNOWN.clear()
    xlsx_cells._KNOWN_KINDS.clear()


def test_the_same_cell_under_other_styles_is_read_again():
    xml = _sheet(_c("A1", "<v>45292</v>", ' s="1"'))
    as_date = sheet_rows(xml, [], (NUMBER, DATE))
    as_number = sheet_rows(xml, [], (NUMBER, NUMBER))
    as_date_again = sheet_rows(xml, [], (NUMBER, DATE))
    assert as_date.rows == as_date_again.rows == [[dt.date(2024, 1, 1)]]
    assert as_number.rows == [[45292.0]]


def test_shared_strings_are_looked_up_in_each_workbook_s_own_list():
    xml = _sheet(_c("A1", "<v>0</v>", ' t="s"') + _c("B1", "<v>1</v>", ' t="s"'))
    assert sheet_rows(xml, ["x", "y"], ()).rows == [["x", "y"]]
    assert sheet_rows(xml, ["甲", "乙"], ()).rows == [["甲", "乙"]]
    with pytest.raises(Unsupported):
        sheet_rows(xml, ["only one"], ())


def test_remembered_and_fresh_reads_agree_cell_for_cell():
    cells = (_c("A1", "<is><t> 标签 </t></is>", ' t="inlineStr"')
             + _c("B1", "<v>12.5</v>", ' s="1"')
             + _c("C1", "<f>B1*2</f><v/>", ' s="1"')
             + _c("D1", "<f>B1</f>", ' s="1"')
             + _c("E1", "<f>\"x\"</f><v></v>", ' t="str"')
             + _c("F1", "<v>1</v>", ' t="b"')
             + _c("G1", '<is><t xml:space="preserve"> 留 </t></is>', ' t="inlineStr"')
             + _c("H1", "<v />", ' s="1"'))
    xml = _sheet(cells)
    styles = (NUMBER, NUMBER)
    fresh = sheet_rows(xml, [], styles)
    remembered = sheet_rows(xml, [], styles)
    for read in (fresh, remembered):
        assert read.rows == [["标签", 12.5, "", "", "", True, " 留 "]]
        assert [[type(value) for value in row] for row in read.rows] == \
            [[str, float, str, str, str, bool, str]]
        assert read.uncalculated == frozenset({"C1", "D1", "E1"})
        assert read.filled == [[(0, "标签"), (1, 12.5), (5, True), (6, " 留 ")]]
    assert len(xlsx_cells._KNOWN) == 8


@pytest.mark.parametrize("cell", [
    _c("A1", "<v>1</v>", ' s="1" x="a/b"'),
    _c("A1", "<f>1</f>", ' x="a/b"'),
    '<c r="A1" s="1"/><v>1</v></c>',
])
def test_a_slash_in_a_cell_s_start_tag_leaves_the_sheet_to_calamine(cell):
    with pytest.raises(Unsupported):
        sheet_rows(_sheet(cell), [], (NUMBER, NUMBER))
    with pytest.raises(Unsupported):  # and again: nothing was remembered of it
        sheet_rows(_sheet(cell), [], (NUMBER, NUMBER))


def test_workbooks_sharing_cells_read_as_calamine_reads_them(tmp_path):
    label = _c("A1", "<is><t>项目名称</t></is>", ' t="inlineStr"')
    for number, (formats, value) in enumerate([([(0, None), (14, None)], "<v>45300</v>"),
                                               ([(0, None), (0, None)], "<v>45300</v>"),
                                               ([(0, None), (14, None)], "<v>45301</v>")]):
        cells = '<row r="1">' + label + _c("B1", value, ' s="1"') + "</row>"
        assert_same(_book(tmp_path, cells, formats=formats, name=f"{number}.xlsx"))


def test_each_matched_cell_body_is_taken_apart_as_it_was_matched():
    cells = [_c("A1", "<v>1</v>"), _c("B1", "<f>SUM(A1)</f><v>1</v>", ' s="2"'),
             _c("C1", '<f t="shared" si="0"/><v/>'), _c("D1", "<f>1</f>"),
             _c("E1", "<is><t/></is>", ' t="inlineStr"'), _c("F1", "", ' s="1"'),
             _c("G1", '<is><t xml:space="preserve"> a </t></is>', ' t="inlineStr"'),
             _c("H1", "<v></v>", ' t="str"')]
    bodies = [body for _, body in xlsx_cells._CELL.findall(_sheet("".join(cells)))]
    assert len(bodies) == len(cells)
    for cell, body in zip(cells, bodies):
        assert cell.encode().endswith(body + b"</c>")
        parts = xlsx_cells._CELL_BODY.fullmatch(body)
        assert parts is not None
        attributes, formula, element = parts.groups(b"")
        assert attributes + b">" + formula + element == body


def test_a_long_cell_is_read_each_time_and_not_remembered():
    text = "长" * 1000
    xml = _sheet(_c("A1", f"<is><t>{text}</t></is>", ' t="inlineStr"'))
    for _ in range(2):
        assert sheet_rows(xml, [], ()).rows == [[text]]
    assert not xlsx_cells._KNOWN
