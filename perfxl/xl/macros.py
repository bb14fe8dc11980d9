"""The ribbon's macros, written once against the workbook port.

The ribbon's VBA shim calls them through xlwings' RunPython, e.g.
``RunPython "import perfxl.xl.macros as m; m.validate_active_sheet()"``. Each takes
``book=None``: in Excel that means ``xw.Book.caller()`` (looked up inside the function);
a test or the CLI passes an ``xw.Book`` or a ``WorkbookPort`` (``perfxl validate --mark``
runs ``validate_all`` through the openpyxl adapter).

In Excel a refusal (``PerfxlError``) becomes a message box and nothing is changed;
headless, it is raised so the CLI can exit with code 2.
"""

from __future__ import annotations

import functools
import traceback
from pathlib import Path
from typing import Callable

from ..config import Config
from ..errors import FormParseError, PerfxlError, WorkbookError
from ..model import Form
from ..parse import parse_grid
from ..report import Report
from ..rules import validate
from . import findings_sheet, marks
from .port import WorkbookPort
from .settings import (
    FINDINGS_SHEET, INDICATOR_SHEET, MARKS_SHEET, RULES_SHEET, SETTINGS_SHEET, SUMMARY_SHEET,
    is_form_candidate, load_settings,
)
from .sheets import find_blank_form, forms_of_text, unique_name, write_form_into_copy

TITLE = "perfxl 绩效目标"

__all__ = [
    "validate_active_sheet", "validate_all", "clear_marks", "consolidate_book",
    "consolidate_folder", "new_project_sheet", "import_text", "show_rules", "rollover_book",
]


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def as_port(book=None) -> WorkbookPort:
    """The port for ``book``: the calling Excel workbook when None, an adapter for an xw.Book."""
    if isinstance(book, WorkbookPort):
        return book
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    from .xlwings_book import XlwingsBook

    return XlwingsBook(book)


def macro(func: Callable) -> Callable:
    """Run a macro on a port; in Excel, errors become a message box instead of a traceback."""

    @functools.wraps(func)
    def run(book=None, *args, **kwargs):
        port = as_port(book)
        lang = kwargs.get("lang") or "zh"
        try:
            return func(port, *args, **kwargs)
        except PerfxlError as exc:
            if not port.interactive:
                raise
            _quiet(port.status, None)
            port.alert(exc.message(lang), TITLE)
        except Exception as exc:
            if not port.interactive:
                raise
            _quiet(port.status, None)
            port.alert(_t(lang, "perfxl 内部错误：", "perfxl internal error: ")
                       + f"{type(exc).__name__}: {exc}\n\n" + traceback.format_exc(limit=3), TITLE)
        return None

    return run


def _quiet(action: Callable, *args) -> None:
    try:
        action(*args)
    except Exception:  # the status bar is a courtesy; never hide the real message behind it
        pass


# -- 校验 ------------------------------------------------------------------------------
@macro
def validate_active_sheet(port: WorkbookPort, *, config: Config | None = None,
                          lang: str | None = None) -> Report:
    """校验当前表: check the active sheet, mark its faulty cells, list the findings."""
    sheet = port.active_sheet()
    if not is_form_candidate(sheet):
        raise FormParseError("当前工作表不是绩效目标申报表，请先切换到项目表",
                             "the active sheet is not a form; switch to a project sheet first",
                             file=port.name, sheet=sheet)
    return _validate(port, [sheet], config, lang)


@macro
def validate_all(port: WorkbookPort, *, config: Config | None = None,
                 lang: str | None = None) -> Report:
    """校验全部: check every form sheet of the workbook."""
    return _validate(port, None, config, lang)


def _validate(port: WorkbookPort, only: list[str] | None, config: Config | None,
              lang: str | None) -> Report:
    settings = load_settings(port, config)
    lang = lang or settings.lang
    if port.is_read_only():
        raise WorkbookError("工作簿以只读方式打开，perfxl 未做任何修改",
                            "the workbook is open read-only; perfxl changed nothing", file=port.name)
    active = port.active_sheet() if port.interactive else None
    forms = _read_forms(port, only, lang)
    sheets = list(forms)
    _refuse_protected(port, sheets + [FINDINGS_SHEET, MARKS_SHEET])
    report = validate([f for fs in forms.values() for f in fs], settings.config,
                      across=only is None)
    port.status(_t(lang, "perfxl：正在标记…", "perfxl: marking…"))
    count = marks.apply(port, sheets, marks.plan(report.findings, sheets), lang)
    scope = (_t(lang, f"工作表「{only[0]}」", f"sheet '{only[0]}'") if only
             else _t(lang, f"全部 {len(sheets)} 个表", f"all {len(sheets)} sheets"))
    findings_sheet.rewrite(port, report, scope, lang)
    port.status(None)
    if active:
        port.activate(active)
    port.alert(_summary(report, count, lang), TITLE)
    return report


