"""The guard inflates each part once: heads of small parts kept for reading, identical parts
of another workbook taken from memory, damage still reported where it was before."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from perfxl.errors import InputError
from perfxl.io import guard, read_grids
from perfxl.io.deflate import ERRORS as INFLATE_ERRORS
from perfxl.io.guard import open_checked_workbook


def _workbook(tmp_path, name: str, parts: dict[str, bytes]):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part, body in parts.items():
            archive.writestr(part, body)
    return path


def _sheet(rows: int) -> bytes:
    cells = "".join(f'<row r="{n}"><c r="A{n}"><v>{n * 7919 % 1000}</v></c></row>'
                    for n in range(1, rows + 1))
    return (f'<worksheet><dimension ref="A1:A{rows}"/><sheetData>{cells}</sheetData>'
            "</worksheet>").encode()


def test_a_small_part_is_inflated_once_and_read_from_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "_INFLATED_PARTS", {})
    monkeypatch.setattr(guard, "_SAFE_PARTS", {})
    inflations = []
    real = guard.inflater
    monkeypatch.setattr(guard, "inflater", lambda: inflations.append(1) or real())
    body = _sheet(300)
    path = _workbook(tmp_path, "book.xlsx", {"xl/workbook.xml": b"<workbook/>",
                                             "xl/worksheets/sheet1.xml": body})
    with open_checked_workbook(path) as checked:  # the guard looks at the head of both parts
        info = checked.infos["xl/worksheets/sheet1.xml"]
        assert checked.head(info, 40) == body[:40]
        assert checked.read("xl/worksheets/sheet1.xml") == body
        assert checked.read("xl/worksheets/sheet1.xml") == body
        assert checked.read("xl/workbook.xml") == b"<workbook/>"
    assert len(inflations) == 2  # each part once


def test_a_large_part_gives_its_head_without_being_inflated_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "_WHOLE_PART_BYTES", 1000)
    body = _sheet(300)
    path = _workbook(tmp_path, "big.xlsx", {"xl/workbook.xml": b"<workbook/>",
                                            "xl/worksheets/sheet1.xml": body})
    with open_checked_workbook(path) as checked:
        info = checked.infos["xl/worksheets/sheet1.xml"]
        assert checked.head(info, 64) == body[:64]
        assert "xl/worksheets/sheet1.xml" not in checked._inflated
        assert checked.read("xl/worksheets/sheet1.xml") == body


def test_identical_parts_of_two_workbooks_give_the_same_bytes(tmp_path):
    styles = b"<styleSheet>" + b"<xf numFmtId='0'/>" * 200 + b"</styleSheet>"
    first = _workbook(tmp_path, "a.xlsx", {"xl/workbook.xml": b"<workbook/>",
                                           "xl/styles.xml": styles})
    second = _workbook(tmp_path, "b.xlsx", {"xl/workbook.xml": b"<workbook a='1'/>",
                                            "xl/styles.xml": styles})
    with open_checked_workbook(first) as one, open_checked_workbook(second) as two:
        assert one.read("xl/styles.xml") is two.read("xl/styles.xml")
        assert one.read("xl/styles.xml") == styles


def test_the_same_crc_and_sizes_with_other_stored_bytes_are_not_confused(tmp_path):
    # One text stored twice with different deflate settings: same CRC and size, other bytes;
    # then a part whose directory claims that CRC and size but whose bytes say something else.
    text = b"<a>" + b"x" * 3000 + b"</a>"
    other = b"<a>" + b"y" * 3000 + b"</a>"
    stored = {}
    for level in (1, 9):
        deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
        stored[level] = deflate.compress(text) + deflate.flush()
    for raw in stored.values():
        info = zipfile.ZipInfo("xl/a.xml")
        info.CRC, info.file_size = zlib.crc32(text), len(text)
        assert guard._inflate(info, raw) == text
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    forged = deflate.compress(other) + deflate.flush()
    info = zipfile.ZipInfo("xl/a.xml")
    info.CRC, info.file_size = zlib.crc32(text), len(text)
    with pytest.raises(zipfile.BadZipFile, match="xl/a.xml"):
        guard._inflate(info, forged)


def _damaged_late(tmp_path, name: str):
    """A workbook whose sheet inflates cleanly at the start and is damaged further on."""
    body = bytes(_sheet(2000))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", body)
    data = bytearray(buffer.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode())
    middle = start + info.compress_size * 3 // 4
    data[middle:middle + 40] = bytes(range(7, 47))
    path = tmp_path / name
    path.write_bytes(bytes(data))
    return path, body


def test_damage_past_the_head_is_reported_when_the_part_is_read(tmp_path):
    path, body = _damaged_late(tmp_path, "late.xlsx")
    with open_checked_workbook(path) as checked:  # the head is fine: the guard lets it pass
        info = checked.infos["xl/worksheets/sheet1.xml"]
        assert checked.head(info, 100) == body[:100]
        assert "xl/worksheets/sheet1.xml" not in checked._inflated
        with pytest.raises((zipfile.BadZipFile, *INFLATE_ERRORS)):
            checked.read("xl/worksheets/sheet1.xml")


def test_a_dtd_is_refused_in_a_part_inflated_whole(tmp_path):
    body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet/>'
    path = _workbook(tmp_path, "dtd.xlsx", {"xl/workbook.xml": b"<workbook/>",
                                            "xl/worksheets/sheet1.xml": body})
    with pytest.raises(InputError, match="DTD"):
        read_grids(path)


def test_the_parts_kept_whole_stay_within_a_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "_SAFE_PARTS", {})
    first, second = _sheet(300), _sheet(301)
    monkeypatch.setattr(guard, "_KEPT_BYTES", len(first) + 20)
    path = _workbook(tmp_path, "two.xlsx", {"xl/workbook.xml": b"<workbook/>",
                                            "xl/worksheets/sheet1.xml": first,
                                            "xl/worksheets/sheet2.xml": second})
    with open_checked_workbook(path) as checked:  # heads checked in directory order
        assert set(checked._inflated) == {"xl/workbook.xml", "xl/worksheets/sheet1.xml"}
        assert checked.read("xl/worksheets/sheet2.xml") == second


def test_a_part_inflating_to_much_is_not_remembered(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "_INFLATED_PARTS", {})
    small = b"<a>" + b"x" * 1000 + b"</a>"
    large = b"<a>" + b"x" * (guard._REMEMBERED_INFLATED_BYTES + 1) + b"</a>"
    for body in (small, large):
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        raw = deflate.compress(body) + deflate.flush()
        info = zipfile.ZipInfo("xl/a.xml")
        info.CRC, info.file_size = zlib.crc32(body), len(body)
        assert guard._inflate(info, raw) == body
    assert [data for _, data in guard._INFLATED_PARTS.values()] == [small]
