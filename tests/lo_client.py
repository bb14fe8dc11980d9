"""LibreOffice headless as the reference client: recalculate workbooks, render them to PDF/PNG.

Tests that need it call ``require_libreoffice()``: locally it skips with a reason when
LibreOffice is missing; in CI (``PERFXL_REQUIRE_LIBREOFFICE=1``, set by ``.ci/run``) a
missing LibreOffice is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

# LibreOffice keeps cached formula values unless told to recalculate on load.
_RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_libreoffice() -> str:
    """The soffice path; skip (locally) or fail (CI) when LibreOffice is not installed."""
    path = soffice()
    if path:
        return path
    if os.environ.get("PERFXL_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail("LibreOffice (soffice) is required in CI but was not found")
    pytest.skip("LibreOffice (soffice) is not installed; `make test` installs it on Debian")


def _profile_dir() -> Path:
    profile = Path(tempfile.mkdtemp(prefix="perfxl-lo-profile-"))
    user = profile / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(_RECALC_PROFILE, encoding="utf-8")
    return profile


def convert(path: Path, fmt: str, outdir: Path, timeout: int = 180) -> Path:
    """Convert with a fresh profile that forces recalculation; returns the new file."""
    binary = require_libreoffice()
    profile = _profile_dir()
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        completed = subprocess.run(
            [
                binary,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                fmt,
                "--outdir",
                str(outdir),
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    target = outdir / (path.stem + "." + fmt.split(":")[0])
    if completed.returncode != 0 or not target.exists():
        raise RuntimeError(f"LibreOffice failed on {path}: {completed.stdout}{completed.stderr}")
    return target


def recalculate(path: Path, outdir: Path) -> Path:
    """A copy of the workbook as LibreOffice computes it (xlsx, formulas recalculated)."""
    return convert(path, "xlsx", outdir)


def to_pdf(path: Path, outdir: Path) -> Path:
    return convert(path, "pdf", outdir)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_to_png(pdf: Path, prefix: Path, dpi: int = 80) -> list[Path]:
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True)
    return sorted(prefix.parent.glob(prefix.name + "*.png"))
