"""Terminal output shared by commands: findings grouped by form, and the count line."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape

from ..report import SEVERITY_ORDER, Report

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def print_findings(report: Report, lang: str, console: Console | None = None) -> None:
    """Each form's findings under its name: severity, code, cell, message, then the fix."""
    console = console or Console(highlight=False)
    zh = lang == "zh"
    fix_label = "修改" if zh else "fix"
    groups: dict[tuple[str, str, str], list] = {}
    for finding in report.findings:  # forms in the order they were read
        groups.setdefault((finding.file, finding.sheet, finding.form), []).append(finding)
    for (file, sheet, form), group in groups.items():
        where = f"{file} [{sheet}]" if sheet else file
        console.print(f"[bold]{escape(form)}[/bold]  [dim]{escape(where)}[/dim]", soft_wrap=True)
        for finding in sorted(group, key=lambda f: SEVERITY_ORDER[f.severity]):
            style = _STYLE[finding.severity]
            label = finding.severity_label(lang)
            label += " " * (8 - cell_len(label))
            console.print(
                f"  [{style}]{label}[/{style}]{finding.code}  {finding.cell:<7} "
                f"{escape(finding.message(lang))}", soft_wrap=True,
            )
            console.print(f"{'':20}[dim]{fix_label}: {escape(finding.fix(lang))}[/dim]",
                          soft_wrap=True)
    counts = report.counts()
    if zh:
        line = (f"{report.forms} 张表：错误 {counts['error']}，警告 {counts['warning']}，"
                f"提示 {counts['info']}")
    else:
        line = (f"{report.forms} forms: {counts['error']} errors, {counts['warning']} warnings, "
                f"{counts['info']} info")
    console.print(line)
