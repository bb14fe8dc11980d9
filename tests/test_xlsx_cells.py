"""Reading cells straight from the sheet XML gives what python-calamine gives, cell for cell.

Each workbook here is read both ways: ``read_directly`` (perfxl's reader, None when it leaves
the workbook to calamine) and ``read_with_calamine``. Where the direct reader answers, its
rows, types included, must equal calamine's; where it does not, ``read_workbook`` must still
give calamine's rows.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfxl.grid import _filled
from perfxl.io.book_index import workbook_index
from perfxl.io.excelfile import read_directly, read_with_calamine, read_workbook
from perfxl.io.guard import open_checked_workbook
from perfxl.io.xlsx_cells import DATE, NUMBER, OTHER, format_code_kind

from lo_client import convert, require_libreoffice

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _styles(formats: list[tuple[int, str | None]]) -> str:
    """A styles part whose cell style i has the i-th number format (id, custom code or None)."""
    custom = "".join(f'<numFmt numFmtId="{number}" formatCode="{_attr(code)}"/>'
                     for number, code in formats if code is not None)
    xfs = "".join(f'<xf numFmtId="{number}"/>' for number, _ in formats)
    return (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'
            f'<numFmts>{custom}</numFmts><cellXfs count="{len(formats)}">{xfs}</cellXfs>'
            f'</styleSheet>')


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _book(tmp_path: Path, cells: str, shared: str | None = None,
          formats: list[tuple[int, str | None]] | None = None, workbook_pr: str = "",
          sheet: str | None = None, name: str = "book.xlsx") -> Path:
    """A minimal workbook with one worksheet whose sheetData is ``cells``."""
    formats = [(0, None)] if formats is None else formats
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship '
            f'Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC}">'
            f'{workbook_pr}<sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{DOC}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{DOC}/styles" Target="styles.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": sheet or (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
            f'{cells}</sheetData></worksheet>'),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{shared or ""}</sst>'),
        "xl/styles.xml": _styles(formats),
    }
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, text in parts.items():
            archive.writestr(part, text.encode("utf-8"))
    return path


def _both(path: Path):
    """(rows read directly or None, rows as calamine reads them) per sheet."""
    with open_checked_workbook(path) as checked:
        index = workbook_index(checked)
        direct = read_directly(path, checked, index)
        by_calamine = read_with_calamine(path, checked.data, index)
    rows = lambda grids: None if grids is None else [  # noqa: E731
        (grid.sheet, grid.rows, grid.uncalculated) for grid in grids]
    return rows(direct), rows(by_calamine)


def _typed(rows):
    """Rows with each value's type beside it: 1.0 and True, or a date and a datetime, differ."""
    return [(sheet, [[(type(value).__name__, value) for value in row] for row in grid], cells)
            for sheet, grid, cells in rows]


def _filled_as_grid_computes_it(path: Path) -> None:
    """The filled cells the direct reader hands the Grid are those the Grid would compute."""
    with open_checked_workbook(path) as checked:
        grids = read_directly(path, checked, workbook_index(checked)) or []
    for grid in grids:
        if grid.filled is not None:
            assert grid.filled == [_filled(values) for values in grid.rows]


def assert_same(path: Path, direct_expected: bool = True) -> list[list[object]]:
    _filled_as_grid_computes_it(path)
    direct, by_calamine = _both(path)
    assert (direct is not None) == direct_expected
    if direct is not None:
        assert _typed(direct) == _typed(by_calamine)
    assert _typed([(g.sheet, g.rows, g.uncalculated) for g in read_workbook(path)]) == \
        _typed(by_calamine)
    return by_calamine[0][1] if by_calamine else []


def _c(address: str, body: str, attributes: str = "") -> str:
    return f'<c r="{address}"{attributes}>{body}</c>'


SHARED = ("<si><t>a&amp;b &#26085;</t></si>"
          "<si><r><t>前</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\"> 中 </t></r>"
          "<rPh sb=\"0\" eb=\"1\"><t>ぜん</t></rPh><phoneticPr fontId=\"1\"/></si>"
          "<si><t>l1\r\nl2_x000D_z_x005F_x000D_</t></si>"
          "<si><t>  trimmed \n</t></si><si><t>\u3000全角空格\u3000</t></si>"
          "<si><t/></si><si><t>&#32;entity space&#10;</t></si><si><t>cr&#13;</t></si>")


def test_shared_strings_rich_runs_escapes_and_trimming(tmp_path):
    cells = "".join(_c(f"{col}1", f"<v>{index}</v>", ' t="s"') for index, col in enumerate("ABCDEFGH"))
    rows = assert_same(_book(tmp_path, f'<row r="1">{cells}</row>', SHARED))
    assert rows[0][:3] == ["a&b 日", "前 中 ", "l1\nl2\rz_x000D_"]


