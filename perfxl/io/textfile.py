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
    if b"\x00" in data:  # no 8-bit text encoding has NUL bytes: UTF-16 without BOM, or binary
        text = _best_utf16(data)
        if text is None:
            raise _undecodable(file)
        return text
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _undecodable(file)


_FORM_RANGES = ((0x20, 0x7E), (0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF),
                (0x2000, 0x206F), (0x2260, 0x2265))


def _plausible_share(text: str) -> float:
    """Share of characters that occur in forms: CJK, ASCII, whitespace, punctuation, ≥ ≤."""
    if not text:
        return 0.0
    good = sum(
        1 for ch in text
        if ch in "\t\r\n" or any(low <= ord(ch) <= high for low, high in _FORM_RANGES)
    )
    return good / len(text)


def _best_utf16(data: bytes) -> str | None:
    best: tuple[float, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        share = _plausible_share(text[:5000])
        if share >= 0.9 and (best is None or share > best[0]):
            best = (share, text)
    return best[1] if best else None


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
    from .guard import LIMITS, read_limited

    data = read_limited(path, LIMITS.text_bytes)
    return text_grid(decode(data, str(path)), str(path))
