"""`stardrill` command line. Each subcommand is a small function registered in COMMANDS."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap

from stardrill import __version__, settings
from stardrill.adapters import bootstrap, cli_content, cli_db, cli_discord, cli_ops, cli_practice, cli_progress, cli_schedule
from stardrill.adapters import damage
from stardrill.adapters.bootstrap import StartupError, fail
from stardrill.store.db import default_db_path


def _add_run(sub) -> None:
    p = sub.add_parser("run", help="Start the bot: every platform whose tokens are set, else the console channel.")
    p.add_argument("--platform", choices=["auto", "console", "slack", "discord"], default="auto",
                   help="Which adapter to start (default: every one whose tokens are present; the console when none are).")
    p.add_argument("--slack-mode", choices=["socket", "http"], default="socket", help="Slack transport (default socket).")
    p.add_argument("--port", type=int, default=3000, help="Port for Slack HTTP mode (default 3000).")
    p.set_defaults(func=cmd_run)


def cmd_run(args) -> int:
    from stardrill.adapters import runner

    return runner.run(args)


def settings_epilog() -> str:
    """Every setting from the registry, so `stardrill --help` and the README list the same ones."""
    lines = ["settings (environment variables; README.md has the details):"]
    for setting in settings.SETTINGS.values():
        lines += textwrap.wrap(setting.help, 100, break_on_hyphens=False, initial_indent=f"  {setting.env:<34} ", subsequent_indent=" " * 37)
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="stardrill", description="Daily behavioral (STAR) interview practice.",
                                  epilog=settings_epilog(), formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("-V", "--version", action="version", version=f"stardrill {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_run(sub)
    for module in REGISTRARS:
        module.register(sub)
    return top


REGISTRARS = [cli_practice, cli_content, cli_schedule, cli_progress, cli_discord, cli_ops, cli_db]


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from stardrill.adapters import logs

    try:
        logs.setup()
    except logs.LogSettingError as exc:
        return fail(str(exc))
    try:
        return args.func(args)
    except StartupError as exc:
        return fail(str(exc))
    except Exception as exc:
        if not damage.is_database_error(exc):
            raise
        # a damaged database surfaces on the first read of a bad page: one line, not a traceback
        return fail(damage.describe(exc, default_db_path()))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `| head`); silence the interpreter's own complaint on exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["main", "bootstrap"]
