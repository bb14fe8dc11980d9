"""Look before reading: refuse hostile or wrong files early, with a clear message.

Checks run on the raw file before any spreadsheet library parses it, so that a zip bomb,
an XML entity bomb or a million-row sheet is refused before memory runs out:

* what the file really is (zip / OLE / PDF / text), whatever its name says;
* OLE files: a password-protected workbook or an old .xls;
* zip: entry count, total uncompressed size, compression ratio, the workbook part present;
* XML parts: no DTD (entity expansion), a sheet's declared dimension within the cell limit.

A workbook is read into memory once; the checks and the readers after them use those bytes,
and a part the checks inflated whole is not inflated again to be read.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..grid import parse_a1
from .deflate import ERRORS as INFLATE_ERRORS, crc32, inflater
from .zipindex import zip_entries

_ZIP, _OLE, _PDF = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF"
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_PROLOG_BYTES = 8192
_SHORT_HEAD = 512  # enough for the XML declaration and the root's start
_SHORT_SHEET_HEAD = 1024  # … and for a sheet, its <dimension> after Excel's long root tag
_ROOT = re.compile(rb"<[A-Za-z]")  # the root element must start within the first 8 KiB
_REMEMBERED_BYTES, _REMEMBERED_PARTS, _REMEMBERED_LIMITS = 16 * 2**10, 64, 16
# A part up to this size is inflated whole when its head is asked, and kept for reading
# while a workbook's kept parts stay within the second size.
_WHOLE_PART_BYTES, _KEPT_BYTES = 2**20, 16 * 2**20
_REMEMBERED_INFLATED_BYTES = 64 * 2**10  # parts inflated to more are not remembered
# Parts already checked or inflated, by (CRC, sizes …): their stored bytes (compared in full
# before the entry is trusted) and, for inflated ones, the bytes they inflate to.
_SAFE_PARTS: dict[Limits, dict[tuple, bytes]] = {}  # … under these limits
_INFLATED_PARTS: dict[tuple, tuple[bytes, bytes]] = {}
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+\d+)(?::([A-Z]+\d+))?"')


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 200 * 2**20  # a workbook file
    text_bytes: int = 50 * 2**20  # a published-text file
    unzipped_bytes: int = 500 * 2**20  # all parts of a workbook, uncompressed
    zip_entries: int = 10_000
    compression_ratio: int = 200  # uncompressed / compressed, for parts over 1 MiB
    sheet_cells: int = 2_000_000  # rows × columns a sheet may declare
    sheet_rows: int = 100_000
    sheet_bytes: int = 100 * 2**20  # one sheet's XML, uncompressed


LIMITS = Limits()


def _inflate(info, raw: bytes) -> bytes:
    """A deflated part's bytes; BadZipFile when its size or CRC is wrong.

    Workbooks from one template share parts byte for byte (styles, relationships): a part
    stored exactly as one inflated before gives the same bytes (the same object) again.
    """
    key = (info.CRC, info.file_size, len(raw))
    known = _INFLATED_PARTS.get(key)
    if known is not None and known[0] == raw:
        return known[1]
    data = inflater().decompress(raw, info.file_size + 1)
    if len(data) != info.file_size or crc32(data) != info.CRC:
        raise zipfile.BadZipFile(f"bad CRC or size in {info.filename}")
    if len(raw) <= _REMEMBERED_BYTES and len(data) <= _REMEMBERED_INFLATED_BYTES:
        if len(_INFLATED_PARTS) >= _REMEMBERED_PARTS:
            _INFLATED_PARTS.clear()
        _INFLATED_PARTS[key] = (raw, data)
    return data


def _refuse(path: Path, zh: str, en: str) -> InputError:
    return InputError(zh, en, file=str(path))


def read_limited(path: Path, limit: int) -> bytes:
    """The file's bytes, refused unread when it is larger than ``limit`` (one open, no stat)."""
    with open(path, "rb") as handle:
        _refuse_size(path, os.fstat(handle.fileno()).st_size, limit)
        return handle.read()


def _refuse_size(path: Path, size: int, limit: int) -> None:
    if size > limit:
        raise _refuse(path, f"文件过大（{size // 2**20} MB，上限 {limit // 2**20} MB）",
                      f"file too large ({size // 2**20} MB, limit {limit // 2**20} MB)")


def check_workbook_file(path: Path, limits: Limits = LIMITS) -> None:
    """Raise InputError unless ``path`` looks like a workbook that is safe to open."""
    with open_checked_workbook(path, limits):
        pass


