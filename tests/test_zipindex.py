"""The zip directory read from memory agrees with zipfile, or leaves the archive to zipfile."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from perfxl.errors import InputError
from perfxl.io.guard import LIMITS, open_checked_workbook
from perfxl.io.zipindex import zip_entries

FIELDS = ("filename", "flag_bits", "compress_type", "CRC", "compress_size", "file_size",
          "header_offset")


def _zipfile_view(data: bytes) -> list[tuple]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [tuple(getattr(info, name) for name in FIELDS) for info in archive.infolist()]


def _ours(data: bytes) -> list[tuple] | None:
    entries = zip_entries(data)
    return None if entries is None else [
        tuple(getattr(entry, name) for name in FIELDS) for entry in entries]


def _archive(**options) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=options.pop("method", zipfile.ZIP_DEFLATED),
                         **options) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>" * 50)
        archive.writestr("xl/worksheets/表一.xml", "<worksheet/>")  # a UTF-8 name
        archive.writestr(zipfile.ZipInfo("docs/plain.txt"), b"x" * 1000)  # stored
        with archive.open("xl/streamed.xml", "w") as handle:  # written with a data descriptor
            handle.write(b"<a/>" * 100)
    return buffer.getvalue()


def test_plain_archives_read_as_zipfile_reads_them():
    data = _archive()
    assert _ours(data) == _zipfile_view(data)
    commented = io.BytesIO()
    with zipfile.ZipFile(commented, "w") as archive:
        archive.writestr("a.xml", "<a/>")
        archive.comment = b"a comment"
    assert _ours(commented.getvalue()) == _zipfile_view(commented.getvalue())


def test_real_workbooks_read_as_zipfile_reads_them():
    template = Path(__file__).resolve().parent.parent / "perfxl" / "data" / "perfxl.xlsm"
    data = template.read_bytes()
    assert _ours(data) == _zipfile_view(data)


@pytest.mark.parametrize("make", [
    pytest.param(lambda: b"MZ self-extractor stub" + _archive(), id="prefixed"),
    pytest.param(lambda: _archive()[:-10], id="truncated"),
    pytest.param(lambda: b"", id="empty"),
])
def test_other_archives_are_left_to_zipfile(make):
    assert _ours(make()) is None


def test_an_empty_archive_has_no_entries():
    data = b"PK\x05\x06" + bytes(18)
    assert _ours(data) == _zipfile_view(data) == []


def test_zip64_is_left_to_zipfile():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(70_000):  # more entries than a plain directory can count
            archive.writestr(f"{number}", b"")
    assert _ours(buffer.getvalue()) is None


def _workbook(tmp_path: Path, name: str, theme: str) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/theme/theme1.xml", theme)
        archive.writestr("xl/worksheets/sheet1.xml",
                         '<worksheet><dimension ref="A1:Z5000"/></worksheet>')
    return path


def test_parts_already_found_safe_are_not_trusted_beyond_what_was_checked(tmp_path):
    safe = _workbook(tmp_path, "safe.xlsx", "<theme/>")
    for _ in range(2):  # the second time from what the guard remembers
        with open_checked_workbook(safe):
            pass
    hostile = _workbook(tmp_path, "dtd.xlsx", '<!DOCTYPE t [<!ENTITY a "aaaa">]><theme/>')
    with pytest.raises(InputError, match="DTD"):
        open_checked_workbook(hostile)
    strict = replace(LIMITS, sheet_cells=1000)  # the same sheet, under a lower cell limit
    with pytest.raises(InputError, match="5000"):
        open_checked_workbook(safe, strict)
