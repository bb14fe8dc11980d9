"""The rule catalogue: one module per family, one small rule per check (codes of rules.md)."""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

from ..config import Config
from ..model import Form
from ..report import Finding, Report
from .base import ERROR, INFO, WARNING, Hit, Rule, registry, rule, rules_of_scope

# Importing a family module registers its rules.
from . import funding, funding_units, dates, classification, indicators, indicators_context, values, values_more, structure, crossyear  # noqa: E402,F401
from . import consolidation  # noqa: E402,F401  (C: across forms)
from .consolidation import Copies  # noqa: E402

__all__ = ["Hit", "Rule", "rule", "registry", "validate", "check_form", "check_forms", "FormsChecker", "make_finding", "ERROR", "WARNING", "INFO"]


class _SafeValues(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def make_finding(rule_: Rule, form: Form, hit: Hit, config: Config) -> Finding:
    ref = hit.ref(form)
    messages = rule_.messages
    message = messages.get(hit.variant) or messages["default"]
    label = form.label
    placeholders = _SafeValues(hit.values)
    if "project" not in placeholders:
        placeholders["project"] = label
    severity = config.severity.get(rule_.code) or hit.severity or rule_.severity
    return Finding(rule_.code, rule_.name, severity, label, ref.file or form.source.file,
                   ref.sheet, ref.cell, _filled(message.zh, placeholders),
                   _filled(message.en, placeholders), _filled(rule_.fix.zh, placeholders),
                   _filled(rule_.fix.en, placeholders), dict(hit.values))


def _filled(template: str, placeholders: _SafeValues) -> str:
    """``template.format_map(placeholders)``; a text without braces (most fix hints) as is."""
    if "{" in template or "}" in template:
        return template.format_map(placeholders)
    return template


def check_form(form: Form, config: Config | None = None, only: Iterable[str] | None = None):
    """The findings of one form, in catalogue order."""
    config = config or Config()
    rules = rules_of_scope("form")
    if only is not None or config.severity or not form.has_indicator_block:
        rules = _rules_for(form, config, only)
    findings: list[Finding] = []
    for rule_ in rules:
        for hit in rule_.check(form, config):
            findings.append(make_finding(rule_, form, hit, config))
    return findings


def _rules_for(form: Form, config: Config, only: Iterable[str] | None) -> list[Rule]:
    """The form rules that run on ``form``: those of ``only`` (all when None) the settings
    leave on, without the ones that need an indicator block when the form has none."""
    wanted = set(only) if only is not None else None
    blockless = not form.has_indicator_block
    return [rule_ for rule_ in rules_of_scope("form")
            if (wanted is None or rule_.code in wanted) and config.enabled(rule_.code)
            and not (blockless and rule_.needs_indicators)]


class FormsChecker:
    """The cross-form rules (scope "forms", the C family) run over forms handed in one at a
    time: a summary hands in each form's header rebuilt from its row on disk, then lets go
    of it; what the rules keep is their sums and the copies they found.

    ``copies.of`` says which forms are later copies of an earlier one (rule C03's identity),
    whether or not C03 itself is on.
    """

    def __init__(self, config: Config | None = None, only: Iterable[str] | None = None) -> None:
        self.config = config or Config()
        wanted = set(only) if only is not None else None
        self._checks = [(rule_, rule_.check(self.config)) for rule_ in rules_of_scope("forms")
                        if (wanted is None or rule_.code in wanted)
                        and self.config.enabled(rule_.code)]
        self.copies = Copies()
        self._count = 0

    def add(self, form: Form) -> None:
        index, self._count = self._count, self._count + 1
        first = self.copies.add(index, form)
        for _, check in self._checks:
            check.add(index, form, first)

    def findings(self, form_at: Callable[[int], Form]) -> list[tuple[int, Finding]]:
        """(index of the form it points at, finding), rule by rule in catalogue order;
        ``form_at(index)`` gives back a form handed in before."""
        return [(index, make_finding(rule_, form_at(index), hit, self.config))
                for rule_, check in self._checks for index, hit in check.hits(form_at)]


def check_forms(forms, config: Config | None = None, only: Iterable[str] | None = None):
    """The findings of the cross-form rules (scope "forms", the C family) over a set of forms."""
    forms = forms if isinstance(forms, Sequence) else list(forms)
    checker = FormsChecker(config, only)
    for form in forms:
        checker.add(form)
    return [finding for _, finding in checker.findings(forms.__getitem__)]


def validate(
    forms: Iterable[Form],
    config: Config | None = None,
    only: Iterable[str] | None = None,
    *,
    across: bool = False,
) -> Report:
    """Check forms against the catalogue (or the codes in ``only``).

    With ``across=True`` the cross-form rules (duplicates, department totals) run too.
    """
    config = config or Config()
    only = tuple(only) if only is not None else None
    forms = list(forms)
    findings: list[Finding] = []
    for form in forms:
        findings.extend(check_form(form, config, only))
    if across:
        findings.extend(check_forms(forms, config, only))
    return Report(tuple(findings), len(forms))
