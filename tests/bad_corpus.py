"""The corpus of hostile and broken inputs: how each file is made.

Each builder writes one input into a folder and returns its path. ``make_bad_corpus.py``
writes them all to ``tests/data/bad/``; ``test_robustness.py`` builds them in a temporary
folder and checks what each produces (the expectations live there, beside the assertions).
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path
from typing import Callable

import openpyxl

from perfxl.demo import sample_path
from perfxl.formdict import render_text
from perfxl.rules.examples import merge

Builder = Callable[[Path], Path]
BUILDERS: dict[str, Builder] = {}


def case(name: str):
    def register(builder: Builder) -> Builder:
        BUILDERS[name] = builder
        return builder

    return register


def sample_text() -> str:
    return sample_path().read_text(encoding="utf-8")


def form_blocks() -> list[str]:
    """The sample's seven forms, each as its own text (title included)."""
    title = "财政项目支出绩效目标申报表"
    return [title + block for block in sample_text().split(title) if block.strip()]


def put_text(sheet, text: str, first_row: int = 1) -> int:
    """Text lines into cells, one line per row, one tab field per cell; all as text."""
    row = first_row
    for row, line in enumerate(text.split("\n"), start=first_row):
        for col, value in enumerate(line.split("\t"), start=1):
            if value:
                cell = sheet.cell(row, col, value)
                cell.data_type = "s"
    return row + 1


def book_of(texts: list[str], path: Path, titles: list[str] | None = None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for index, text in enumerate(texts):
        sheet = book.create_sheet((titles or [])[index] if titles else f"项目{index + 1}")
        put_text(sheet, text)
    book.save(path)
    return path


def fragment_text(fragment: dict) -> str:
    return render_text(merge(fragment))


# ---- not a workbook at all -------------------------------------------------------------

@case("corrupt_zip")
def _corrupt_zip(folder: Path) -> Path:
    good = book_of(form_blocks()[:1], folder / "good.xlsx")
    data = good.read_bytes()
    good.unlink()
    path = folder / "corrupt_zip.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


@case("xls_renamed")
def _xls_renamed(folder: Path) -> Path:
    import xlwt

    book = xlwt.Workbook()
    book.add_sheet("Sheet1").write(0, 0, "项目名称")
    path = folder / "xls_renamed.xlsx"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@case("csv_renamed")
def _csv_renamed(folder: Path) -> Path:
    path = folder / "csv_renamed.xlsx"
    path.write_text("项目名称,年度资金申请总额\n科创中心建设工作经费,27315700.00\n", encoding="utf-8")
    return path


@case("pdf_renamed")
def _pdf_renamed(folder: Path) -> Path:
    path = folder / "pdf_renamed.xlsx"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    return path


@case("password_protected")
def _password(folder: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = book_of(form_blocks()[:1], folder / "plain.xlsx")
    path = folder / "password_protected.xlsx"
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("密码123", target)
    plain.unlink()
    return path


@case("empty_file")
def _empty_file(folder: Path) -> Path:
    path = folder / "empty_file.xlsx"
    path.write_bytes(b"")
    return path


@case("zip_bomb")
def _zip_bomb(folder: Path) -> Path:
    path = folder / "zip_bomb.xlsx"
    good = book_of(form_blocks()[:1], folder / "seed.xlsx")
    with zipfile.ZipFile(good) as seed, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in seed.infolist():
            bomb.writestr(info, seed.read(info))
        with bomb.open("xl/media/padding.bin", "w", force_zip64=True) as handle:
            block = b"\0" * 2**20
            for _ in range(1024):  # 1 GiB of zeros, about 1 MiB compressed
                handle.write(block)
    good.unlink()
    return path


@case("billion_laughs")
def _billion_laughs(folder: Path) -> Path:
    path = folder / "billion_laughs.xlsx"
    good = book_of(form_blocks()[:1], folder / "seed.xlsx")
    entities = "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    dtd = f'<!DOCTYPE worksheet [<!ENTITY lol0 "lol">{entities}]>'
    with zipfile.ZipFile(good) as seed, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in seed.infolist():
            data = seed.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                root = text.index("<worksheet")
                text = text[:root] + dtd + text[root:].replace("项目名称", "&lol9;", 1)
                data = text.encode("utf-8")
            out.writestr(info, data)
    good.unlink()
    return path


# ---- workbooks with no form, or too much ------------------------------------------------

@case("empty_workbook")
def _empty_workbook(folder: Path) -> Path:
    path = folder / "empty_workbook.xlsx"
    openpyxl.Workbook().save(path)
    return path


@case("sheet_without_form")
def _sheet_without_form(folder: Path) -> Path:
    path = folder / "sheet_without_form.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "预算明细"
    for row in (["科目", "金额"], ["办公费", 1200], ["差旅费", 3400]):
        book.active.append(row)
    book.save(path)
    return path


@case("million_rows")
def _million_rows(folder: Path) -> Path:
    """A real workbook whose one sheet has 1,000,000 rows (XML streamed, so it builds fast)."""
    path = folder / "million_rows.xlsx"
    seed = folder / "seed.xlsx"
    openpyxl.Workbook().save(seed)
    with zipfile.ZipFile(seed) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, source.read(info))
        with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?>'
                        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        b'<dimension ref="A1:A1000000"/><sheetData>')
            for start in range(1, 1_000_001, 10_000):
                sheet.write("".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'
                                    for r in range(start, start + 10_000)).encode())
            sheet.write(b"</sheetData></worksheet>")
    seed.unlink()
    return path


