"""Findings and the report: one object behind the marks, the findings sheet, the CLI and JSON."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Iterable, Mapping

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True, init=False)
class Finding:
    code: str
    name: str
    severity: str
    form: str  # the project name (or the source when the form has none)
    file: str
    sheet: str
    cell: str
    message_zh: str
    message_en: str
    fix_zh: str
    fix_en: str
    values: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __init__(self, code: str, name: str, severity: str, form: str, file: str, sheet: str,
                 cell: str, message_zh: str, message_en: str, fix_zh: str, fix_en: str,
                 values: Mapping[str, Any] | None = None) -> None:
        # Made for every finding of every form, and again when a summary shares its texts:
        # filling the instance dict (as model.Ref does) is several times faster than the
        # frozen dataclass's generated __init__, and the instance stays frozen.
        fields = self.__dict__
        fields["code"], fields["name"], fields["severity"] = code, name, severity
        fields["form"], fields["file"], fields["sheet"], fields["cell"] = form, file, sheet, cell
        fields["message_zh"], fields["message_en"] = message_zh, message_en
        fields["fix_zh"], fields["fix_en"] = fix_zh, fix_en
        fields["values"] = {} if values is None else values

    def __reduce__(self):
        # Pickled as the arguments it is made from (its fields, in order): a folder run's
        # findings go from the workers to the parent and to and from the disk, and an
        # instance dict restored key by key (pickle's default) takes several times as long.
        return Finding, tuple(map(self.__dict__.__getitem__, _FINDING_FIELDS))

    def without_values(self) -> "Finding":
        """The same finding without its raw values (``dataclasses.replace`` would take
        several times as long: a summary of thousands of forms makes one per finding)."""
        if not self.values:
            return self
        lean = object.__new__(Finding)
        lean.__dict__.update(self.__dict__, values={})
        return lean

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def fix(self, lang: str = "zh") -> str:
        return self.fix_zh if lang == "zh" else self.fix_en

    def severity_label(self, lang: str = "zh") -> str:
        return SEVERITY_ZH[self.severity] if lang == "zh" else self.severity

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "form": self.form,
            "file": self.file or None,
            "sheet": self.sheet or None,
            "cell": self.cell or None,
            "message": {"zh": self.message_zh, "en": self.message_en},
            "fix": {"zh": self.fix_zh, "en": self.fix_en},
        }


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))  # __init__'s arguments, in order


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...] = ()
    forms: int = 0

    def flatten(self, keys: Iterable[str] = ("code", "cell")) -> list[tuple]:
        """One tuple per finding, e.g. ``[("E04", "B47"), …]`` — tests become one-liners."""
        keys = tuple(keys)
        return [tuple(getattr(f, k) for k in keys) for f in self.findings]

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def has_errors(self) -> bool:
        return self.count("error") > 0

    def counts(self) -> dict[str, int]:
        return {s: self.count(s) for s in SEVERITY_ORDER}

    def sorted(self) -> "Report":
        order = sorted(
            self.findings, key=lambda f: (f.file, f.sheet, f.form, SEVERITY_ORDER[f.severity])
        )
        return Report(tuple(order), self.forms)

    def __add__(self, other: "Report") -> "Report":
        return Report(self.findings + other.findings, self.forms + other.forms)

    def to_dict(self) -> dict[str, Any]:
        return {
            "forms": self.forms,
            "counts": self.counts(),
            "findings": [f.to_dict() for f in self.findings],
        }
