"""A marked sheet as LibreOffice renders it: the fills are on the page, the E04 note says what
is wrong. ``PERFXL_UPDATE_DOCS=1`` also writes the picture to docs/img/marked-sheet.png."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

from lo_client import pdf_text, pdf_to_png, to_pdf
from xl_support import SAMPLE_TEXT

from perfxl.grid import parse_a1
from perfxl.io import read_forms
from perfxl.io.formsheet import write_forms_workbook
from perfxl.xl.headless import mark_file
from perfxl.xl.marks import SEVERITY_FILL

DOCS_IMAGE = Path(__file__).resolve().parent.parent / "docs" / "img" / "marked-sheet.png"
PARK = "未来公园展厅运营项目"


def show_note(path: Path, out: Path, row: int, col: int, anchor: str) -> Path:
    """A copy whose note at (row, col) is shown (as if 'Show note' was clicked), for printing."""
    cell = f"<ns2:Row>{row}</ns2:Row><ns2:Column>{col}</ns2:Column>"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.endswith(".vml"):
                shapes = data.decode("utf-8").split("<ns1:shape ")
                for i, shape in enumerate(shapes):
                    if cell in shape:
                        shapes[i] = shape.replace("visibility:hidden", "visibility:visible").replace(
                            "<ns2:MoveWithCells />",
                            f"<ns2:MoveWithCells /><ns2:Visible /><ns2:Anchor>{anchor}</ns2:Anchor>")
                data = "<ns1:shape ".join(shapes).encode("utf-8")
            zout.writestr(item, data)
    return out


def pixels(pdf: Path, prefix: Path) -> dict[tuple[int, int, int], int]:
    """Colour → pixel count of the first page (pdftoppm's PPM output, read directly)."""
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(prefix)], check=True)
    data = next(prefix.parent.glob(prefix.name + "*.ppm")).read_bytes()
    magic, size, depth, body = data.split(b"\n", 3)
    assert magic == b"P6" and depth == b"255"
    counts: dict[tuple[int, int, int], int] = {}
    for i in range(0, len(body) - 2, 3):
        rgb = (body[i], body[i + 1], body[i + 2])
        counts[rgb] = counts.get(rgb, 0) + 1
    return counts


def _rgb(token: str) -> tuple[int, int, int]:
    return tuple(int(token[i:i + 2], 16) for i in (1, 3, 5))


def test_libreoffice_renders_the_marks(tmp_path):
    park = [f for f in read_forms(SAMPLE_TEXT) if f.project.name == PARK]
    source = tmp_path / "park.xlsx"
    write_forms_workbook(park, source)
    report = mark_file(source, tmp_path / "marked.xlsx")
    e04 = next(f for f in report.findings if f.code == "E04")
    row, col = parse_a1(e04.cell)
    shown = show_note(tmp_path / "marked.xlsx", tmp_path / "shown.xlsx", row, col,
                      f"2, 10, {row + 4}, 0, 6, 30, {row + 11}, 0")
    pdf = to_pdf(shown, tmp_path / "pdf")
    text = pdf_text(pdf)
    assert "社会效益指标" in text and "E04（错误）" in text
    counts = pixels(pdf, tmp_path / "pdf" / "page")
    assert counts.get(_rgb(SEVERITY_FILL["error"]), 0) > 500  # the two 一级 cells
    assert counts.get(_rgb(SEVERITY_FILL["warning"]), 0) > 500  # 项目总目标 (D04)
    if os.environ.get("PERFXL_UPDATE_DOCS") == "1":
        (page,) = [p for p in pdf_to_png(pdf, tmp_path / "pdf" / "png", dpi=90) if p.stem.endswith("1")]
        DOCS_IMAGE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, DOCS_IMAGE)
