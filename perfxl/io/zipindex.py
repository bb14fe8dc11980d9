"""A workbook's zip directory, read straight from the bytes in memory.

``zipfile.ZipFile`` builds its directory at about 5 µs an entry, which a folder of
thousands of small workbooks pays for every file. A workbook written by Excel, LibreOffice
or openpyxl has a plain directory (no zip64, no data before the archive, no archive
comment tricks); this reads that kind in a fraction of the time and answers None for
anything else, which ``zipfile`` then reads.
"""

from __future__ import annotations

import struct

_END = b"PK\x05\x06"  # end of central directory record
_END_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ENTRY = struct.Struct("<4s6H3L5H2L")  # central directory file header, 46 bytes
_ENTRY_SIGNATURE = b"PK\x01\x02"
_UTF8_NAME = 0x800


class ZipEntry:
    """What the guard and the readers need of one zip member (zipfile.ZipInfo's names)."""

    __slots__ = ("filename", "flag_bits", "compress_type", "CRC", "compress_size", "file_size",
                 "header_offset")

    def __init__(self, filename: str, flag_bits: int, compress_type: int, crc: int,
                 compress_size: int, file_size: int, header_offset: int) -> None:
        self.filename, self.flag_bits, self.compress_type = filename, flag_bits, compress_type
        self.CRC, self.compress_size, self.file_size = crc, compress_size, file_size
        self.header_offset = header_offset

    def __repr__(self) -> str:
        return f"ZipEntry({self.filename!r}, {self.file_size} bytes)"


def zip_entries(data: bytes) -> list[ZipEntry] | None:
    """The entries of a plain zip archive in directory order, or None for any other kind."""
    end = data.rfind(_END, max(0, len(data) - _END_SIZE - 0xFFFF))
    if end < 0 or len(data) < end + _END_SIZE:
        return None
    disk, directory_disk, here, count, size, offset, comment = struct.unpack_from(
        "<4H2LH", data, end + 4)
    if (disk or directory_disk or here != count or offset + size != end
            or end + _END_SIZE + comment != len(data) or count == 0xFFFF
            or data[max(0, end - 20):end - 16] == _ZIP64_LOCATOR):
        return None  # split, prefixed, commented oddly, or zip64: zipfile reads those
    return _directory(data, offset, end, count)


def _directory(data: bytes, position: int, end: int, count: int) -> list[ZipEntry] | None:
    entries = []
    unpack = _ENTRY.unpack_from
    for _ in range(count):
        if position + 46 > end:
            return None
        (signature, _made, _needed, flags, method, _time, _date, crc, compressed, size,
         name_length, extra_length, comment_length, _disk, _internal, _external,
         header) = unpack(data, position)
        if signature != _ENTRY_SIGNATURE or 0xFFFFFFFF in (compressed, size, header):
            return None
        start = position + 46
        raw_name = data[start:start + name_length]
        name = raw_name.decode("utf-8" if flags & _UTF8_NAME else "cp437")
        if "\x00" in name:
            return None  # zipfile cuts such a name short; let it
        entries.append(ZipEntry(name, flags, method, crc, compressed, size, header))
        position = start + name_length + extra_length + comment_length
    return entries if position == end else None
