"""Inputs for the consolidation tests: the sample's forms as real workbooks on disk.

Each form of the published sample becomes one sheet, one text line per row and one tab
field per cell (the layout the parser reads from any sheet). No tests here.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import openpyxl

SAMPLE = Path(__file__).resolve().parent.parent / "perfxl" / "data" / "shanghai-kcb-2023.txt"
TITLE = "财政项目支出绩效目标申报表"

# The figures the sample publishes (7 forms of 上海推进科技创新中心建设办公室, 2023).
PUBLISHED = {
    "annual": Decimal("48341783.00"),
    "appropriation": Decimal("48341783.00"),
    "carryover": Decimal("0.00"),
    "other_annual": Decimal("0.00"),
    "remaining": Decimal("13450508.00"),
    "by_category": {
        "特定目标类": Decimal("47507893.00"),
        "其他运转类": Decimal("685890.00"),
        "其他人员类": Decimal("148000.00"),
    },
    "forms": 7,
    "indicators": 63,
}


def sample_blocks() -> list[str]:
    text = SAMPLE.read_text(encoding="utf-8")
    return [TITLE + block for block in text.split(TITLE) if block.strip()]


def sample_workbook(path: Path, blocks: list[str] | None = None) -> Path:
    """A workbook with one sheet per form (all seven sample forms unless ``blocks``)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for index, block in enumerate(blocks or sample_blocks(), 1):
        sheet = book.create_sheet(f"表{index}")
        for row, line in enumerate(block.split("\n"), start=1):
            for col, value in enumerate(line.split("\t"), start=1):
                if value:
                    sheet.cell(row, col, value).data_type = "s"  # `=100(%)` is text
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under a folder, by relative path."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
