"""Deflate and inflate: zlib-ng's implementation when it is installed, Python's zlib otherwise.

A workbook is a zip of deflated parts. zlib-ng reads and writes the same format as the
zlib Python ships with, and about twice as fast: a form's sheet part inflates in 57% of
the time, and the 32 MB of a 2,000-form summary's 指标明细 deflate in 43% of the time, into
a slightly smaller file (see benchmarks/README.md). ``ERRORS`` holds the error
classes of both: parts read through ``zipfile`` raise the standard library's.
"""

from __future__ import annotations

import zlib as _standard

try:
    from zlib_ng import zlib_ng as _fast
except ImportError:  # pragma: no cover - a platform without a zlib-ng wheel
    _fast = None

zlib = _fast or _standard
ACCELERATED = _fast is not None
ERRORS: tuple[type[Exception], ...] = tuple({zlib.error, _standard.error})
# zlib-ng's level 2 is smaller than the standard level 1 and still quicker
SUMMARY_LEVEL = 2 if ACCELERATED else 1
crc32 = zlib.crc32


def inflater():
    """A decompressor of a raw deflate stream (a zip entry's data)."""
    return zlib.decompressobj(-15)


def deflater(level: int = SUMMARY_LEVEL):
    """A compressor to a raw deflate stream (a zip entry's data)."""
    return zlib.compressobj(level, zlib.DEFLATED, -15)