class CheckedWorkbook:
    """A workbook file read once into memory, its zip index checked; parts read from memory.

    ``data`` is the whole file: hand it on (``io.BytesIO``) rather than opening the file again.
    """

    def __init__(self, path: Path, data: bytes, entries: list | None = None) -> None:
        self.path, self.data = path, data
        self._archive: zipfile.ZipFile | None = None
        self._inflated: dict[str, bytes] = {}  # parts inflated whole by ``head``
        self._kept_bytes = 0  # … their size together
        if entries is None:  # not a plain archive: zipfile reads the directory
            entries = self.archive.infolist()
        self.entries = entries
        self.infos = {info.filename: info for info in entries}

    @property
    def archive(self) -> zipfile.ZipFile:
        """``zipfile``'s view of the bytes, for the parts only it can read (opened when asked)."""
        if self._archive is None:
            self._archive = zipfile.ZipFile(io.BytesIO(self.data))
        return self._archive

    def namelist(self) -> list[str]:
        return list(self.infos)

    def read(self, name: str) -> bytes:
        """A part, whole (KeyError if absent); the zip's CRC is checked."""
        info = self.infos[name]
        data = self._inflated.get(name)
        if data is not None:
            return data
        raw = self._raw(info)
        if raw is None or info.compress_type != zipfile.ZIP_DEFLATED:
            return self.archive.read(name)
        return _inflate(info, raw)

    def head(self, info: zipfile.ZipInfo, size: int) -> bytes:
        """The first ``size`` bytes of a part, inflating no more than that, except a small
        part: inflated whole once and kept for ``read`` when its size and CRC check out."""
        raw = self._raw(info)
        if raw is None or info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
            with self.archive.open(info.filename) as handle:
                return handle.read(size)
        if info.compress_type == zipfile.ZIP_STORED:
            return raw[:size]
        if info.file_size <= _WHOLE_PART_BYTES and \
                self._kept_bytes + info.file_size <= _KEPT_BYTES:
            try:
                data = _inflate(info, raw)
            except (zipfile.BadZipFile, *INFLATE_ERRORS):
                pass  # the first bytes alone may still inflate; ``read`` reports the damage
            else:
                self._inflated[info.filename] = data
                self._kept_bytes += len(data)
                return data[:size]
        return inflater().decompress(raw, size)

    def _raw(self, info: zipfile.ZipInfo) -> bytes | None:
        """A part's bytes as stored, or None when zipfile must handle it (encrypted, odd)."""
        start, data = info.header_offset, self.data
        if info.flag_bits & 1 or data[start:start + 4] != _ZIP:
            return None
        name_len = int.from_bytes(data[start + 26:start + 28], "little")
        extra_len = int.from_bytes(data[start + 28:start + 30], "little")
        begin = start + 30 + name_len + extra_len
        return data[begin:begin + info.compress_size]

    def close(self) -> None:
        self._inflated = {}
        if self._archive is not None:
            self._archive.close()

    def __enter__(self) -> "CheckedWorkbook":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_checked_workbook(path: Path, limits: Limits = LIMITS) -> CheckedWorkbook:
    """The workbook, read once and checked; InputError when it is not safe to read."""
    data = read_limited(path, limits.file_bytes)
    head = data[:8]
    if head.startswith(_ZIP):
        return _check_zip(path, data, limits)
    if head.startswith(_OLE):
        raise _ole_error(path)
    if head.startswith(_PDF):
        raise _refuse(path, "这是 PDF 文件，不是 Excel 工作簿（公开文本请先提取为 .txt 再用 perfxl import）",
                      "this is a PDF, not an Excel workbook (extract its text to .txt and use perfxl import)")
    if not head:
        raise _refuse(path, "文件是空的（0 字节）", "the file is empty (0 bytes)")
    raise _refuse(path, "不是可读取的 Excel 工作簿（看起来是文本或 CSV 文件，只是扩展名为 .xlsx）",
                  "not a readable Excel workbook (it looks like a text or CSV file renamed .xlsx)")


def _ole_error(path: Path) -> InputError:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except OSError:
        streams = set()
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        return _refuse(path, "工作簿有密码保护，无法读取；请在 Excel 中取消密码后另存",
                       "the workbook is password-protected; remove the password in Excel and save it again")
    return _refuse(path, "这是旧版 Excel 97-2003 (.xls) 文件；请在 Excel 中另存为 .xlsx",
                   "this is an old Excel 97-2003 (.xls) file; save it as .xlsx in Excel")