def test_inline_strings_formula_text_and_booleans(tmp_path):
    cells = (_c("A1", "<is><t>  plain </t></is>", ' t="inlineStr"')
             + _c("B1", '<is><t xml:space="preserve"> kept </t></is>', ' t="inlineStr"')
             + _c("C1", "<is><t/></is>", ' t="inlineStr"')
             + _c("D1", "<f>A1&amp;B1</f><v>  x &lt;y&gt; </v>", ' t="str"')
             + _c("E1", "<f>1=1</f><v>1</v>", ' t="b"') + _c("F1", "<v>0</v>", ' t="b"'))
    rows = assert_same(_book(tmp_path, f'<row r="1">{cells}</row>'))
    assert rows == [["plain", " kept ", "", "  x <y> ", True, False]]


def test_numbers_and_dates_by_number_format(tmp_path):
    formats = [(0, None), (4, None), (14, None), (31, None), (164, 'yyyy"年"m"月"d"日"'),
               (165, "#,##0.00_);[Red]\\(#,##0.00\\)"), (166, "G/通用格式"), (167, '0.00"元"'),
               (168, "[$-804]yyyy-mm-dd;@"), (57, None)]
    cells = "".join(_c(f"{chr(65 + style)}1", f"<v>{value}</v>", f' s="{style}"')
                    for style, value in enumerate(
                        ["47594200", "1234.5", "45292", "45292", "45658", "-0.25", "1E-3",
                         "+5", "45292", "45292"]))
    rows = assert_same(_book(tmp_path, f'<row r="1">{cells}</row>', formats=formats))
    assert rows[0][:5] == [47594200.0, 1234.5, dt.date(2024, 1, 1), dt.date(2024, 1, 1),
                           dt.date(2025, 1, 1)]


def test_formulas_without_a_value_and_the_rectangle(tmp_path):
    cells = ('<row r="2">' + _c("B2", "<f>1+1</f>") + _c("C2", "<f>1+1</f><v />")
             + _c("D2", '<f t="shared" ref="D2:D3" si="0">C2</f><v>2</v>') + "</row>"
             + '<row r="3">' + _c("D3", '<f t="shared" si="0"/><v>3</v>')
             + _c("E3", "<f>\"\"</f><v></v>", ' t="str"') + '<c r="H3" s="0"/></row>'
             + '<row r="5">' + _c("A5", "<is><t></t></is>", ' t="inlineStr"') + "</row>")
    path = _book(tmp_path, cells)
    rows = assert_same(path)
    assert len(rows) == 5 and len(rows[0]) == 5  # E3's empty text counts; H3 holds nothing
    with open_checked_workbook(path) as checked:
        grids = read_directly(path, checked, workbook_index(checked))
    assert grids[0].uncalculated == frozenset({"B2", "C2", "E3"})


def test_empty_and_formula_only_sheets(tmp_path):
    assert assert_same(_book(tmp_path, "", name="empty.xlsx")) == []
    assert assert_same(_book(tmp_path, '<row r="2">' + _c("B2", "<f>1</f>") + "</row>",
                             name="formula.xlsx")) == []


@pytest.mark.parametrize("cells, shared, formats, workbook_pr", [
    pytest.param(_c("A1", "<v>#DIV/0!</v>", ' t="e"'), None, None, "", id="error"),
    pytest.param(_c("A1", "<v>2024-01-01T00:00:00</v>", ' t="d"'), None, None, "", id="iso-date"),
    pytest.param(_c("A1", "<v>45292.5</v>", ' s="1"'), None, [(0, None), (14, None)], "",
                 id="date-with-time"),
    pytest.param(_c("A1", "<v>0.5</v>", ' s="1"'), None, [(0, None), (20, None)], "", id="time"),
    pytest.param(_c("A1", "<v>1.5</v>", ' s="1"'), None, [(0, None), (46, None)], "",
                 id="duration"),
    pytest.param(_c("A1", "<v>30</v>", ' s="1"'), None, [(0, None), (14, None)], "",
                 id="before-march-1900"),
    pytest.param(_c("A1", "<v>100</v>", ' s="1"'), None, [(0, None), (14, None)],
                 '<workbookPr date1904="1"/>', id="1904"),
    pytest.param('<c s="0" t="inlineStr"><is><t>no address</t></is></c>', None, None, "",
                 id="no-address"),
    pytest.param(_c("A1", "<is><r><t>a</t></r><r><t>b</t></r></is>", ' t="inlineStr"'), None,
                 None, "", id="rich-inline"),
    pytest.param(_c("A1", "\n  <v>1</v>\n", ""), None, None, "", id="pretty-printed"),
    pytest.param(_c("A1", "<v> 5 </v>", ""), None, None, "", id="spaced-number"),
    pytest.param(_c("A1", "<v>0</v>", ' t="s"'), "<si/>", None, "", id="empty-item"),
    pytest.param(_c("A1", "<v>1</v>", ' s="1"'), None, [(0, None), (164, "h:mm")], "",
                 id="custom-time"),
])
def test_what_the_direct_reader_leaves_to_calamine(tmp_path, cells, shared, formats, workbook_pr):
    assert_same(_book(tmp_path, f'<row r="1">{cells}</row>', shared, formats, workbook_pr),
                direct_expected=False)