def _read_forms(port: WorkbookPort, only: list[str] | None, lang: str) -> dict[str, list[Form]]:
    """{sheet: forms} of the sheets to check; one read per sheet."""
    names = only if only is not None else [s for s in port.sheet_names() if is_form_candidate(s)]
    forms: dict[str, list[Form]] = {}
    for done, sheet in enumerate(names):
        _progress(port, done, len(names), lang)
        try:
            found = [f for f in parse_grid(port.read_grid(sheet)) if not _is_blank(f)]
        except FormParseError:
            if only is not None:
                raise FormParseError("此工作表不是绩效目标申报表（没有“项目名称”等标签）",
                                     "this sheet is not a performance-target form (no label such as 项目名称)",
                                     file=port.name, sheet=sheet) from None
            continue
        if found:
            forms[sheet] = found
        elif only is not None:
            raise FormParseError("这是一张空白申报表，还没有可校验的内容",
                                 "this is a blank form with nothing to check yet",
                                 file=port.name, sheet=sheet)
    if not forms:
        raise FormParseError("这不是 perfxl 工作簿：没有找到绩效目标申报表",
                             "not a perfxl workbook: no performance-target form found", file=port.name)
    return forms


def _is_blank(form: Form) -> bool:
    """The template's empty form sheet: nothing filled in at all."""
    project, funding, goals = form.project, form.funding, form.goals
    return not (any(getattr(project, name) for name in ("name", "nature", "category", "department",
                                                         "unit", "start", "end"))
                or funding.annual is not None or funding.total is not None
                or goals.overall or goals.annual or form.indicators)


