"""I — the indicator set."""

from __future__ import annotations

from .base import ERROR, INFO, WARNING, Hit, rule  # noqa: F401
