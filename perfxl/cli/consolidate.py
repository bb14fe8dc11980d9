"""``perfxl consolidate``: many forms (files, folders) → one summary workbook (汇总)."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import click

from ..config import load_config
from ..consolidate.columns import MONEY
from ..consolidate.files import NothingToConsolidate, consolidate_files, rare_collections
from ..errors import WorkbookError
from ..io.atomic import atomic_write_text
from ..money import format_yuan
from ..rules.consolidation import parse_published_line
from .common import EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, echo_error, lang_option

if TYPE_CHECKING:
    from rich.console import Console

_DEFAULT_OUTPUT = {"xlsx": "汇总.xlsx"}
_TABLE_MONEY = ("annual", "appropriation", "carryover", "other_annual", "remaining", "total")


@click.command("consolidate")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Where to write the summary (default 汇总.xlsx; json/csv: standard output).")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "json", "csv"]), default="xlsx",
              show_default=True, help="xlsx: the summary workbook; json/csv: the tables as data.")
@click.option("-j", "--jobs", type=click.IntRange(1, 512),
              help="Worker processes reading files (default: the number of CPUs).")
@click.option("--published", metavar="TEXT",
              help="The department's published line, e.g. 编报绩效目标的项目14个，涉及项目预算资金"
                   "1099.22万元, checked against the summary (rule C02).")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="A TOML settings file (thresholds, lists, severities).")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@lang_option
def command(inputs, output, fmt, jobs, published, config_path, force, lang):
    """Consolidate forms (.xlsx, .xlsm, published .txt; folders are searched) into one summary.

    The workbook has 汇总 (one row per project; totals and subtotals by 项目类别, 主管部门
    and 项目性质 as live formulas; a chart), 指标明细 (every indicator) and 校验结果 (every
    finding). Duplicate projects (same name, unit and year) are flagged and counted once.
    Sources are only read, never changed.

    Exit code 0: done; 1: done, but some files could not be read (they are listed);
    2: nothing could be consolidated.

    \b
    Example:
      perfxl consolidate 各单位申报表/ -o 汇总.xlsx
      perfxl consolidate a.xlsx b.xlsm c.txt --format json -o 汇总.json --lang en
    """
    config = load_config(config_path)
    if published is not None:
        parse_published_line(published)  # a line it cannot read is refused before the run
    output = output or (Path(_DEFAULT_OUTPUT[fmt]) if fmt in _DEFAULT_OUTPUT else None)
    if output is not None and output.exists() and not force:
        raise WorkbookError("输出文件已存在；如需覆盖请加 --force",
                            "the output file exists; add --force to overwrite it", file=str(output))
    try:
        summary = _run(inputs, output, jobs, published, config, fmt, lang)
    except NothingToConsolidate as exc:
        for failure in exc.failures:
            echo_error(failure, lang)
        echo_error(exc, lang)
        return EXIT_UNREADABLE
    with rare_collections():  # writing makes many objects, and no garbage cycles
        _write(summary, output, fmt, force, lang)
    from rich.console import Console

    out = Console(stderr=output is None, soft_wrap=True)
    if not out.is_terminal:
        out.width = 200  # a log or a pipe: do not squeeze the amounts
    _print_totals(summary, out, lang)
    for failure in summary.failures:
        echo_error(failure, lang)
    if output is not None:
        out.print(("已写入 " if lang == "zh" else "written: ") + str(output))
    return EXIT_FINDINGS if summary.failures else EXIT_OK


def _run(inputs, output, jobs, published, config, fmt: str, lang: str):
    prepare = _imports_for(fmt)
    if not sys.stderr.isatty():  # a log or a pipe: no progress bar to keep up to date
        return consolidate_files(inputs, config=config, jobs=jobs, published=published,
                                 exclude=[output] if output else [], prepare=prepare)
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn)

    err = Console(stderr=True, soft_wrap=True)

    label = "读取" if lang == "zh" else "reading"
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def progress(done, total, path, forms):
            bar.update(task, total=total, completed=done)

        return consolidate_files(inputs, config=config, jobs=jobs, published=published,
                                 exclude=[output] if output else [], progress=progress,
                                 prepare=prepare)


def _imports_for(fmt: str):
    """What writing ``fmt`` and the closing table need, imported while the workers read
    (the parent is mostly waiting then; afterwards it would be waited for)."""
    def prepare() -> None:
        import rich.console  # noqa: F401
        import rich.table  # noqa: F401

        if fmt == "xlsx":
            with _openpyxl_without_numpy():
                import perfxl.io.summary  # noqa: F401
    return prepare


@contextmanager
def _openpyxl_without_numpy() -> Iterator[None]:
    """Import openpyxl without numpy (75 ms), when this process holds no numpy value at all.

    openpyxl imports numpy only to accept numpy numbers as cell values. A folder run's
    parent never imports pandas or numpy, so none can reach a cell; numpy stays importable
    afterwards.
    """
    if "numpy" in sys.modules or "openpyxl" in sys.modules:
        yield
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # ``import numpy`` fails fast
    try:
        import openpyxl  # noqa: F401

        yield
    finally:
        if sys.modules.get("numpy", 0) is None:
            del sys.modules["numpy"]


def _write(summary, output: Path | None, fmt: str, force: bool, lang: str) -> None:
    if fmt == "xlsx":
        with _openpyxl_without_numpy():
            from ..io.summary import write_summary_workbook

        write_summary_workbook(output, summary, lang=lang, force=force)
        return
    if fmt == "json":
        from ..consolidate.export import summary_dict

        text = json.dumps(summary_dict(summary), ensure_ascii=False, indent=2) + "\n"
        if output is None:
            click.echo(text, nl=False)
        else:
            atomic_write_text(output, text, force=force)
        return
    from ..consolidate.export import csv_tables

    tables = csv_tables(summary, lang)
    if output is None:
        click.echo(tables["汇总"], nl=False)
        return
    atomic_write_text(output, "\ufeff" + tables["汇总"], force=force)  # BOM: Excel reads UTF-8
    for name, text in tables.items():
        if name != "汇总":
            atomic_write_text(output.with_name(f"{output.stem}-{name}{output.suffix}"),
                              "\ufeff" + text, force=True)


def _print_totals(summary, console: Console, lang: str) -> None:
    from rich.table import Table

    zh = lang == "zh"
    headings = {c.key: c.heading(lang) for c in MONEY}
    table = Table(title="汇总（元）" if zh else "Summary (元)")
    table.add_column("项目类别" if zh else "category")
    table.add_column("项目数" if zh else "projects", justify="right")
    for key in _TABLE_MONEY:
        table.add_column(headings[key], justify="right")
    for record in summary.subtotal_rows["category"]:
        label = record["category"] or ("（未填）" if zh else "(blank)")
        table.add_row(label, str(record["forms"]), *[format_yuan(record[k]) for k in _TABLE_MONEY])
    total = summary.total_values
    table.add_row("合计" if zh else "total", str(total["forms"]),
                  *[format_yuan(total[k]) for k in _TABLE_MONEY], style="bold")
    console.print(table)
    counts = summary.finding_counts
    if zh:
        line = (f"{total['rows']} 张申报表，计入合计 {total['forms']} 张；重复 {total['duplicates']} 张"
                f"（未计入合计）；未能读取的文件 {len(summary.failures)} 个；"
                f"错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}")
    else:
        line = (f"{total['rows']} forms, {total['forms']} counted; {total['duplicates']} duplicates "
                f"(not counted); {len(summary.failures)} files unreadable; "
                f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info")
    console.print(line)