def _progress(port: WorkbookPort, done: int, total: int, lang: str) -> None:
    step = max(1, total // 20)
    if total >= 5 and done % step == 0:
        port.status(_t(lang, f"perfxl：正在读取第 {done + 1}/{total} 个表…",
                       f"perfxl: reading sheet {done + 1}/{total}…"))


def _refuse_protected(port: WorkbookPort, sheets: list[str]) -> None:
    present = set(port.sheet_names())
    locked = [s for s in dict.fromkeys(sheets) if s in present and port.is_protected(s)]
    if locked:
        raise WorkbookError(
            f"工作表受保护（{'、'.join(locked)}），perfxl 未做任何修改；请先撤销工作表保护",
            f"protected sheet(s) ({', '.join(locked)}); perfxl changed nothing — unprotect first",
            file=port.name, sheet=locked[0])


def _summary(report: Report, count: marks.MarkCount, lang: str) -> str:
    c = report.counts()
    if not report.findings:
        return _t(lang, f"校验完成：{report.forms} 张申报表未发现问题。",
                  f"Check done: no problems in {report.forms} forms.")
    return _t(lang,
              f"校验完成：{report.forms} 张申报表，错误 {c['error']} 条，警告 {c['warning']} 条，"
              f"提示 {c['info']} 条；标记了 {count.marked} 个单元格。详见「{FINDINGS_SHEET}」。",
              f"Check done: {report.forms} forms, {c['error']} errors, {c['warning']} warnings, "
              f"{c['info']} info; {count.marked} cells marked. See '{FINDINGS_SHEET}'.")


# -- 清除标记 ----------------------------------------------------------------------------
@macro
def clear_marks(port: WorkbookPort, *, lang: str | None = None) -> marks.MarkCount:
    """清除标记: remove perfxl's fills and notes; give the user's own back."""
    lang = lang or load_settings(port).lang
    if port.is_read_only():
        raise WorkbookError("工作簿以只读方式打开，perfxl 未做任何修改",
                            "the workbook is open read-only; perfxl changed nothing", file=port.name)
    marked = marks.sheets_with_marks(port)
    if not marked:
        port.alert(_t(lang, "没有需要清除的 perfxl 标记。", "There are no perfxl marks to clear."), TITLE)
        return marks.MarkCount()
    _refuse_protected(port, marked + [MARKS_SHEET])
    count = marks.clear(port)
    text = _t(lang, f"已清除 {count.restored} 个单元格的标记。", f"Cleared the marks of {count.restored} cells.")
    if count.kept:
        text += _t(lang, f"另有 {count.kept} 个单元格在校验后被修改过，已保留现状。",
                   f" {count.kept} cells were changed after the check and were left as they are.")
    port.alert(text, TITLE)
    return count


# -- 汇总本簿 / 汇总文件夹 ----------------------------------------------------------------
@macro
def consolidate_book(port: WorkbookPort, *, config: Config | None = None, lang: str | None = None):
    """汇总本簿: rebuild 汇总 (and 指标明细) from every form sheet of this workbook."""
    from ..consolidate import consolidate
    from .consolidation import write_book_summary

    settings = load_settings(port, config)
    lang = lang or settings.lang
    if port.is_read_only():
        raise WorkbookError("工作簿以只读方式打开，perfxl 未做任何修改",
                            "the workbook is open read-only; perfxl changed nothing", file=port.name)
    forms = _read_forms(port, None, lang)
    _refuse_protected(port, [SUMMARY_SHEET, INDICATOR_SHEET])
    summary = consolidate([f for fs in forms.values() for f in fs], config=settings.config)
    write_book_summary(port, summary, lang)
    port.status(None)
    port.activate(SUMMARY_SHEET)
    port.alert(_consolidated(summary, lang, f"「{SUMMARY_SHEET}」"), TITLE)
    return summary


@macro
def consolidate_folder(port: WorkbookPort, folder: str | None = None, out: str | None = None, *,
                       config: Config | None = None, lang: str | None = None):
    """汇总文件夹: every workbook in a folder → a new summary workbook; sources are only read."""
    from .consolidation import consolidate_into, summary_path

    settings = load_settings(port, config)
    lang = lang or settings.lang
    folder = folder or port.ask_folder(_t(lang, "选择要汇总的文件夹", "Choose the folder to consolidate"))
    if not folder:
        return None
    target = Path(out) if out else summary_path(Path(folder))
    summary = consolidate_into(Path(folder), target, settings.config, lang, port.status)
    port.status(None)
    text = _consolidated(summary, lang, str(target))
    if summary.failures:
        text += _t(lang, f"另有 {len(summary.failures)} 个文件未能读取，见其中的「{FINDINGS_SHEET}」。",
                   f" {len(summary.failures)} files could not be read: see '{FINDINGS_SHEET}' in it.")
    port.alert(text, TITLE)
    return target


def _consolidated(summary, lang: str, where: str) -> str:
    from ..money import format_yuan

    total = summary.total_values  # plain values: no pandas for a message
    return _t(lang,
              f"汇总完成：{int(total['rows'])} 张申报表（计入合计 {int(total['forms'])} 张），"
              f"年度资金申请总额合计 {format_yuan(total['annual'])} 元，已写入{where}。",
              f"Consolidated {int(total['rows'])} forms ({int(total['forms'])} counted), annual "
              f"requests {format_yuan(total['annual'])} yuan, written to {where}.")


# -- 新建项目表 / 导入公开文本 / 规则说明 ------------------------------------------------------
@macro
def new_project_sheet(port: WorkbookPort, name: str | None = None, *, lang: str | None = None) -> str:
    """新建项目表: a copy of the blank form sheet under a new, unique name."""
    lang = lang or "zh"
    blank = find_blank_form(port)
    if blank is None:
        raise WorkbookError("找不到空白申报表（模板中未填写的申报表工作表）",
                            "no blank form sheet found (the template's empty form sheet)",
                            file=port.name)
    taken = {s.casefold() for s in port.sheet_names()}
    if name:
        title = unique_name(name, taken)
    else:
        base, number = _t(lang, "新项目", "New project "), 1
        while f"{base}{number}".casefold() in taken:
            number += 1
        title = f"{base}{number}"
    port.copy_sheet(blank, title)
    port.activate(title)
    return title


@macro
def import_text(port: WorkbookPort, path: str | None = None, *, lang: str | None = None) -> list[str]:
    """导入公开文本: read a published-form text file and add one sheet per form."""
    from ..io import read_grids

    lang = lang or "zh"
    path = path or port.ask_open_file(_t(lang, "选择公开的申报表文本", "Choose a published form text"),
                                      "文本文件 (*.txt;*.tsv),*.txt;*.tsv")
    if not path:
        return []
    pairs = [pair for grid in read_grids(path) for pair in forms_of_text(grid)]
    added: list[str] = []
    blank: str | None | bool = False  # looked up once, when first needed
    for form, lines in pairs:
        title = unique_name(form.project.name or "项目", port.sheet_names())
        if not port.write_form_sheet(title, form):
            if blank is False:
                blank = find_blank_form(port)
            if blank:
                write_form_into_copy(port, blank, title, form)
            else:  # not the perfxl template: the published layout, one line per row
                port.add_sheet(title)
                port.write_table(title, lines)
        added.append(title)
    if added:
        port.activate(added[0])
    port.alert(_t(lang, f"已导入 {len(added)} 张申报表：" + "、".join(added),
                  f"Imported {len(added)} forms: " + ", ".join(added)), TITLE)
    return added


@macro
def show_rules(port: WorkbookPort, *, lang: str | None = None) -> str:
    """规则说明: the rule catalogue on a sheet (code, severity, what it checks, fix, source)."""
    from ..report import SEVERITY_ZH
    from ..rules import registry

    lang = lang or load_settings(port).lang
    header = (["规则", "名称", "默认严重程度", "检查内容", "修改建议", "依据"] if lang == "zh"
              else ["Rule", "Name", "Default severity", "What it checks", "Fix", "Source"])
    rows = [header]
    for code, rule in registry().items():
        summary = rule.summary.zh if lang == "zh" else rule.summary.en
        fix = rule.fix.zh if lang == "zh" else rule.fix.en
        severity = SEVERITY_ZH[rule.severity] if lang == "zh" else rule.severity
        rows.append([code, rule.name, severity, summary, fix, rule.source])
    port.replace_sheet(RULES_SHEET, rows)
    port.activate(RULES_SHEET)
    return RULES_SHEET


@macro
def rollover_book(port: WorkbookPort, spent: str | None = None, out: str | None = None, *,
                  lang: str | None = None) -> Path:
    """结转下年: next year's workbook, written beside this one (which is only read).

    Spending figures come from ``spent`` (a file) or, as the library does, from a sheet of
    this workbook with a 实际支出 column (e.g. the filled 汇总 sheet).
    """
    from ..io.rollover_sheet import write_rollover_workbook
    from ..money import format_yuan
    from ..rollover import rollover_workbook

    lang = lang or load_settings(port).lang
    skip = {FINDINGS_SHEET, MARKS_SHEET, RULES_SHEET, SETTINGS_SHEET}
    grids = [port.read_grid(s) for s in port.sheet_names() if s not in skip and not s.startswith("_")]
    result = rollover_workbook(grids, spent)
    report = result.report
    target = Path(out) if out else _beside(port, f"{report.next_year}年度")
    write_rollover_workbook(result.forms, report, target, lang=lang)
    totals = report.totals()
    port.alert(_t(lang,
                  f"已生成 {report.next_year} 年度工作簿：{target}。{len(report.continuing)} 个项目结转下年，"
                  f"{len(report.ending)} 个项目本年结束，结转资金合计 {format_yuan(totals['carryover'])} 元；"
                  f"需要确认的事项见其中的「结转情况」表。",
                  f"Wrote the {report.next_year} workbook: {target}. {len(report.continuing)} projects "
                  f"continue, {len(report.ending)} end this year, carry-over "
                  f"{format_yuan(totals['carryover'])} yuan; see its 结转情况 sheet for what to confirm."),
              TITLE)
    return target


def _beside(port: WorkbookPort, label: str) -> Path:
    """A new file next to the workbook: ``申报表-2024年度.xlsm`` (numbered when taken)."""
    from ..io.formsheet import default_template

    if not port.path:
        raise WorkbookError("请先保存工作簿：新工作簿会写在它旁边",
                            "save the workbook first: the new workbook is written beside it",
                            file=port.name)
    here = Path(port.path)
    suffix = ".xlsm" if here.suffix.lower() == ".xlsm" and default_template() else ".xlsx"
    candidate, number = here.with_name(f"{here.stem}-{label}{suffix}"), 2
    while candidate.exists():
        candidate = here.with_name(f"{here.stem}-{label}({number}){suffix}")
        number += 1
    return candidate
