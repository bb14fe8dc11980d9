"""The ``perfxl`` command: thin doors onto the library, one module per command.

Each command module exposes a click command named ``command``. Library errors
(``PerfxlError``) become a clear message naming file, sheet and cell and exit code 2;
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import atexit
import importlib
import os
import sys
from typing import NoReturn

import click

from .. import __version__
from .common import EXIT_UNREADABLE, echo_error, run_guarded

# Command modules, in the order `perfxl --help` lists them.
COMMAND_MODULES = ("validate", "import_", "consolidate", "rollover", "template", "rules", "demo", "install")


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in self._load() if name]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """Only the named command's module is imported (``consolidate`` does not load
        what ``validate`` needs, and the other way round)."""
        module_name = name + "_" if f"{name}_" in COMMAND_MODULES else name
        if module_name not in COMMAND_MODULES:
            return None
        command = self._command(module_name)
        return command if command is not None and command.name == name else None

    def _load(self) -> dict[str, click.Command]:
        commands = (self._command(module_name) for module_name in COMMAND_MODULES)
        return {command.name: command for command in commands if command is not None}

    def _command(self, module_name: str) -> click.Command | None:
        try:
            module = importlib.import_module(f"{__name__}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{module_name}":
                return None  # a command not built yet
            raise
        return module.command


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="perfxl")
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """perfxl — 财政项目支出绩效目标申报表: check, consolidate, roll forward.

    \b
    Example:
      perfxl demo
      perfxl validate 申报表.xlsx --lang en
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main(argv: list[str] | None = None) -> None:
    sys.exit(_run(argv))


def console() -> None:
    """The ``perfxl`` console script: ``main``, then the process ends at once (``_leave``)."""
    _leave(_run(None))


def _run(argv: list[str] | None) -> int:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    return run_guarded(lambda: cli.main(args=argv, prog_name="perfxl", standalone_mode=False),
                       debug=debug, argv=argv)


def _leave(code: int) -> NoReturn:
    """End the process now: exit handlers run and output is flushed, but the interpreter
    is not taken apart object by object, which after a run over thousands of forms costs
    some 40 ms for nothing (the memory goes back to the system as a whole)."""
    atexit._run_exitfuncs()  # multiprocessing, logging, weakref.finalize (temporary files)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe, a closed stream: nothing to keep
            pass
    os._exit(code)


__all__ = ["cli", "main", "console", "EXIT_UNREADABLE", "echo_error"]
