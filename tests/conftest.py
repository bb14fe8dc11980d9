"""Shared fixtures: the bundled sample forms, parsed once."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfxl.io import read_forms

SAMPLE = Path(__file__).resolve().parent.parent / "perfxl" / "data" / "shanghai-kcb-2023.txt"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_forms():
    return read_forms(SAMPLE)
