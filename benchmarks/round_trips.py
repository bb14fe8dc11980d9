"""Round trips of 校验全部 (validate_all) on a workbook of 50 form sheets, counted.

In live Excel every call into the workbook is a round trip, so perfxl reads each sheet once
and fills a union of cells per colour in one call. This script counts the calls the macro
makes through each adapter, for 1, 4 and 12 faulty indicator rows per sheet (each row gives
one error cell and one warning cell), and sets them beside what filling cell by cell would
cost. With ``XLWINGS_LICENSE_KEY`` set (e.g. ``noncommercial`` for an evaluation), the same
macro also runs on xlwings' remote engine and the actions it records are counted.

    python benchmarks/round_trips.py [--sheets 50]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from xl_support import forms_workbook  # noqa: E402

from perfxl.xl import macros  # noqa: E402
from perfxl.xl.openpyxl_book import OpenpyxlBook  # noqa: E402

FAULTS = (1, 4, 12)
COLUMNS = ("adapter", "run", "faults/sheet", "filled cells", "sheet reads", "max/sheet",
           "state reads", "fill calls", "cell-by-cell fills", "note calls", "table writes", "sheet ops", "ms")


def _row(adapter, run, faults, report, port, seconds):
    filled = {(f.sheet, f.cell) for f in report.findings if f.severity in ("error", "warning")}
    t = port.trips.as_dict()
    return (adapter, run, faults, len(filled), t["sheet_reads"], t["max_reads_per_sheet"],
            t["state_reads"], t["fill_writes"], len(filled), t["note_writes"], t["value_writes"], t["sheet_ops"],
            f"{seconds * 1000:.0f}")


def openpyxl_runs(path: Path, faults: int, folder: Path) -> list[tuple]:
    rows = []
    for run, source in (("first", path), ("again", folder / f"marked{faults}.xlsx")):
        port = OpenpyxlBook(source)
        started = time.perf_counter()
        report = macros.validate_all(port)
        rows.append(_row("openpyxl", run, faults, report, port, time.perf_counter() - started))
        port.save(folder / f"marked{faults}.xlsx")
    return rows


def remote_run(path: Path, faults: int) -> tuple[tuple, Counter]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from xl_support import remote_book

    from perfxl.xl.xlwings_book import XlwingsBook

    book = remote_book(path)
    port = XlwingsBook(book)
    started = time.perf_counter()
    report = macros.validate_all(port)
    seconds = time.perf_counter() - started
    actions = Counter(action["func"] for action in book.json()["actions"])
    return _row("xlwings remote", "first", faults, report, port, seconds), actions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=50)
    args, _ = parser.parse_known_args()  # `./run bench` passes every benchmark the same args
    use_remote = bool(os.environ.get("XLWINGS_LICENSE_KEY"))
    rows, actions = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for faults in FAULTS:
            path = forms_workbook(folder / f"faults{faults}.xlsx", args.sheets, faults)
            rows.extend(openpyxl_runs(path, faults, folder))
            if use_remote:
                row, actions[faults] = remote_run(path, faults)
                rows.append(row)
    widths = [max(len(str(c)), *(len(str(r[i])) for r in rows)) for i, c in enumerate(COLUMNS)]
    print(f"validate_all on {args.sheets} form sheets (each faulty row: 1 red + 1 amber cell)\n")
    print("  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths)))
    for row in rows:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths)))
    for faults, counted in actions.items():
        listed = ", ".join(f"{func} {n}" for func, n in sorted(counted.items()))
        print(f"\nremote-engine actions, {faults} faulty rows/sheet: {listed}")
    if not use_remote:
        print("\n(set XLWINGS_LICENSE_KEY to also count xlwings' remote-engine actions)")


if __name__ == "__main__":
    main()
