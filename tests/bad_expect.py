"""What each input of the bad-input corpus must produce (``bad_corpus.py`` makes the inputs).

``exit`` is ``perfxl validate``'s exit code; ``zh``/``en`` are fragments of the message on
stderr (unreadable inputs); ``codes`` are rule codes the findings must include; ``forms`` the
number of forms read. docs/robustness.md is generated from this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Expect:
    what: str
    exit: int
    zh: str = ""
    en: str = ""
    codes: tuple[str, ...] = ()
    forms: int | None = None


NOT_EXCEL = ("不是可读取的 Excel 工作簿", "not a readable Excel workbook")
NO_FORM = ("未找到绩效目标申报表", "no performance-target form")

EXPECT: dict[str, Expect] = {
    "corrupt_zip": Expect("an .xlsx cut in half", 2, *NOT_EXCEL),
    "xls_renamed": Expect("an Excel 97-2003 .xls renamed .xlsx", 2, "Excel 97-2003 (.xls)", ".xls"),
    "csv_renamed": Expect("a CSV file renamed .xlsx", 2, "文本或 CSV", "text or CSV"),
    "pdf_renamed": Expect("a PDF renamed .xlsx", 2, "PDF", "PDF"),
    "password_protected": Expect("an encrypted (password) workbook", 2, "密码保护", "password-protected"),
    "empty_file": Expect("a 0-byte .xlsx", 2, "文件是空的", "empty"),
    "zip_bomb": Expect("a workbook with 1 GiB of zeros packed into 1 MiB", 2, "压缩炸弹", "zip bomb"),
    "billion_laughs": Expect("XML entity expansion inside a sheet part", 2, "DTD",
                             "document type declaration"),
    "empty_workbook": Expect("a new, empty workbook", 2, *NO_FORM),
    "sheet_without_form": Expect("a budget table, no form", 2, "预算明细", "预算明细"),
    "million_rows": Expect("a sheet of 1,000,000 rows", 2, "过大", "too large"),
    "ten_thousand_columns": Expect("a sheet of 10,000 columns, no form", 2, *NO_FORM),
    "chart_sheet_only": Expect("a chart sheet and a data sheet, no form", 2, *NO_FORM),
    "two_forms_one_sheet": Expect("two forms one below the other on one sheet", 1, forms=2,
                                  codes=("E04",)),
    "title_without_indicators": Expect("title and header, no indicator table", 0, codes=("P05",),
                                       forms=1),
    "merged_funding_block": Expect("the 项目资金 label merged over the funding rows", 1, forms=1,
                                   codes=("E04",)),
    "amounts_as_text": Expect("amounts as text with thousands separators", 0, forms=1),
    "fullwidth_digits": Expect("amounts in full-width digits", 0, forms=1),
    "amounts_in_wan": Expect("a form declaring 项目资金 (万元)", 0, forms=1),
    "negative_amounts": Expect("a negative 上年结转资金", 1, codes=("F07",), forms=1),
    "three_decimals": Expect("an amount with 3 decimals", 1, codes=("F08",), forms=1),
    "formulas_without_cached_values": Expect("a total as a formula saved without its value", 0,
                                             codes=("P09",), forms=1),
    "excel_error_cells": Expect("#REF! in an amount, #VALUE! as an indicator value", 1,
                                codes=("F08", "V01"), forms=1),
    "serial_dates": Expect("dates as Excel serial numbers (44927)", 1, codes=("D08",), forms=1),
    "dates_as_text": Expect("dates as text: 2023年1月1日, 2023/1/1, 2023.01.01, 20230101", 0,
                            forms=4),
    "real_date_cells": Expect("dates as date cells", 0, forms=1),
    "external_links": Expect("a formula linking to another workbook", 0, forms=1),
    "hidden_sheets": Expect("forms on hidden and very hidden sheets", 1, forms=3),
    "three_hundred_sheets": Expect("300 form sheets in one workbook", 1, forms=300),
    "numbers_as_numbers": Expect("amounts as numbers, with float residue (0.1 + 0.2)", 0, forms=1),
    "merged_indicator_levels": Expect("一级 written once in a merged cell", 0, forms=1),
    "stray_quotes_and_spaces": Expect("stray quotes, NBSP and ideographic spaces in cells", 0,
                                      forms=1),
    "very_long_text": Expect("a 90,000-character goal", 0, forms=1),
    "thousand_indicators": Expect("1,006 indicators in one form", 0, forms=1),
    "odd_sheet_names": Expect("sheet names with &, <, > and quotes", 1, forms=2),
    "gbk_text": Expect("published text saved as GBK", 1, forms=7, codes=("E04",)),
    "utf16_text": Expect("published text saved as UTF-16 with BOM", 1, forms=7, codes=("E04",)),
    "crlf_text": Expect("published text with Windows line endings", 1, forms=7, codes=("E04",)),
    "undecodable_text": Expect("bytes that decode in no supported encoding", 2, "无法识别文本编码",
                               "cannot decode"),
    "empty_text": Expect("an empty .txt", 2, *NO_FORM),
    "text_without_form": Expect("a .txt that is not a form", 2, *NO_FORM),
    "unknown_extension": Expect("a .docx", 2, "不支持的文件类型", "unsupported file type"),
}

# Cases made at run time rather than by a builder (the file changes under perfxl's feet).
RUNTIME = {
    "disappears_while_read": Expect("the file is deleted between listing and reading", 2,
                                    "文件不存在", "file not found"),
    "locked_while_read": Expect("the file is locked (permission denied) while read", 2,
                                "没有读取权限", "permission denied"),
}


def robustness_markdown() -> str:
    lines = [
        "# Robustness: what perfxl does with hostile and broken inputs",
        "",
        "Generated from `tests/bad_expect.py` by `python tests/data/make_bad_corpus.py --docs`;",
        "`tests/test_robustness.py` builds every input and checks every line of this table",
        "(`perfxl validate` exit code, the message in Chinese and English, the findings), and",
        "that no input is modified. `python tests/data/make_bad_corpus.py` writes the inputs",
        "to `tests/data/bad/` to look at.",
        "",
        "Exit codes: 0 no error finding, 1 error findings, 2 the input cannot be read.",
        "",
        "| case | input | exit | message (zh / en) or findings |",
        "|---|---|---|---|",
    ]
    for name, expect in list(EXPECT.items()) + list(RUNTIME.items()):
        if expect.exit == 2:
            outcome = f"「{expect.zh}」 / “{expect.en}”"
        else:
            parts = [f"{expect.forms} form(s)"] if expect.forms is not None else []
            if expect.codes:
                parts.append("findings include " + ", ".join(expect.codes))
            outcome = "; ".join(parts) or "read normally"
        lines.append(f"| `{name}` | {expect.what} | {expect.exit} | {outcome} |")
    lines += [
        "",
        "Limits (in `perfxl/io/guard.py`): workbook file 200 MB, text file 50 MB, 500 MB",
        "uncompressed, 10,000 zip parts, compression ratio 200:1 for parts over 1 MiB, a sheet",
        "of at most 100,000 rows or 2,000,000 cells (as declared) and 100 MB of XML; XML parts",
        "with a DTD are refused. Peak memory on the 1,000,000-row sheet and the zip bomb stays",
        "under 500 MB (tested): both are refused before any spreadsheet library reads them.",
        "",
        "Nothing lost (`tests/test_nothing_lost.py`): a user's `.xlsm` with their own notes,",
        "fills, names and validation, marked by 校验 and cleared by 清除标记, is compared part",
        "by part with the original: VBA project and ribbon byte-identical, every sheet's fills,",
        "notes, formats, validation, conditional formats, merges and widths as before, and no",
        "duplicate or dangling package part. Inputs are never written without `--in-place`",
        "(then a backup comes first); outputs are written atomically and never over an",
        "existing file without `--force`.",
        "",
        "CSV exports (`perfxl consolidate --format csv`) put an apostrophe before text that a",
        "spreadsheet would run as a formula (starting with = + - @); JSON keeps values exactly.",
        "",
        "A worker process that dies while a folder run reads a file (a crash in a reading",
        "library, the system's out-of-memory killer, a kill) costs that file only",
        "(`tests/test_pool.py`, with real kills): it is listed as a failure naming it",
        "(「读取此文件时工作进程意外退出」 / “the worker process reading this file ended",
        "unexpectedly”), the run goes on with a new pool, and every other file is",
        "consolidated, in order; exit code 1, as for any file that cannot be read. A worker",
        "still on one file after 300 s (a reader caught in a loop) is stopped the same way,",
        "and the file named (「读取此文件超过 300 秒仍未完成」 / “took longer than 300 s”).",
        "",
    ]
    return "\n".join(lines)
