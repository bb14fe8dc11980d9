"""``perfxl rollover``: year-end carry-over (结转) — this year's workbook → next year's."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..money import format_yuan
from ..report import Report
from .common import EXIT_FINDINGS, EXIT_OK, lang_option
from .output import print_findings


@click.command("rollover")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--spent", "spent_path", type=click.Path(path_type=Path),
              help="Spending figures (实际支出): a CSV or workbook with columns 项目名称, "
                   "[实施单位,] 实际支出. Default: a 实际支出 column in SOURCE itself (e.g. 汇总).")
@click.option("--spent-sheet", help="The sheet of the --spent workbook to read.")
@click.option("--last-year", "last_year", type=click.Path(path_type=Path),
              help="Last year's workbook: appropriations already made, and a cross-year check "
                   "(C05/C06) of SOURCE against it.")
@click.option("--next-year", type=int, help="The year to roll into (default: the forms' year + 1).")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The next-year workbook to write (.xlsm or .xlsx).")
@click.option("--template", type=click.Path(path_type=Path),
              help="The macro-enabled workbook to build an .xlsm output on "
                   "(default: the perfxl template).")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="How to print the carry-over report.")
@lang_option
def command(source, spent_path, spent_sheet, last_year, next_year, output, template, force,
            fmt, lang):
    """Roll a workbook forward: next year's forms with unspent money carried over.

    Multi-year projects still running next year get a next-year form: 上年结转资金 =
    this year's 年度资金申请总额 − 实际支出, and a proposed 当年财政拨款 (the fiscal money
    not yet appropriated, spread over the remaining years) marked for you to confirm.
    Projects ending this year are listed with their 结余 (not carried over). The output
    also holds a 结转情况 sheet. Exit code 0: written; 1: written, with error findings;
    2: an input could not be read or the output exists (use --force).

    \b
    Example:
      perfxl rollover 2023.xlsx --spent 执行数.csv -o 2024.xlsm
      perfxl rollover 2023.xlsm -o 2024.xlsm --last-year 2022.xlsm --lang en
    """
    from ..rollover import rollover_workbook

    result = rollover_workbook(source, spent_path, next_year, output=output, force=force,
                               last_year=last_year, spent_sheet=spent_sheet,
                               template=template, lang=lang)
    if fmt == "json":
        payload = result.report.to_dict()
        payload["output"] = str(result.output)
        payload["spending_from"] = result.spending_from or None
        payload["crossyear"] = [f.to_dict() for f in result.crossyear]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print(result, lang)
    errors = result.report.count("error") + sum(f.severity == "error" for f in result.crossyear)
    return EXIT_FINDINGS if errors else EXIT_OK


def _print(result, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    zh, report = lang == "zh", result.report
    console = Console(soft_wrap=False)
    table = Table(title=(f"{report.this_year} → {report.next_year} 结转情况" if zh else
                         f"carry-over {report.this_year} → {report.next_year}"))
    heads = (("项目名称", "project"), ("处理", "treatment"), ("年度资金申请总额", "annual"),
             ("实际支出", "spent"), ("结转下年", "carried over"), ("结余", "balance"),
             ("下年拨款建议数", "proposal"))
    for head in heads:
        table.add_column(head[0] if zh else head[1], overflow="fold")
    for p in report.projects:
        status = {"continues": ("结转下年", "continues"), "ends": ("本年结束", "ends"),
                  "skipped": ("未处理", "skipped")}[p.status]
        table.add_row(p.name, status[0] if zh else status[1],
                      *(format_yuan(v) for v in (p.annual, p.spent, p.carryover, p.balance,
                                                 p.proposal)))
    console.print(table)
    for project, note in report.notes:
        if note.kind != "proposal":
            label = {"error": "错误", "warning": "警告", "info": "提示"}[note.severity] if zh else note.severity
            console.print(f"{label}  {project.name}: {note.message(lang)}", highlight=False)
    if result.crossyear:
        print_findings(Report(tuple(result.crossyear), len(report.projects)), lang, console)
    where = result.spending_from or ("（未提供）" if zh else "(none given)")
    console.print(("实际支出来源：" if zh else "spending figures from: ") + where, highlight=False)
    console.print(("已写入：" if zh else "written: ") + str(result.output), highlight=False)
