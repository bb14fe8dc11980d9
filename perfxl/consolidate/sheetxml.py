"""Sheet rows as SpreadsheetML text, spliced into a package another writer made.

A summary of 20,000 forms has some 340,000 indicator rows. Cell objects cost ~5 µs a
cell; rendering the XML of a row directly is several times cheaper and streams in constant
memory. openpyxl still writes everything else (styles, tables, charts, views); this module
only fills ``<sheetData>`` of the sheets it is given. Strings are inline strings
(``t="inlineStr"``), which Excel, LibreOffice, openpyxl and calamine all read. Body rows are
rendered a table at a time (``render_table``), their cells without addresses, and deflated
by a second thread while the next rows are rendered.
"""

from __future__ import annotations

import datetime as dt
import queue
import re
import threading
import zipfile
from decimal import Decimal
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..io.deflate import ACCELERATED, deflater
from .layout import Formula, excel_serial

# & < > escaped; control characters XML 1.0 forbids are dropped (tab, LF, CR stay).
_ESCAPE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
_ESCAPE.update({code: None for code in range(32) if code not in (9, 10, 13)})
_ESCAPE.update({0xFFFE: None, 0xFFFF: None})
_ESCAPED = "&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"  # what _ESCAPE changes or drops
_NEEDS_ESCAPE = re.compile(f"[{_ESCAPED}]")
_EMPTY_CELL = "<c/>"
# Text written as it is, neither escaped nor spaced at either end (what text_element
# leaves alone); a Decimal's plain digits.
_PLAIN_TEXT = re.compile(f"(?!\\s)[^{_ESCAPED}]+(?<!\\s)")
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


@lru_cache(maxsize=1 << 14)
def text_element(text: str) -> str:
    """``<t>…</t>`` of a text, escaped; cached, since a summary repeats most of its texts."""
    if _NEEDS_ESCAPE.search(text):
        text = text.translate(_ESCAPE)
    if text[:1].isspace() or text[-1:].isspace():
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"


def render_cell(value: Any, attr: str = "") -> str:
    """One ``<c>`` without its address (it is the cell after the one before it: ECMA-376
    Part 1, 18.3.1.4, ``r`` is optional); ``<c/>`` for None and empty text. ``attr`` is its
    style attribute (`` s="3"``) or empty."""
    kind = value.__class__
    if kind is str:
        return f'<c{attr} t="inlineStr"><is>{text_element(value)}</is></c>' if value else _EMPTY_CELL
    if value is None:
        return _EMPTY_CELL
    if kind is Decimal:
        return f'<c{attr}><v>{value:f}</v></c>'
    if kind is bool:
        return f'<c{attr} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c{attr}><v>{value!r}</v></c>'
    if isinstance(value, Formula):
        return f'<c{attr}><f>{value.text[1:].translate(_ESCAPE)}</f></c>'
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f'<c{attr}><v>{excel_serial(value)}</v></c>'
    return render_cell(str(value), attr)


def style_attrs(styles: Iterable[str], style_ids: dict[str, int]) -> list[str]:
    """The `` s="…"`` attribute of each column's style (empty for the default style)."""
    return [f' s="{style_ids[s]}"' if style_ids.get(s) else "" for s in styles]


def splice_rows(
    skeleton: Path, target: Path, bodies: dict[str, Callable[[], Iterator[bytes]]],
    *, chunk_bytes: int = 1 << 20,
) -> None:
    """Copy the package ``skeleton`` to ``target``, appending rows to the named sheet parts.

    ``bodies`` maps a part name (``xl/worksheets/sheet2.xml``) to a function yielding the
    ``<row>`` elements (UTF-8, one or many in each piece) that follow the rows already in
    that part. They are written out about ``chunk_bytes`` at a time.
    """
    # A low level: the body of a large summary is most of the run's writing time, and level
    # 1 costs a fraction of the default's time for a file about a quarter larger. The body
    # parts are deflated by zlib-ng when it is installed (``_faster_deflate``).
    with zipfile.ZipFile(skeleton) as source, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as result:
        for info in source.infolist():
            data = source.read(info)
            if info.filename not in bodies:
                result.writestr(info, data)
                continue
            head, tail = _split_sheet(data.decode("utf-8"), info.filename)
            with result.open(info.filename, "w", force_zip64=True) as out, \
                    _BackgroundWriter(_faster_deflate(out)) as write:
                write(head.encode("utf-8"))
                chunk: list[bytes] = []
                size = 0
                for rows in bodies[info.filename]():
                    chunk.append(rows)
                    size += len(rows)
                    if size >= chunk_bytes:
                        write(b"".join(chunk))
                        chunk.clear()
                        size = 0
                write(b"".join(chunk))
                write(tail.encode("utf-8"))


def _faster_deflate(out):
    """The entry ``out`` (open for writing), deflating with zlib-ng when it is installed.

    zipfile deflates with Python's zlib; zlib-ng writes the same format in less than half
    the time (``io.deflate``). zipfile keeps its compressor in a private attribute, set
    when the entry is opened: where a Python's zipfile has none by that name, nothing is
    changed and zipfile's own compressor does the work, as before.
    """
    if ACCELERATED and getattr(out, "_compressor", None) is not None:
        out._compressor = deflater()
    return out


