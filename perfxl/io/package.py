"""Keep a re-saved workbook package sound: openpyxl's comment drawings, mended before saving.

Two openpyxl behaviours would make Excel ask to repair a workbook that perfxl re-saves
with its VBA project kept (``keep_vba=True``):

* a sheet that gets new notes is given ``commentsDrawing<n>.vml`` by count, which can be the
  name another sheet already uses: the package then holds two parts of one name;
* a sheet whose notes were all removed (清除标记) keeps its link to a comment drawing that is
  no longer written: a relationship to a missing part.

``prepare_for_save`` resets those links so openpyxl writes one fresh drawing per sheet with
notes, and none for sheets without. Drawings Excel made (``vmlDrawing<n>.vml``, which may
hold form controls) are left as they are. ``package_problems`` lists what is wrong with a
saved package (for tests and checks).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

_KEPT_VML = re.compile(r"xl/drawings/.*vmlDrawing\d+\.vml$")  # what openpyxl copies over
_TARGET = re.compile(rb'Target="([^"]+)"(?:\s+TargetMode="(\w+)")?')


def prepare_for_save(book) -> None:
    """Reset comment-drawing links that openpyxl would write wrongly (see module doc)."""
    for sheet in book.worksheets:
        drawing = getattr(sheet, "legacy_drawing", None)
        if drawing is None:
            continue
        has_notes = any(cell.comment for row in sheet.iter_rows() for cell in row)
        copied_over = bool(_KEPT_VML.match(drawing)) and book.vba_archive is not None
        if has_notes and not copied_over:
            sheet.legacy_drawing = None  # openpyxl writes a fresh, uniquely named drawing
        elif not has_notes and not copied_over:
            sheet.legacy_drawing = None  # nothing would be written for the link to point at


def package_problems(path: str | Path) -> list[str]:
    """Duplicate part names and relationships to missing parts, as readable lines."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        present = set(names)
        problems = [f"duplicate part {name}" for name in sorted(present)
                    if names.count(name) > 1]
        for rels in (n for n in present if n.endswith(".rels")):
            source_dir = posixpath.dirname(posixpath.dirname(rels))
            for target, mode in _TARGET.findall(archive.read(rels)):
                if mode == b"External":
                    continue
                target = target.decode()
                part = (target.lstrip("/") if target.startswith("/")
                        else posixpath.normpath(posixpath.join(source_dir, target)))
                if part not in present:
                    problems.append(f"{rels} points at missing {part}")
    return problems
