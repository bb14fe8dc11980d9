"""Write the bad-input corpus to tests/data/bad/ (or regenerate docs/robustness.md with --docs).

    python tests/data/make_bad_corpus.py          # the inputs, to look at
    python tests/data/make_bad_corpus.py --docs   # docs/robustness.md from tests/bad_expect.py
"""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))

from bad_corpus import BUILDERS  # noqa: E402
from bad_expect import robustness_markdown  # noqa: E402


def main() -> None:
    if "--docs" in sys.argv:
        target = TESTS.parent / "docs" / "robustness.md"
        target.write_text(robustness_markdown(), encoding="utf-8")
        print(target)
        return
    folder = TESTS / "data" / "bad"
    folder.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        print(build(folder).name)


if __name__ == "__main__":
    main()
