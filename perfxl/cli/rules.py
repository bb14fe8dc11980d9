"""``perfxl rules``: the rule catalogue, as a table, Markdown (docs/rules.md) or JSON."""

from __future__ import annotations

import json

import click

from ..errors import PerfxlError
from ..rules import registry
from ..rules.catalogue import catalogue_json, catalogue_markdown, rule_text
from .common import lang_option


@click.command("rules")
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "md", "json"]), default="table",
              show_default=True, help="Output format (md is what docs/rules.md holds).")
@lang_option
def command(code: str | None, fmt: str, lang: str):
    """List the rules perfxl checks, with severity, message, fix and source.

    \b
    Example:
      perfxl rules            # the whole catalogue
      perfxl rules V06        # one rule
      perfxl rules --format md > docs/rules.md
    """
    rules = registry()
    if code is not None:
        code = code.upper()
        if code not in rules:
            raise PerfxlError(f"没有规则 {code}", f"no rule {code}")
        rules = {code: rules[code]}
    if fmt == "md":
        click.echo(catalogue_markdown(rules.values()), nl=False)
    elif fmt == "json":
        click.echo(json.dumps(catalogue_json(rules.values()), ensure_ascii=False, indent=2))
    else:
        for rule in rules.values():
            click.echo(rule_text(rule, lang))
