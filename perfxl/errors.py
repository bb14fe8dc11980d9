"""One exception tree for everything perfxl refuses to do.

Every error carries a Chinese and an English message and, where known, the file,
sheet and cell it is about. Third-party exceptions are translated where they enter
(see ``perfxl.io``) so that no traceback reaches an accountant.
"""

from __future__ import annotations


class PerfxlError(Exception):
    """Base class: a message in Chinese and English plus a location."""

    def __init__(
        self,
        zh: str,
        en: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
    ) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.file = file
        self.sheet = sheet
        self.cell = cell

    def where(self, lang: str = "zh") -> str:
        """The location as a short prefix, e.g. ``book.xlsx 表1!B5``."""
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.sheet and self.cell:
            parts.append(f"{self.sheet}!{self.cell}")
        elif self.sheet:
            parts.append(f"[{self.sheet}]" if lang == "en" else f"工作表「{self.sheet}」")
        elif self.cell:
            parts.append(self.cell)
        return " ".join(parts)

    def message(self, lang: str = "zh") -> str:
        text = self.zh if lang == "zh" else self.en
        where = self.where(lang)
        return f"{where}: {text}" if where else text

    def __str__(self) -> str:
        return self.message("en")


class InputError(PerfxlError):
    """An input cannot be read at all (missing, wrong format, undecodable)."""


class FormParseError(PerfxlError):
    """An input was read but holds no form perfxl can recognise."""


class WorkbookError(PerfxlError):
    """A workbook cannot be written or changed as asked."""


class ConfigError(PerfxlError):
    """A settings file is malformed."""


class SpendingError(PerfxlError):
    """Execution (spending) figures are unusable."""
