"""``perfxl template``: build the workbook template (form sheet, ribbon, VBA shim, UDFs)."""

from __future__ import annotations

import datetime as dt

import click

from .common import EXIT_OK


@click.command("template")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="The .xlsm file to write.")
@click.option("--year", type=click.IntRange(2000, 2100), default=None,
              help="Budget year shown in the form's （YYYY年度） line [default: next year].")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def command(output: str, year: int | None, force: bool) -> int:
    """Build the perfxl workbook template (.xlsm) — 生成申报表模板工作簿.

    The workbook has the 申报表 form sheet (dropdowns, total formulas, print setup),
    说明, 汇总 and 校验结果 sheets, the 绩效目标 ribbon tab and the VBA that runs
    perfxl's macros and worksheet functions through xlwings. It is built the same
    way on every system; the same sources and year give the same bytes.

    \b
    Example:
      perfxl template -o perfxl.xlsm --year 2026
    """
    from ..errors import WorkbookError
    from ..xl.build import build_template

    if not output.lower().endswith(".xlsm"):
        raise WorkbookError("模板文件必须以 .xlsm 结尾（含宏）",
                            "the template must be an .xlsm file (it holds macros)", file=output)
    year = year or dt.date.today().year + 1
    path = build_template(output, year=year, force=force)
    click.echo(f"已生成模板 / template written: {path} ({year}年度)")
    return EXIT_OK
