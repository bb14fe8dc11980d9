"""Published text in the encodings Chinese offices save it in."""

from __future__ import annotations

import codecs

import pytest

from perfxl.errors import InputError
from perfxl.io import read_forms
from perfxl.io.textfile import decode


@pytest.mark.parametrize("encoding, bom", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gb18030", b""), ("gbk", b""),
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-16-le", b""),
    ("utf-16-be", b""),
])
def test_every_encoding_gives_the_same_forms(tmp_path, sample_path, sample_forms, encoding, bom):
    text = sample_path.read_text(encoding="utf-8")
    path = tmp_path / f"forms-{encoding}.txt"
    path.write_bytes(bom + text.encode(encoding))
    assert read_forms(path) == sample_forms


def test_windows_line_endings(tmp_path, sample_path, sample_forms):
    path = tmp_path / "crlf.txt"
    path.write_bytes(sample_path.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    assert read_forms(path) == sample_forms


def test_bytes_in_no_supported_encoding_name_the_file(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError) as caught:
        read_forms(path)
    assert str(path) in caught.value.message("zh") and "编码" in caught.value.zh
    assert "decode" in caught.value.en


def test_invalid_gb18030_is_refused():
    with pytest.raises(InputError):
        decode(b"\x81\x30\xff\xff" * 10 + b"\xff", "x.txt")