def test_a_prefixed_namespace_is_left_to_calamine(tmp_path):
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
             '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    assert_same(_book(tmp_path, "", sheet=sheet), direct_expected=False)


@pytest.mark.parametrize("code, kind", [
    ("#,##0.00", NUMBER), ("G/通用格式", NUMBER), ('0.00"元"', NUMBER), ("0.0E+00", NUMBER),
    ("#,##0.00_);[Red]\\(#,##0.00\\)", NUMBER), ('"dd"0', NUMBER), ("\\d0", NUMBER),
    ("yyyy-mm-dd", DATE), ('yyyy"年"m"月"d"日"', DATE), ("[$-804]yyyy/m/d", DATE),
    ("mmm-yy", DATE), ("d-mmm;@", DATE),
    ("h:mm", OTHER), ("yyyy-mm-dd hh:mm", OTHER), ("[h]:mm:ss", OTHER), ("m/d/yy h:mm AM/PM", OTHER),
])
def test_format_codes_classified_as_calamine_reads_them(tmp_path, code, kind):
    assert format_code_kind(code) == kind
    path = _book(tmp_path, '<row r="1">' + _c("A1", "<v>45292</v>", ' s="1"') + "</row>",
                 formats=[(0, None), (164, code)])
    direct, by_calamine = _both(path)
    value = by_calamine[0][1][0][0]
    if kind == NUMBER:
        assert value == 45292.0 and direct == by_calamine
    elif kind == DATE:
        assert value == dt.date(2024, 1, 1) and direct == by_calamine
    else:
        assert direct is None


def test_every_builtin_number_format_as_calamine_reads_it(tmp_path):
    formats = [(number, None) for number in range(82)]
    read_directly_count = 0
    for style in range(82):
        cell = _c("A1", "<v>45292</v>", f' s="{style}"')
        path = _book(tmp_path, f'<row r="1">{cell}</row>', formats=formats, name=f"{style}.xlsx")
        direct, by_calamine = _both(path)
        assert direct is None or _typed(direct) == _typed(by_calamine), style
        read_directly_count += direct is not None
    assert read_directly_count == 81  # all but 46, a duration


_TEXT = st.lists(st.sampled_from(list("ab 中文\u3000\t\n\r&<>\"'_x0D;#") + ["_x000D_", "&amp;"]),
                 max_size=8).map("".join)


@given(texts=st.lists(_TEXT, min_size=1, max_size=6),
       numbers=st.lists(st.decimals(allow_nan=False, allow_infinity=False, places=2,
                                    min_value=-10**12, max_value=10**12), max_size=4))
def test_openpyxl_workbooks_read_the_same_both_ways(tmp_path_factory, texts, numbers):
    book = openpyxl.Workbook()
    sheet = book.active
    for column, text in enumerate(texts, start=1):
        sheet.cell(row=1, column=column, value=text)
    for column, number in enumerate(numbers, start=1):
        sheet.cell(row=3, column=column, value=float(number))
    sheet.cell(row=4, column=2, value=dt.date(2025, 12, 31)).number_format = "yyyy-mm-dd"
    path = tmp_path_factory.mktemp("book") / "openpyxl.xlsx"
    book.save(path)
    assert_same(path)


def _real_workbooks(tmp_path: Path) -> list[Path]:
    from perfxl.io.formsheet import write_forms_workbook
    from perfxl.io import read_forms

    forms = read_forms(Path(__file__).resolve().parent.parent / "perfxl" / "data"
                       / "shanghai-kcb-2023.txt")
    written = tmp_path / "forms.xlsx"
    write_forms_workbook(forms, written)
    template = Path(__file__).resolve().parent.parent / "perfxl" / "data" / "perfxl.xlsm"
    return [written, template]


def test_perfxl_workbooks_read_the_same_both_ways(tmp_path):
    for path in _real_workbooks(tmp_path):
        assert_same(path)


def test_libreoffice_saved_workbooks_read_the_same_both_ways(tmp_path):
    require_libreoffice()
    for path in _real_workbooks(tmp_path):
        saved = convert(path, "xlsx", tmp_path / "lo" / path.stem)
        direct, by_calamine = _both(saved)
        assert direct is not None, "LibreOffice's sheets are in the shapes read directly"
        assert _typed(direct) == _typed(by_calamine)


def test_cells_out_of_order_are_read_and_left_to_the_grid_to_sort(tmp_path):
    cells = ('<row r="1">' + _c("B1", "<v>2</v>") + _c("A1", "<v>1</v>") + "</row>"
             + '<row r="2">' + _c("A2", "<v>3</v>") + _c("A2", "<v>4</v>") + "</row>")
    path = _book(tmp_path, cells)
    assert assert_same(path) == [[1.0, 2.0], [4.0, ""]]
    with open_checked_workbook(path) as checked:
        grid = read_directly(path, checked, workbook_index(checked))[0]
    assert grid.filled is None and grid.nonempty(0) == [(0, 1.0), (1, 2.0)]
    assert grid.nonempty(1) == [(0, 4.0)]
