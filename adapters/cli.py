"""`stardrill` command line. Each subcommand is a small function registered in COMMANDS."""

from __future__ import annotations

import argparse
import errno
import os
import sys
import textwrap

from stardrill import __version__, settings
from stardrill.adapters import bootstrap, cli_content, cli_db, cli_discord, cli_ops, cli_practice, cli_progress, cli_schedule
from stardrill.adapters import damage
from stardrill.adapters.bootstrap import StartupError, fail
from stardrill.adapters.cli_progress import integer
from stardrill.store import URL_SETTING
from stardrill.store.db import default_db_path


def _add_run(sub) -> None:
    p = sub.add_parser("run", help="Start the bot: every platform whose tokens are set, else the console channel.")
    p.add_argument("--platform", choices=["auto", "console", "slack", "discord"], default="auto",
                   help="Which adapter to start (default: every one whose tokens are present; the console when none are).")
    p.add_argument("--slack-mode", choices=["socket", "http"], default="socket", help="Slack transport (default socket).")
    p.add_argument("--port", type=integer, default=3000, help="Port for Slack HTTP mode (default 3000).")
    p.set_defaults(func=cmd_run)


def cmd_run(args) -> int:
    from stardrill.adapters import runner

    if sys.stdin is None and "console" in runner.chosen_platforms(args.platform):
        raise StartupError("standard input is closed: the console channel reads what you type from it; "
                           "run it in a terminal, or set a platform's tokens (see `stardrill run --help`)")
    return runner.run(args)


def settings_epilog() -> str:
    """Every setting from the registry, so `stardrill --help` and the README list the same ones."""
    lines = ["settings (environment variables; README.md has the details):"]
    for setting in settings.SETTINGS.values():
        lines += textwrap.wrap(setting.help, 100, break_on_hyphens=False, initial_indent=f"  {setting.env:<34} ", subsequent_indent=" " * 37)
    return "\n".join(lines)


class CommandParser(argparse.ArgumentParser):
    """argparse, but an unknown flag is named, with the usage of the command it was given to, and a flag or a
    positional argument given an empty value is refused.

    Plain argparse hands a flag a subcommand does not know up to the top parser (so the top usage is shown), and
    checks for a missing subcommand before unknown flags (so `stardrill --bogus` only says COMMAND is required).
    It also takes `--level ''` as a value, which the commands then read as "not given" and quietly use the default,
    and `stardrill backup ''` as a path, which Python reads as the current folder.
    Subcommands made from this parser inherit its class, so every level behaves the same."""

    subcommand_action = None
    subcommand_required = False

    def add_subparsers(self, **kwargs):
        # argparse would check "required" before unknown flags; parse_known_args checks it after them
        self.subcommand_required = kwargs.pop("required", False)
        self.subcommand_action = super().add_subparsers(required=False, **kwargs)
        return self.subcommand_action

    def _get_values(self, action, arg_strings):
        # argparse's one place where every argument's text passes before conversion, for every flag and positional of
        # every command; a positional with nargs="?" or "*" that is not given arrives here with no text at all
        if _holds_its_own_text(action) and any(not text.strip() for text in arg_strings):
            self.exit(2, f"error: {_argument_name(action)} needs a value; see `{self.prog} --help`\n")
        return super()._get_values(action, arg_strings)

    def parse_known_args(self, args=None, namespace=None):
        namespace, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        action = self.subcommand_action
        if self.subcommand_required and getattr(namespace, action.dest, None) is None:
            self.error(f"the following arguments are required: {action.metavar or action.dest}")
        return namespace, extras


def _holds_its_own_text(action: argparse.Action) -> bool:
    """False for a subcommand's slot: the words it receives are the subcommand's, and its own parser checks them."""
    return action.nargs not in (argparse.PARSER, argparse.REMAINDER)


def _argument_name(action: argparse.Action) -> str:
    """How an argument is named in messages: a flag by its long spelling (`--level`), however it was typed (an
    abbreviation, a short form); a positional by its metavar (`PATH`), or its name in upper case (`CHANNEL`)."""
    if action.option_strings:
        return max(action.option_strings, key=len)
    return action.metavar or action.dest.upper()


def parser() -> argparse.ArgumentParser:
    top = CommandParser(prog="stardrill", description="Daily behavioral (STAR) interview practice.",
                        epilog=settings_epilog(), formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("-V", "--version", action="version", version=f"stardrill {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_run(sub)
    for module in REGISTRARS:
        module.register(sub)
    return top


REGISTRARS = [cli_practice, cli_content, cli_schedule, cli_progress, cli_discord, cli_ops, cli_db]


def main(argv: list[str] | None = None) -> int:
    try:
        code = _main(argv)
        sys.stdout.flush()  # a write error surfaces here, not at exit where Python can only print a traceback
        return code
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): the Python docs' recipe, so the flush at exit cannot complain either
        _discard_stdout()
        return 1
    except OSError as exc:
        if exc.errno not in OUTPUT_ERRORS:
            raise
        _discard_stdout()
        return fail(f"cannot write the output ({exc.strerror}): free some space or write it somewhere else", 1)


OUTPUT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}  # a full disk, a quota, a failing device


def _discard_stdout() -> None:
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _main(argv: list[str] | None) -> int:
    top = parser()
    args = top.parse_args(argv)
    from stardrill.adapters import logs

    failure_exit = getattr(args, "failure_exit", 2)
    if problem := _argument_not_text(top, args) or _setting_problem():
        return fail(problem, failure_exit)
    try:
        logs.setup()
    except logs.LogSettingError as exc:
        return fail(str(exc), failure_exit)
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


def _is_text(value: str) -> bool:
    """False for what Python made of bytes that are not UTF-8 (lone surrogates): nothing downstream can store them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _argument_not_text(top: CommandParser, args) -> str | None:
    for action in _chosen_actions(top, args):
        value = getattr(args, action.dest, None)
        if any(isinstance(v, str) and not _is_text(v) for v in (value if isinstance(value, list) else [value])):
            return f"{_argument_name(action)} is not valid UTF-8: type it again as UTF-8 text"
    return None


def _chosen_actions(top: CommandParser, args):
    """The arguments of the command line's own (sub)commands, so a bad value is named by the flag it was given to."""
    parser = top
    while parser is not None:
        yield from parser._actions
        sub = parser.subcommand_action
        parser = sub.choices.get(getattr(args, sub.dest, None)) if sub else None


def _setting_problem() -> str | None:
    """Settings every command may read, checked before any runs so a bad one is named rather than a traceback."""
    for name in settings.SETTINGS:
        if not _is_text(os.environ.get(name, "")):
            return f"{name} is not valid UTF-8: set it again as UTF-8 text"
    return cli_db.url_problem(os.environ.get(URL_SETTING), URL_SETTING)


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["main", "bootstrap"]