class _BackgroundWriter:
    """Writes chunks to a file object from a second thread, in order.

    Deflating a chunk lets go of the interpreter lock, so the next rows are rendered while
    the last are compressed. An error in the writing thread is raised in the caller's.
    """

    def __init__(self, out, depth: int = 2) -> None:
        self._out = out
        self._chunks: queue.Queue[bytes | None] = queue.Queue(depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="perfxl-writer", daemon=True)

    def _run(self) -> None:
        while (chunk := self._chunks.get()) is not None:
            if self._error is None:
                try:
                    self._out.write(chunk)
                except BaseException as exc:  # handed to the caller's thread
                    self._error = exc

    def __call__(self, chunk: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._chunks.put(chunk)

    def __enter__(self) -> "_BackgroundWriter":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._chunks.put(None)
        self._thread.join()
        if self._error is not None and exc_info[0] is None:
            raise self._error


def _split_sheet(xml: str, name: str) -> tuple[str, str]:
    """The sheet XML before and after the point where more rows go."""
    end = xml.find("</sheetData>")
    if end >= 0:
        return xml[:end], xml[end:]
    empty = xml.find("<sheetData/>")
    if empty < 0:
        raise ValueError(f"{name}: no <sheetData> to add rows to")
    return xml[:empty] + "<sheetData>", "</sheetData>" + xml[empty + len("<sheetData/>"):]


# --- a plain table, column by column -------------------------------------------------------
# A cell's XML depends on its value and column only (no address), so each distinct value of
# a column is rendered once: a summary repeats a form's name, department, unit and file on
# every one of its indicator rows, and 一级/二级 names and units come from short lists.

_TEXT_CLASSES = ({str}, {int}, {str, type(None)}, {int, type(None)})
_DECIMAL_CLASSES = ({Decimal}, {Decimal, type(None)})
_CACHE_CELLS = 1 << 10  # a column's cache is emptied when it holds more cells than this


class _ColumnCells(dict):
    """Cell XML (UTF-8) by value, for a column of texts or whole numbers (equal keys render
    alike), or by text for a column of Decimals: ``Decimal("1.0")`` and ``Decimal("1.00")``
    are equal but are written as they are. ``classes``: the kinds of column it serves."""

    def __init__(self, attr: str, decimals: bool) -> None:
        super().__init__()
        self.attr, self.decimals = attr, decimals
        self.classes = _DECIMAL_CLASSES if decimals else _TEXT_CLASSES
        self._text = f'<c{attr} t="inlineStr"><is><t>'  # what render_cell writes before a text

    def cells(self, values: list) -> list[bytes]:
        return list(map(self.__getitem__, map(str, values) if self.decimals else values))

    def __missing__(self, key: Any) -> bytes:
        # Most values of the columns that differ row by row (targets, numbers, names) are
        # plain: written here as render_cell writes them, without its steps.
        if self.decimals:
            if _PLAIN_DECIMAL.fullmatch(key):  # str() of such a Decimal is its "f" format
                cell = self[key] = f"<c{self.attr}><v>{key}</v></c>".encode()
                return cell
            value = None if key == "None" else Decimal(key)
        else:
            value = key
            if value.__class__ is str and _PLAIN_TEXT.fullmatch(value):
                cell = self[key] = f"{self._text}{value}</t></is></c>".encode()
                return cell
        cell = self[key] = render_cell(value, self.attr).encode("utf-8")
        return cell


def _column_cache(classes: set[type], attr: str) -> _ColumnCells | None:
    if classes in _TEXT_CLASSES or classes in _DECIMAL_CLASSES:
        return _ColumnCells(attr, decimals=classes in _DECIMAL_CLASSES)
    return None


def render_table(first_row: int, columns: list, attrs: list[str],
                 batch: int = 1024) -> Iterator[bytes]:
    """The ``<row>`` elements (UTF-8) of a table given as columns (equal lengths), ``batch``
    rows at a time.

    ``attrs``: each column's style attribute. A column's cells already rendered are kept
    (at most ``_CACHE_CELLS`` of them), so memory stays flat however long the table.
    """
    count = len(columns[0]) if columns else 0
    caches: list[_ColumnCells | None] = [None] * len(columns)
    for start in range(0, count, batch):
        stop = min(count, start + batch)
        cells = []
        for number, (values, attr) in enumerate(zip(columns, attrs)):
            part = values[start:stop]
            classes = set(map(type, part))
            cache = caches[number]
            if cache is None or classes not in cache.classes:
                cache = caches[number] = _column_cache(classes, attr)
            if cache is None:
                cells.append([render_cell(v, attr).encode("utf-8") for v in part])
                continue
            cells.append(cache.cells(part))
            if len(cache) > _CACHE_CELLS:
                cache.clear()
        starts = [b'<row r="%d">' % row for row in range(first_row + start, first_row + stop)]
        yield b"".join(chain.from_iterable(zip(starts, *cells, repeat(b"</row>"))))


def render_rows(rows: Iterable[tuple[int, Sequence[Any], list[str]]],
                batch: int = 1024) -> Iterator[bytes]:
    """``<row>`` elements of ``(row, values, attrs)``: runs of consecutive rows of one width
    sharing one ``attrs`` list are rendered as tables (see ``render_table``)."""
    run: list[Sequence[Any]] = []
    first, attrs = 0, None
    for row, values, row_attrs in rows:
        if run and (row_attrs is not attrs or row != first + len(run)
                    or len(values) != len(run[0]) or len(run) >= batch):
            yield from render_table(first, [list(c) for c in zip(*run)], attrs, batch)
            run = []
        if not run:
            first, attrs = row, row_attrs
        run.append(values)
    if run:
        yield from render_table(first, [list(c) for c in zip(*run)], attrs, batch)
