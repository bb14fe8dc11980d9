"""Published form text (tab-separated lines, as extracted from the PDF) → a Grid.

Chinese Windows saves text as GB18030/GBK, editors as UTF-8 with or without BOM,
Excel's "Unicode text" as UTF-16: all are read.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import InputError
from ..grid import Grid

ENCODINGS = ("utf-8", "gb18030")


def decode(data: bytes, file: str = "") -> str:
    """Bytes of a text file → str, or InputError naming the file."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _decode_or_fail(data, encoding, file)
    if _looks_utf16(data):
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    if b"\x00" in data:
        raise _undecodable(file)
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _undecodable(file)


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4000]
    return len(sample) >= 4 and sample.count(b"\x00") >= len(sample) // 4


def _decode_or_fail(data: bytes, encoding: str, file: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise _undecodable(file) from None


def _undecodable(file: str) -> InputError:
    return InputError(
        "无法识别文本编码（支持 UTF-8、GB18030/GBK、UTF-16）",
        "cannot decode the text (supported: UTF-8, GB18030/GBK, UTF-16)",
        file=file,
    )


def text_grid(text: str, file: str = "") -> Grid:
    """Lines split on tabs; the grid remembers line and field numbers."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    rows: list[list[object]] = [line.split("\t") for line in lines]
    return Grid(rows, file=file, sheet="", kind="text")


def read_text_file(path: Path) -> Grid:
    data = path.read_bytes()
    return text_grid(decode(data, str(path)), str(path))