@case("ten_thousand_columns")
def _wide(folder: Path) -> Path:
    path = folder / "ten_thousand_columns.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("宽表")
    sheet.append(list(range(10_000)))
    book.save(path)
    return path


# ---- forms in odd shapes ----------------------------------------------------------------

@case("two_forms_one_sheet")
def _two_forms(folder: Path) -> Path:
    path = folder / "two_forms_one_sheet.xlsx"
    book = openpyxl.Workbook()
    blocks = form_blocks()
    next_row = put_text(book.active, blocks[0])
    put_text(book.active, blocks[1], next_row + 2)
    book.save(path)
    return path


@case("title_without_indicators")
def _no_indicators(folder: Path) -> Path:
    text = fragment_text({"no_indicator_block": True})
    return book_of([text], folder / "title_without_indicators.xlsx")


@case("merged_funding_block")
def _merged(folder: Path) -> Path:
    path = book_of(form_blocks()[1:2], folder / "merged_funding_block.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "项目资金 (元)":
                sheet.merge_cells(start_row=cell.row, start_column=1, end_row=cell.row + 3,
                                  end_column=1)
    book.save(path)
    return path


@case("amounts_as_text")
def _amounts_as_text(folder: Path) -> Path:
    return book_of(form_blocks()[:1], folder / "amounts_as_text.xlsx")


@case("fullwidth_digits")
def _fullwidth(folder: Path) -> Path:
    table = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
    text = fragment_text({"funding": {k: v.translate(table) for k, v in {
        "total": "1,200,000.00", "fiscal": "1,000,000.00", "other_total": "200,000.00",
        "annual": "1,200,000.00", "appropriation": "1,000,000.00", "carryover": "0.00",
        "other_annual": "200,000.00"}.items()}})
    return book_of([text], folder / "fullwidth_digits.xlsx")


@case("amounts_in_wan")
def _wan(folder: Path) -> Path:
    text = fragment_text({"money_label": "项目资金 (万元)", "funding": {
        "total": "120.00", "fiscal": "100.00", "other_total": "20.00", "annual": "120.00",
        "appropriation": "100.00", "carryover": "0.00", "other_annual": "20.00"}})
    return book_of([text], folder / "amounts_in_wan.xlsx")


@case("negative_amounts")
def _negative(folder: Path) -> Path:
    text = fragment_text({"funding": {"carryover": "-100.00", "annual": "1,199,900.00",
                                      "total": "1,199,900.00", "fiscal": "999,900.00"}})
    return book_of([text], folder / "negative_amounts.xlsx")


@case("three_decimals")
def _three_decimals(folder: Path) -> Path:
    text = fragment_text({"funding": {"annual": "1,200,000.005"}})
    return book_of([text], folder / "three_decimals.xlsx")


@case("formulas_without_cached_values")
def _formulas(folder: Path) -> Path:
    path = book_of([fragment_text({})], folder / "formulas_without_cached_values.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "年度资金申请总额":
                sheet.cell(cell.row, cell.column + 1).value = "=E7+E8+E9"
    book.save(path)
    return path


@case("excel_error_cells")
def _errors(folder: Path) -> Path:
    text = fragment_text({"funding": {"carryover": "#REF!"}, "add_indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "raw": "#VALUE!"}]})
    return book_of([text], folder / "excel_error_cells.xlsx")


@case("serial_dates")
def _serial(folder: Path) -> Path:
    path = book_of([fragment_text({"project": {"start": "X", "end": "Y"}})],
                   folder / "serial_dates.xlsx")
    book = openpyxl.load_workbook(path)
    for row in book.active.iter_rows():
        for cell in row:
            if cell.value in ("X", "Y"):
                cell.value = 44927 if cell.value == "X" else 45291  # 2023-01-01, 2023-12-31
    book.save(path)
    return path


@case("dates_as_text")
def _dates_text(folder: Path) -> Path:
    texts = [fragment_text({"project": {"name": f"日期写法{i}", "start": start, "end": end}})
             for i, (start, end) in enumerate([("2023年1月1日", "2023年12月31日"),
                                                 ("2023/1/1", "2023/12/31"),
                                                 ("2023.01.01", "2023.12.31"),
                                                 ("20230101", "20231231")])]
    return book_of(texts, folder / "dates_as_text.xlsx")


@case("external_links")
def _external(folder: Path) -> Path:
    path = book_of([fragment_text({})], folder / "external_links.xlsx")
    book = openpyxl.load_workbook(path)
    book.active["J1"] = "='[预算.xlsx]Sheet1'!$A$1"
    book.save(path)
    return path


@case("hidden_sheets")
def _hidden(folder: Path) -> Path:
    blocks = form_blocks()
    path = book_of(blocks[:3], folder / "hidden_sheets.xlsx", ["可见", "隐藏", "深度隐藏"])
    book = openpyxl.load_workbook(path)
    book["隐藏"].sheet_state = "hidden"
    book["深度隐藏"].sheet_state = "veryHidden"
    book.save(path)
    return path


@case("three_hundred_sheets")
def _many(folder: Path) -> Path:
    blocks = form_blocks()
    texts = [blocks[i % len(blocks)] for i in range(300)]
    return book_of(texts, folder / "three_hundred_sheets.xlsx")


# ---- text files -------------------------------------------------------------------------

@case("gbk_text")
def _gbk(folder: Path) -> Path:
    path = folder / "gbk_text.txt"
    path.write_bytes(sample_text().encode("gbk"))
    return path


@case("utf16_text")
def _utf16(folder: Path) -> Path:
    path = folder / "utf16_text.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + sample_text().encode("utf-16-le"))
    return path


@case("crlf_text")
def _crlf(folder: Path) -> Path:
    path = folder / "crlf_text.txt"
    path.write_bytes(sample_text().replace("\n", "\r\n").encode("utf-8"))
    return path


@case("undecodable_text")
def _undecodable(folder: Path) -> Path:
    path = folder / "undecodable_text.txt"
    path.write_bytes(bytes(range(128, 256)) * 16)
    return path


@case("empty_text")
def _empty_text(folder: Path) -> Path:
    path = folder / "empty_text.txt"
    path.write_text("", encoding="utf-8")
    return path


@case("text_without_form")
def _text_no_form(folder: Path) -> Path:
    path = folder / "text_without_form.txt"
    path.write_text("关于2023年部门预算的说明\n一、收入预算\t1000\n", encoding="utf-8")
    return path


@case("unknown_extension")
def _docx(folder: Path) -> Path:
    path = folder / "unknown_extension.docx"
    path.write_bytes(b"PK\x03\x04 not really a docx")
    return path


# ---- more odd but readable shapes ---------------------------------------------------------

@case("numbers_as_numbers")
def _numbers(folder: Path) -> Path:
    """Amounts typed as numbers (floats on disk), 0.1 + 0.2 style residue included."""
    path = book_of([fragment_text({})], folder / "numbers_as_numbers.xlsx")
    book = openpyxl.load_workbook(path)
    values = {"1,200,000.00": 1200000.0, "1,000,000.00": 0.1 + 0.2 + 999999.7, "200,000.00": 200000,
              "0.00": 0}
    for row in book.active.iter_rows():
        for cell in row:
            if cell.value in values:
                cell.value = values[cell.value]
    book.save(path)
    return path


@case("real_date_cells")
def _date_cells(folder: Path) -> Path:
    import datetime as dt

    path = book_of([fragment_text({})], folder / "real_date_cells.xlsx")
    book = openpyxl.load_workbook(path)
    for row in book.active.iter_rows():
        for cell in row:
            if cell.value in ("2023-01-01", "2023-12-31"):
                cell.value = dt.datetime.fromisoformat(cell.value)
                cell.number_format = "yyyy/m/d"
    book.save(path)
    return path


@case("merged_indicator_levels")
def _merged_levels(folder: Path) -> Path:
    """一级/二级 written once in merged cells, blank below: carried forward."""
    path = book_of([fragment_text({})], folder / "merged_indicator_levels.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.active
    rows = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "产出指标"]
    for row in rows[1:]:
        sheet.cell(row, 2).value = None
    sheet.merge_cells(start_row=rows[0], start_column=2, end_row=rows[-1], end_column=2)
    book.save(path)
    return path


@case("stray_quotes_and_spaces")
def _quotes(folder: Path) -> Path:
    text = fragment_text({"project": {"name": '"社区养老服务设施\u00a0运营补贴"',
                                      "nature": "其他经常性\u3000项目"}})
    return book_of([text], folder / "stray_quotes_and_spaces.xlsx")


@case("very_long_text")
def _long(folder: Path) -> Path:
    text = fragment_text({"goals": {"annual": "保障设施正常运营。" * 10_000}})
    return book_of([text], folder / "very_long_text.xlsx")


@case("thousand_indicators")
def _thousand(folder: Path) -> Path:
    rows = [{"level1": "产出指标", "level2": "数量指标", "name": f"服务站点{i}覆盖户数",
             "raw": f"≥{i + 1}(户)"} for i in range(1000)]
    return book_of([fragment_text({"add_indicators": rows})], folder / "thousand_indicators.xlsx")


@case("odd_sheet_names")
def _odd_names(folder: Path) -> Path:
    return book_of(form_blocks()[:2], folder / "odd_sheet_names.xlsx", ["A&B <c>", "项目 '1'"])


@case("chart_sheet_only")
def _chartsheet(folder: Path) -> Path:
    from openpyxl.chart import BarChart

    path = folder / "chart_sheet_only.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "数据"
    book.active.append([1, 2, 3])
    chart_sheet = book.create_chartsheet("图表")
    chart_sheet.add_chart(BarChart())
    book.save(path)
    return path
