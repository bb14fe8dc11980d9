"""A list that keeps only its newest items in memory: the rest wait in a temporary file.

A folder run of 20,000 forms gathers some 9 KB of rows, findings and indicators per form;
held in memory they would make the run's memory grow with the number of files. A
``Spill`` pickles its items ``batch`` at a time into an anonymous temporary file (gone
when the run ends, even if it ends badly) and reads them back a batch at a time: the
writer streams the summary from disk. A run smaller than one batch never touches the disk.

Items read back from the file are copies: a change to one never reaches the file and is
gone when its batch is read again. A change that must last is made with ``patch``:
applied at once to an item still in memory, and to a spilled item every time it is read.
"""

from __future__ import annotations

import pickle
import tempfile
from typing import Any, Callable, Generic, Iterator, Sequence, TypeVar, overload

from ..errors import PerfxlError

T = TypeVar("T")

BATCH = 256  # items per pickled batch: ~1 MB of project rows
KEPT = 4  # batches read back by index kept in memory (a copy and its first copy: two)


class SpillError(PerfxlError):
    """The temporary file could not be written (a full disk, a temp folder not writable)."""

    def __init__(self, exc: OSError) -> None:
        reason = exc.strerror or str(exc)
        folder = tempfile.gettempdir()
        super().__init__(
            f"汇总时无法写入临时文件（{reason}）：请检查临时文件夹所在磁盘的剩余空间，"
            "或用环境变量 TMPDIR（Windows 为 TEMP）指定另一个文件夹",
            f"cannot write the summary's temporary file ({reason}): check the free space "
            "of the temporary folder's disk, or name another folder in TMPDIR (TEMP on Windows)",
            file=folder)


class SpillFile:
    """One anonymous temporary file that several spills append their batches to."""

    def __init__(self) -> None:
        self._file = None
        self._end = 0

    def write(self, data: bytes) -> tuple[int, int]:
        """Appends ``data``; returns where it lies (offset, length)."""
        try:
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="perfxl-")
            self._file.seek(self._end)
            self._file.write(data)
        except OSError as exc:
            raise SpillError(exc) from exc
        place = (self._end, len(data))
        self._end += len(data)
        return place

    def read(self, place: tuple[int, int]) -> bytes:
        offset, length = place
        self._file.seek(offset)
        return self._file.read(length)


class Spill(Sequence[T], Generic[T]):
    """A sequence of picklable items, appended one at a time, spilled ``batch`` at a time."""

    def __init__(self, file: SpillFile | None = None, batch: int = BATCH) -> None:
        self._file = file if file is not None else SpillFile()
        self._batch = batch
        self._places: list[tuple[int, int]] = []  # where each spilled batch lies
        self._tail: list[T] = []
        self._patches: dict[int, list[Callable[[T], Any]]] = {}
        self._kept: dict[int, list[T]] = {}  # batches read by index, the latest last

    def append(self, item: T) -> None:
        self._tail.append(item)
        if len(self._tail) >= self._batch:
            self._places.append(self._file.write(pickle.dumps(self._tail, pickle.HIGHEST_PROTOCOL)))
            self._tail = []

    @property
    def spilled(self) -> int:
        """How many items wait on disk."""
        return len(self._places) * self._batch

    def __len__(self) -> int:
        return self.spilled + len(self._tail)

    def patch(self, index: int, change: Callable[[T], Any]) -> None:
        """Apply ``change`` (which alters an item in place) to the item at ``index``, for good."""
        index = self._index(index)
        if index >= self.spilled:
            change(self._tail[index - self.spilled])
            return
        self._patches.setdefault(index, []).append(change)
        kept = self._kept.get(index // self._batch)
        if kept is not None:
            change(kept[index % self._batch])

    def batches(self) -> Iterator[list[T]]:
        """The items a batch at a time (a list of at most ``batch`` items each)."""
        for number in range(len(self._places)):
            yield self._load(number)
        if self._tail:
            yield self._tail

    def __iter__(self) -> Iterator[T]:
        for batch in self.batches():
            yield from batch

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = self._index(index)
        if index >= self.spilled:
            return self._tail[index - self.spilled]
        number = index // self._batch
        batch = self._kept.pop(number, None)
        if batch is None:
            batch = self._load(number)
            if len(self._kept) >= KEPT:
                del self._kept[next(iter(self._kept))]  # the one used longest ago
        self._kept[number] = batch
        return batch[index % self._batch]

    def forget(self) -> None:
        """Let go of the batches kept from reading by index (they are read again if asked for)."""
        self._kept = {}

    def _index(self, index: int) -> int:
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("spill index out of range")
        return index

    def _load(self, number: int) -> list[T]:
        items = pickle.loads(self._file.read(self._places[number]))
        if self._patches:
            first = number * self._batch
            for offset, item in enumerate(items):
                for change in self._patches.get(first + offset, ()):
                    change(item)
        return items

    def __eq__(self, other: object) -> bool:  # equal to the list it stands for, as a list is
        if isinstance(other, (Spill, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  (as a list's)

    def __reduce__(self):  # pickled or deep-copied as the plain list it stands for
        return list, (list(self),)

    def __repr__(self) -> str:
        return f"<Spill {len(self)} items, {self.spilled} on disk>"


def batches_of(items: Sequence[T], size: int = BATCH) -> Iterator[list[T]]:
    """The items in lists of at most ``size`` (a spill's own batches for a spill)."""
    if isinstance(items, Spill):
        yield from items.batches()
        return
    for start in range(0, len(items), size):
        yield list(items[start:start + size])
