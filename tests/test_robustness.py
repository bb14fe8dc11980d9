"""Hostile and broken inputs: each gives a clear message or a finding, never a traceback.

The inputs are built by ``bad_corpus.py``; what each must produce is in ``bad_expect.py``
(and, generated from it, docs/robustness.md).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bad_corpus import BUILDERS
from bad_expect import EXPECT, RUNTIME, robustness_markdown
from perfxl.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    return {name: build(folder) for name, build in BUILDERS.items()}


def perfxl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "perfxl", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_built_case_has_an_expectation_and_back():
    assert set(BUILDERS) == set(EXPECT)
    assert len(BUILDERS) + len(RUNTIME) >= 40


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_case(corpus, name):
    expect, path = EXPECT[name], corpus[name]
    before = digest(path)
    if expect.exit == 2:
        for lang, fragment in (("zh", expect.zh), ("en", expect.en)):
            result = perfxl("validate", str(path), "--lang", lang)
            assert result.returncode == 2, result.stdout + result.stderr
            assert fragment in result.stderr and path.name in result.stderr
            assert "Traceback" not in result.stdout + result.stderr
    else:
        result = perfxl("validate", str(path), "--format", "json")
        assert result.returncode == expect.exit, result.stderr
        payload = json.loads(result.stdout)
        if expect.forms is not None:
            assert payload["forms"] == expect.forms
        assert set(expect.codes) <= {f["code"] for f in payload["findings"]}
        assert "Traceback" not in result.stderr
    assert digest(path) == before, "the input was modified"


def peak_rss_mb(*args: str) -> float:
    """Peak resident memory of one perfxl run, in MB (measured by a parent process)."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:]); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "perfxl", *args],
                         capture_output=True, text=True, cwd=ROOT, timeout=300).stdout
    return int(out.strip().splitlines()[-1]) / 1024


@pytest.mark.parametrize("name", ["million_rows", "zip_bomb"])
def test_huge_inputs_are_refused_before_memory_runs_out(corpus, name):
    assert peak_rss_mb("validate", str(corpus[name])) < 500


def run_main(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    return exited.value.code, capsys.readouterr().err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_file_that_disappears_while_read(corpus, monkeypatch, capsys, tmp_path, lang):
    import perfxl.io.excelfile as excelfile

    victim = tmp_path / "vanishing.xlsx"
    victim.write_bytes(corpus["amounts_as_text"].read_bytes())
    original = excelfile.open_checked_workbook

    def vanish(path):
        Path(path).unlink()
        return original(path)

    monkeypatch.setattr(excelfile, "open_checked_workbook", vanish)
    code, err = run_main(capsys, "validate", str(victim), "--lang", lang)
    expect = RUNTIME["disappears_while_read"]
    assert code == 2 and (expect.zh if lang == "zh" else expect.en) in err and victim.name in err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_file_locked_while_read(corpus, monkeypatch, capsys, lang):
    import builtins

    path = corpus["amounts_as_text"]
    real_open = builtins.open

    def locked(file, *args, **kwargs):  # as Windows answers while Excel holds the file open
        if Path(str(file)).name == path.name:
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", locked)
    code, err = run_main(capsys, "validate", str(path), "--lang", lang)
    expect = RUNTIME["locked_while_read"]
    assert code == 2 and (expect.zh if lang == "zh" else expect.en) in err and path.name in err


def test_docs_robustness_md_is_up_to_date():
    committed = (ROOT / "docs" / "robustness.md").read_text(encoding="utf-8")
    assert committed == robustness_markdown(), (
        "docs/robustness.md is stale: run `python tests/data/make_bad_corpus.py --docs`"
    )


def test_csv_exports_neutralise_formula_text(tmp_path):
    """CSV injection: a project named like a formula and indicator values starting with = are
    written so that a spreadsheet shows them as text; plain negative numbers stay numbers."""
    import csv
    import io

    from perfxl.consolidate.export import csv_tables
    from perfxl.consolidate.summary import consolidate
    from perfxl.rules.examples import example_form

    form = example_form({"project": {"name": '=HYPERLINK("http://x","点击")'},
                         "funding": {"carryover": "-100.00"}})
    tables = csv_tables(consolidate([form]))
    projects = list(csv.reader(io.StringIO(tables["汇总"])))
    assert projects[1][1] == "'=HYPERLINK(\"http://x\",\"点击\")"
    assert "-100.00" in projects[1]
    indicators = list(csv.reader(io.StringIO(tables["指标明细"])))
    values = [row[9] for row in indicators[1:]]
    assert "'=100(%)" in values and not any(v.startswith("=") for v in values)
    for table in tables.values():
        for row in csv.reader(io.StringIO(table)):
            assert not any(cell.startswith(("=", "+", "@")) for cell in row)
