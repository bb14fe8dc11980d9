"""A zip package written part by part, where a part may take in deflated data made elsewhere.

The summary workbook's largest sheet can be rendered by two processes at once, each
deflating its own rows (``deflate_into``); the part is then put together without inflating
anything again: raw deflate pieces, each ending on a byte boundary (a sync flush) and not
marked final, follow one another, and the part's CRC-32 is combined from the pieces'.
Python's ``zipfile`` cannot take such pieces, so the package is written here, to the
format of PKWARE's APPNOTE (local headers, central directory, ZIP64 records when a size or
an offset needs them), which ``zipfile``, Excel, LibreOffice and calamine read.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterable

__all__ = ["Deflated", "ZipWriter", "crc_combine", "deflate_into"]

LEVEL = 1  # a large summary's writing time is mostly deflating: level 1 is a fraction of 6
_LIMIT = 0xFFFFFFFF  # sizes and offsets at or over this need ZIP64 fields
_ZEROS = bytes(1 << 20)
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_END64 = struct.Struct("<IQHHIIQQQQ")
_LOCATOR64 = struct.Struct("<IIQI")
_ZIP64_SIZES = struct.Struct("<HHQQ")  # a local header's ZIP64 field: both sizes
_UTF8_NAME = 0x800


@dataclass(frozen=True)
class Deflated:
    """Raw deflate data (no header, not final, ending on a byte boundary) in a file:
    ``length`` bytes from ``offset``; they inflate to ``size`` bytes whose CRC-32 is ``crc``."""

    file: BinaryIO
    offset: int
    length: int
    crc: int
    size: int


def crc_combine(first: int, second: int, second_size: int) -> int:
    """The CRC-32 of ``a + b`` from ``crc32(a)``, ``crc32(b)`` and ``len(b)``.

    CRC-32 is affine in its input: crc(a + b) = crc(a + zeros) ^ crc(b) ^ crc(zeros), with
    as many zeros as ``b`` has bytes.
    """
    shifted, zeros = first, 0
    left = second_size
    while left:
        block = _ZEROS[:min(left, len(_ZEROS))]
        shifted, zeros = zlib.crc32(block, shifted), zlib.crc32(block, zeros)
        left -= len(block)
    return shifted ^ second ^ zeros


def deflate_into(file: BinaryIO, chunks: Iterable[bytes], level: int = LEVEL) -> Deflated:
    """Deflate ``chunks`` onto the end of ``file`` as a piece for ``ZipWriter`` (a part's
    middle: it ends with a sync flush and is not final)."""
    file.seek(0, 2)
    offset = file.tell()
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    crc = size = 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
        file.write(compressor.compress(chunk))
    file.write(compressor.flush(zlib.Z_SYNC_FLUSH))
    file.flush()
    return Deflated(file, offset, file.tell() - offset, crc, size)


@dataclass
class _Entry:
    name: bytes
    flags: int
    date_time: tuple[int, int]  # DOS time, DOS date
    offset: int
    crc: int = 0
    length: int = 0  # compressed
    size: int = 0
    version: int = 20  # needed to extract: 4.5 where the local header has ZIP64 sizes


class ZipWriter:
    """A zip file written part by part, every part deflated."""

    def __init__(self, file: BinaryIO, limit: int = _LIMIT) -> None:
        self._file = file
        self._limit = limit  # lowered by tests, to write ZIP64 fields for small files
        self._entries: list[_Entry] = []

    def write(self, name: str, data: bytes, date_time: tuple = (1980, 1, 1, 0, 0, 0)) -> None:
        """A part given whole: its local header carries its sizes (ZIP64 only if needed)."""
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        deflated = compressor.compress(data) + compressor.flush()
        if max(len(data), len(deflated), self._file.tell()) >= self._limit:
            with self.open(name, date_time) as part:
                part.write(data)
            return
        encoded = name.encode("utf-8")
        entry = _Entry(encoded, _flags(name), _dos_time(date_time), self._file.tell(),
                       zlib.crc32(data), len(deflated), len(data))
        self._file.write(_LOCAL.pack(0x04034B50, 20, entry.flags, 8, *entry.date_time,
                                     entry.crc, entry.length, entry.size, len(encoded), 0))
        self._file.write(encoded)
        self._file.write(deflated)
        self._entries.append(entry)

    def open(self, name: str, date_time: tuple = (1980, 1, 1, 0, 0, 0)) -> "PartWriter":
        """A part written as a stream: its local header makes room for ZIP64 sizes and is
        filled in when the part is closed."""
        encoded = name.encode("utf-8")
        entry = _Entry(encoded, _flags(name), _dos_time(date_time), self._file.tell(), version=45)
        self._file.write(_LOCAL.pack(0x04034B50, entry.version, entry.flags, 8, *entry.date_time,
                                     0, _LIMIT, _LIMIT, len(encoded), _ZIP64_SIZES.size))
        self._file.write(encoded + _ZIP64_SIZES.pack(1, 16, 0, 0))
        return PartWriter(self, entry)

    def _finish(self, entry: _Entry) -> None:
        end = self._file.tell()
        self._file.seek(entry.offset + 14)
        self._file.write(struct.pack("<I", entry.crc))
        self._file.seek(entry.offset + _LOCAL.size + len(entry.name) + 4)
        self._file.write(struct.pack("<QQ", entry.size, entry.length))
        self._file.seek(end)
        self._entries.append(entry)

    def close(self) -> None:
        """The central directory and the end records."""
        start = self._file.tell()
        for entry in self._entries:
            self._file.write(self._central(entry))
        size = self._file.tell() - start
        count = len(self._entries)
        if count >= 0xFFFF or start >= self._limit or size >= self._limit:
            end64 = self._file.tell()
            self._file.write(_END64.pack(0x06064B50, _END64.size - 12, 45, 45, 0, 0,
                                         count, count, size, start))
            self._file.write(_LOCATOR64.pack(0x07064B50, 0, end64, 1))
            count, size, start = min(count, 0xFFFF), min(size, _LIMIT), min(start, _LIMIT)
        self._file.write(_END.pack(0x06054B50, 0, 0, count, count, size, start, 0))
        self._file.flush()

    def _central(self, entry: _Entry) -> bytes:
        extra = b""
        fields = []
        for value in (entry.size, entry.length, entry.offset):
            if value >= self._limit:
                extra += struct.pack("<Q", value)
                fields.append(_LIMIT)
            else:
                fields.append(value)
        if extra:
            extra = struct.pack("<HH", 1, len(extra)) + extra
        version = max(entry.version, 45 if extra else 20)  # as the local header, at least
        size, length, offset = fields
        return _CENTRAL.pack(0x02014B50, version, version, entry.flags, 8, *entry.date_time,
                             entry.crc, length, size, len(entry.name), len(extra), 0, 0, 0,
                             0, offset) + entry.name + extra


class PartWriter:
    """One part being written: ``write`` deflates bytes, ``append`` takes a deflated piece."""

    def __init__(self, package: ZipWriter, entry: _Entry) -> None:
        self._package, self._entry = package, entry
        self._file = package._file
        self._compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)

    def write(self, data: bytes | Deflated) -> None:
        if isinstance(data, Deflated):
            self.append(data)
            return
        entry = self._entry
        entry.crc = zlib.crc32(data, entry.crc)
        entry.size += len(data)
        self._put(self._compressor.compress(data))

    def append(self, piece: Deflated, chunk: int = 1 << 20) -> None:
        """The piece's data, as it is; what is written afterwards is deflated anew."""
        self._put(self._compressor.flush(zlib.Z_SYNC_FLUSH))
        self._compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        position, end = piece.offset, piece.offset + piece.length
        while position < end:
            piece.file.seek(position)
            data = piece.file.read(min(chunk, end - position))
            if not data:
                raise OSError("a deflated piece ended early")
            self._put(data)
            position += len(data)
        entry = self._entry
        entry.crc = crc_combine(entry.crc, piece.crc, piece.size)
        entry.size += piece.size

    def _put(self, data: bytes) -> None:
        self._file.write(data)
        self._entry.length += len(data)

    def close(self) -> None:
        self._put(self._compressor.flush())
        self._package._finish(self._entry)

    def __enter__(self) -> "PartWriter":
        return self

    def __exit__(self, kind, *rest) -> None:
        if kind is None:
            self.close()


def _flags(name: str) -> int:
    return 0 if name.isascii() else _UTF8_NAME


def _dos_time(date_time: tuple) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time[:6]
    return (hour << 11 | minute << 5 | second // 2,
            max(0, year - 1980) << 9 | month << 5 | day)
