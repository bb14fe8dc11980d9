"""What every command shares: language, exit codes, error messages, safe output paths."""

from __future__ import annotations

import sys
import traceback
from typing import Callable

import click

from ..errors import PerfxlError

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2

lang_option = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of messages (中文 / English).",
)


def echo_error(error: PerfxlError, lang: str = "zh") -> None:
    prefix = "错误" if lang == "zh" else "error"
    click.echo(f"{prefix}: {error.message(lang)}", err=True)


def run_guarded(action: Callable[[], object], debug: bool = False,
                argv: list[str] | None = None) -> int:
    """Run a click main; turn perfxl errors into a message and exit code 2."""
    args = list(sys.argv[1:] if argv is None else argv)
    lang = "en" if "--lang=en" in args or _arg_after(args, "--lang") == "en" else "zh"
    try:
        result = action()
    except PerfxlError as exc:
        if debug:
            traceback.print_exc()
        echo_error(exc, lang)
        return EXIT_UNREADABLE
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("已取消 / aborted", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception:  # the last net: no traceback reaches an accountant unless asked
        if debug:
            raise
        kind, value, _ = sys.exc_info()
        click.echo(
            f"内部错误 / internal error: {kind.__name__}: {value} (用 --debug 查看详情 / rerun with --debug)",
            err=True,
        )
        return 3
    return result if isinstance(result, int) else EXIT_OK


def _arg_after(args: list[str], flag: str) -> str | None:
    return args[args.index(flag) + 1] if flag in args and args.index(flag) + 1 < len(args) else None
