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


# Hypothesis profiles: "ci" (the default, a few hundred examples per property) and
# "thorough" (10,000 examples: HYPOTHESIS_PROFILE=thorough ./run test tests/test_properties.py).
import os  # noqa: E402

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ci", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