def _check_zip(path: Path, data: bytes, limits: Limits) -> CheckedWorkbook:
    try:
        book = CheckedWorkbook(path, data, zip_entries(data))
    except zipfile.BadZipFile as exc:
        raise _damaged(path, exc) from None
    try:
        _check_entries(path, book.entries, limits)
        if "xl/workbook.xml" not in book.infos:
            raise _refuse(path, "不是可读取的 Excel 工作簿（压缩包里没有 xl/workbook.xml）",
                          "not a readable Excel workbook (no xl/workbook.xml in the archive)")
        if limits not in _SAFE_PARTS and len(_SAFE_PARTS) >= _REMEMBERED_LIMITS:
            _SAFE_PARTS.clear()
        safe = _SAFE_PARTS.setdefault(limits, {})
        for info in book.entries:
            if info.filename.endswith((".xml", ".rels", ".vml")):
                _check_xml_part(path, book, info, limits, safe)
    except (zipfile.BadZipFile, *INFLATE_ERRORS) as exc:
        book.close()
        raise _damaged(path, exc) from None
    except BaseException:
        book.close()
        raise
    return book


def _damaged(path: Path, exc: Exception) -> InputError:
    return _refuse(path, f"不是可读取的 Excel 工作簿（压缩包损坏：{exc}）",
                   f"not a readable Excel workbook (damaged zip: {exc})")


def _check_entries(path: Path, infos: list, limits: Limits) -> None:
    if len(infos) > limits.zip_entries:
        raise _refuse(path, f"工作簿包含的部件过多（{len(infos)} 个）",
                      f"the workbook has too many parts ({len(infos)})")
    total = sum(info.file_size for info in infos)
    if total > limits.unzipped_bytes:
        raise _refuse(path, f"工作簿解压后过大（{total // 2**20} MB，上限 {limits.unzipped_bytes // 2**20} MB），疑似压缩炸弹",
                      f"the workbook is too large uncompressed ({total // 2**20} MB, limit "
                      f"{limits.unzipped_bytes // 2**20} MB): possibly a zip bomb")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 2**20 and ratio > limits.compression_ratio:
            raise _refuse(path, f"部件 {info.filename} 压缩比异常（{ratio:.0f}:1），疑似压缩炸弹",
                          f"part {info.filename} has an abnormal compression ratio ({ratio:.0f}:1): "
                          "possibly a zip bomb")


def _check_xml_part(path: Path, book: CheckedWorkbook, info, limits: Limits,
                    safe: dict[tuple, bytes]) -> None:
    sheet = info.filename.startswith("xl/worksheets/")
    # Workbooks from one template share most parts byte for byte (theme, styles, lists …):
    # a part stored exactly as one already found safe, under the same limits, is safe.
    raw = book._raw(info) if info.compress_size <= _REMEMBERED_BYTES else None
    key = (info.CRC, info.file_size, info.compress_size, sheet)
    if raw is not None and safe.get(key) == raw:
        return
    _check_xml_content(path, book, info, limits, sheet)
    if raw is not None:
        if len(safe) >= _REMEMBERED_PARTS:
            safe.clear()
        safe[key] = raw


def _check_xml_content(path: Path, book: CheckedWorkbook, info, limits: Limits,
                       sheet: bool) -> None:
    head = book.head(info, _SHORT_SHEET_HEAD if sheet else _SHORT_HEAD)
    # The usual case: the root element within the first bytes, nothing before it, and a
    # sheet's dimension right after its root; otherwise look at more of the part.
    if not _clean_prolog(head) or (sheet and not _DIMENSION.search(head)):
        head = book.head(info, _PROLOG_BYTES)
        prolog = _COMMENT.sub(b"", head)
        if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog or not _ROOT.search(prolog):
            raise _refuse(path, f"部件 {info.filename} 含有 XML 文档类型声明（DTD），为安全起见拒绝读取",
                          f"part {info.filename} contains an XML document type declaration (DTD); "
                          "refused for safety")
    if sheet:
        if info.file_size > limits.sheet_bytes:
            raise _refuse(path, f"工作表 {info.filename} 过大（解压后 {info.file_size // 2**20} MB），拒绝读取",
                          f"sheet {info.filename} is too large ({info.file_size // 2**20} MB "
                          "uncompressed); refused")
        _check_dimension(path, info.filename, head, limits)


def _clean_prolog(head: bytes) -> bool:
    """The root element starts in ``head`` and nothing but the XML declaration precedes it."""
    root = _ROOT.search(head)
    return root is not None and b"<!" not in head[:root.start()]


def _check_dimension(path: Path, part: str, head: bytes, limits: Limits) -> None:
    match = _DIMENSION.search(head)
    if not match or not match.group(2):
        return
    first = parse_a1(match.group(1).decode())
    last = parse_a1(match.group(2).decode())
    rows, cols = last[0] - first[0] + 1, last[1] - first[1] + 1
    if rows > limits.sheet_rows or rows * cols > limits.sheet_cells:
        raise _refuse(path, f"工作表 {part} 过大（{rows} 行 × {cols} 列），申报表不会这么大，拒绝读取",
                      f"sheet {part} is too large ({rows} rows × {cols} columns) for a declaration "
                      "form; refused")
