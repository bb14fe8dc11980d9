"""The demo: the bundled published forms, imported, validated, totalled, written to files."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .errors import PerfxlError
from .formdict import form_to_dict
from .io import read_forms
from .io.atomic import atomic_write_text
from .model import Form
from .money import format_yuan
from .report import Report
from .rules import validate

SAMPLE_NAME = "shanghai-kcb-2023.txt"


def sample_path() -> Path:
    """The bundled sample: seven real forms published by a Shanghai office (2023)."""
    return Path(str(resources.files("perfxl") / "data" / SAMPLE_NAME))


def fresh_folder(requested: Path | None) -> Path:
    """A folder that holds nothing yet: the requested one (new or empty) or ./perfxl-demo[-N]."""
    if requested is not None:
        if requested.exists() and any(requested.iterdir()):
            raise PerfxlError("文件夹不是空的，演示不会覆盖其中的文件",
                              "the folder is not empty; the demo overwrites nothing",
                              file=str(requested))
        requested.mkdir(parents=True, exist_ok=True)
        return requested
    base = Path("perfxl-demo")
    candidate, number = base, 1
    while candidate.exists():
        number += 1
        candidate = Path(f"{base}-{number}")
    candidate.mkdir(parents=True)
    return candidate


@dataclass
class DemoResult:
    forms: list[Form]
    report: Report
    summary: object  # perfxl.consolidate.Summary: the department totals
    files: list[Path] = field(default_factory=list)

    def totals(self, lang: str = "zh") -> list[tuple[str, str]]:
        total = self.summary.total_values
        rows = [
            ("年度资金申请总额", "annual request", "annual"),
            ("当年财政拨款", "appropriation", "appropriation"),
            ("上年结转资金", "carry-over", "carryover"),
            ("其他资金", "other funds", "other_annual"),
            ("跨年度项目其他年度资金", "multi-year money of other years", "remaining"),
        ]
        return [(zh if lang == "zh" else en, format_yuan(total[key])) for zh, en, key in rows]


def run_demo(folder: Path, lang: str = "zh") -> DemoResult:
    from .consolidate import consolidate

    forms = read_forms(sample_path())
    report = validate(forms, across=True)
    result = DemoResult(forms, report, consolidate(forms))
    _write(result, folder / "forms.json", {"forms": [form_to_dict(f) for f in forms]})
    _write(result, folder / "findings.json", report.to_dict())
    _write_workbooks(result, folder, lang)
    return result


def _write(result: DemoResult, path: Path, payload: dict) -> None:
    atomic_write_text(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n", force=False)
    result.files.append(path)


def _write_workbooks(result: DemoResult, folder: Path, lang: str) -> None:
    """The forms as template sheets, and the department summary."""
    from .io.formsheet import write_forms_workbook

    from .io.summary import write_summary_workbook

    book = folder / "申报表.xlsx"
    write_forms_workbook(result.forms, book)
    result.files.append(book)
    summary = folder / "汇总.xlsx"
    write_summary_workbook(summary, result.summary, result.report, lang=lang, force=False)
    result.files.append(summary)
