"""The package writer: parts whole or streamed, deflated pieces made elsewhere, ZIP64 fields."""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
import tempfile
import zipfile
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfxl.io.zipwriter import ZipWriter, crc_combine, deflate_into


@given(st.binary(max_size=3000), st.binary(max_size=3000))
def test_crc_of_two_pieces_is_combined_from_theirs(first, second):
    assert crc_combine(zlib.crc32(first), zlib.crc32(second), len(second)) == zlib.crc32(first + second)


def test_crc_combine_over_more_zeros_than_one_block():
    first, second = b"head", bytes(3 * 2**20 + 5) + b"end"
    assert crc_combine(zlib.crc32(first), zlib.crc32(second), len(second)) == zlib.crc32(first + second)


def _package(limit: int, pieces_file) -> tuple[bytes, dict[str, bytes]]:
    """A package with a part given whole, an empty one, a non-ASCII name, and a streamed
    part that takes two pieces deflated elsewhere between its own bytes."""
    random.seed(7)
    noise = bytes(random.getrandbits(8) for _ in range(5000))
    first = deflate_into(pieces_file, [b"<row>1</row>" * 300, noise])
    second = deflate_into(pieces_file, [b"<row>2</row>" * 900])
    expected = {"a.xml": b"hello " * 100, "empty.xml": b"", "目录/名.xml": "中文".encode() * 50,
                "xl/worksheets/sheet1.xml": b"<head>" + b"<row>1</row>" * 300 + noise + b"<mid>"
                + b"<row>2</row>" * 900 + b"</tail>"}
    out = io.BytesIO()
    package = ZipWriter(out, limit=limit)
    package.write("a.xml", expected["a.xml"])
    package.write("empty.xml", b"", (2026, 12, 6, 12, 30, 11))
    package.write("目录/名.xml", expected["目录/名.xml"])
    with package.open("xl/worksheets/sheet1.xml", (2026, 12, 6, 12, 30, 10)) as part:
        part.write(b"<head>")
        part.write(first)
        part.write(b"<mid>")
        part.append(second)
        part.write(b"</tail>")
    package.close()
    return out.getvalue(), expected


@pytest.mark.parametrize("limit", [0xFFFFFFFF, 10])  # 10: every size and offset in ZIP64 fields
def test_zipfile_reads_back_every_part(limit):
    with tempfile.TemporaryFile() as pieces:
        data, expected = _package(limit, pieces)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None  # every part's CRC-32 checked
        assert {name: package.read(name) for name in package.namelist()} == expected
        infos = {info.filename: info for info in package.infolist()}
    assert infos["xl/worksheets/sheet1.xml"].date_time == (2026, 12, 6, 12, 30, 10)
    assert infos["empty.xml"].date_time == (2026, 12, 6, 12, 30, 10)  # DOS time: 2 s steps
    assert infos["目录/名.xml"].flag_bits & 0x800  # the name is UTF-8
    if limit == 10:
        assert b"PK\x06\x06" in data and b"PK\x06\x07" in data  # ZIP64 end record, locator
    else:
        assert b"PK\x06\x06" not in data


def _unzip() -> str:
    path = shutil.which("unzip")
    if path:
        return path
    if os.environ.get("PERFXL_REQUIRE_LIBREOFFICE") == "1":  # CI: ./run installs it
        pytest.fail("unzip is required in CI but was not found")
    pytest.skip("unzip is not installed; ./run test installs it on Debian")


def test_unzip_reads_the_package_too(tmp_path):
    """A second, independent reader: Info-ZIP's unzip tests every part's data and CRC."""
    unzip = _unzip()
    with tempfile.TemporaryFile() as pieces:
        data, _ = _package(0xFFFFFFFF, pieces)
    (tmp_path / "p.zip").write_bytes(data)
    result = subprocess.run([unzip, "-t", str(tmp_path / "p.zip")], capture_output=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert b"No errors detected" in result.stdout and result.stdout.count(b"OK") == 4


def test_a_piece_cut_short_is_an_error_not_a_broken_package():
    with tempfile.TemporaryFile() as pieces:
        piece = deflate_into(pieces, [b"x" * 100_000])
        pieces.truncate(piece.offset + piece.length // 2)
        package = ZipWriter(io.BytesIO())
        with pytest.raises(OSError, match="ended early"):
            with package.open("a.xml") as part:
                part.append(piece)
