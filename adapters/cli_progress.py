"""`stardrill stats` and `stardrill history`: a member's progress in the terminal, rendered like the console."""

from __future__ import annotations

import os
import sys

from stardrill.adapters import bootstrap
from stardrill.adapters.bootstrap import StartupError
from stardrill.adapters.console.adapter import CHANNEL
from stardrill.adapters.console.render import Style, message_text
from stardrill.messages import Target


def register(sub) -> None:
    s = sub.add_parser("stats", help="A member's progress: streak, per-criterion trend, competencies, timing, stories.")
    s.add_argument("--user", default="console:you", help="PLATFORM:USER, e.g. slack:U024BE7LH or console:you (default console:you).")
    s.set_defaults(func=cmd_stats)
    h = sub.add_parser("history", help="A member's last answers with their feedback, or one answer in full.")
    h.add_argument("--user", default="console:you", help="PLATFORM:USER (default console:you).")
    h.add_argument("--answer", help="Answer id to show in full (ids are in the listing).")
    h.set_defaults(func=cmd_history)


def parse_user(text: str) -> tuple[str, str]:
    """'slack:U1' -> ('slack', 'U1'); a bare id is a console member."""
    platform, sep, user = text.partition(":")
    if not sep:
        return "console", text
    if not platform or not user:
        raise StartupError(f"--user must be PLATFORM:USER (e.g. slack:U024BE7LH), not {text!r}")
    return platform, user


def _print(message) -> None:
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    print(message_text(message, Style(colour)))


def cmd_stats(args) -> int:
    from stardrill.progress import stats

    platform, user = parse_user(args.user)
    app = bootstrap.app()
    _print(stats.build(app, platform, user, Target(platform, CHANNEL, private_to=user)))
    return 0


def cmd_history(args) -> int:
    from stardrill.context import UserError
    from stardrill.progress import history

    platform, user = parse_user(args.user)
    app = bootstrap.app()
    target = Target(platform, CHANNEL, private_to=user)
    try:
        message = history.one(app, platform, user, args.answer, target) if args.answer else history.listing(app, platform, user, target)
    except UserError as exc:
        raise StartupError(str(exc)) from None
    _print(message)
    return 0
