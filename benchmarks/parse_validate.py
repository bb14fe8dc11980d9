"""Parse + validate speed per form, and reading a workbook: perfxl's reader vs plain openpyxl.

Prints one JSON line:
  {"forms", "parse_ms_per_form", "validate_ms_per_form", "parse_validate_ms_per_form",
   "read_perfxl_ms_per_book", "read_openpyxl_ms_per_book", "ratio_openpyxl_over_perfxl"}

Run: ./run bench   (or .venv/bin/python benchmarks/parse_validate.py [--repeat N])
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import openpyxl

from perfxl.demo import sample_path
from perfxl.grid import Grid
from perfxl.io import forms_of_grids, read_forms
from perfxl.io.textfile import text_grid
from perfxl.parse import parse_grid
from perfxl.rules import validate


def best_of(repeat: int, action) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def sample_workbook(folder: Path) -> Path:
    """The sample's forms as sheets: one sheet per form, one text line per row."""
    text = sample_path().read_text(encoding="utf-8")
    blocks = [b for b in text.split("财政项目支出绩效目标申报表") if b.strip()]
    book = openpyxl.Workbook()
    book.remove(book.active)
    for index, block in enumerate(blocks, 1):
        sheet = book.create_sheet(f"表{index}")
        sheet.append(["财政项目支出绩效目标申报表"])
        for row, line in enumerate(block.split("\n"), start=2):
            for col, value in enumerate(line.split("\t"), start=1):
                if value:
                    cell = sheet.cell(row, col, value)
                    cell.data_type = "s"  # `=100(%)` is text, not a formula
    path = folder / "sample.xlsx"
    book.save(path)
    return path


def openpyxl_forms(path: Path):
    """The plain approach: openpyxl load_workbook, read every cell, then the same parser."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    grids = [Grid([list(row) for row in sheet.iter_rows(values_only=True)], str(path), sheet.title)
             for sheet in book.worksheets]
    book.close()
    return forms_of_grids(grids, str(path))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    args, _ = parser.parse_known_args()  # `./run bench` passes every benchmark the same args
    text = sample_path().read_text(encoding="utf-8")
    grid = text_grid(text, "sample.txt")
    forms = parse_grid(grid)
    n = len(forms)
    parse_s = best_of(args.repeat, lambda: parse_grid(grid))
    validate_s = best_of(args.repeat, lambda: validate(forms))
    both_s = best_of(args.repeat, lambda: validate(parse_grid(grid)))
    with tempfile.TemporaryDirectory() as tmp:
        book = sample_workbook(Path(tmp))
        assert read_forms(book) == openpyxl_forms(book) == forms
        perfxl_s = best_of(args.repeat, lambda: read_forms(book))
        openpyxl_s = best_of(max(5, args.repeat // 5), lambda: openpyxl_forms(book))
    print(json.dumps({
        "forms": n,
        "parse_ms_per_form": round(parse_s / n * 1000, 4),
        "validate_ms_per_form": round(validate_s / n * 1000, 4),
        "parse_validate_ms_per_form": round(both_s / n * 1000, 4),
        "read_perfxl_ms_per_book": round(perfxl_s * 1000, 3),
        "read_openpyxl_ms_per_book": round(openpyxl_s * 1000, 3),
        "ratio_openpyxl_over_perfxl": round(openpyxl_s / perfxl_s, 1),
    }))


if __name__ == "__main__":
    main()
