"""`stardrill stats`, `stardrill history` and `stardrill export`: a member's progress and data in the terminal."""

from __future__ import annotations

import argparse
import os
import sys

from stardrill.adapters import bootstrap
from stardrill.adapters.bootstrap import StartupError
from stardrill.adapters.console.adapter import CHANNEL
from stardrill.adapters.console.render import Style, message_text, terminal_width
from stardrill.messages import Target
from stardrill.schedules.repo import KNOWN_PLATFORMS


def register(sub) -> None:
    s = sub.add_parser("stats", help="A member's progress: streak, per-criterion trend, competencies, timing, stories.")
    s.add_argument("--user", default="console:you", help="PLATFORM:USER, e.g. slack:U024BE7LH or console:you (default console:you).")
    s.set_defaults(func=cmd_stats)
    h = sub.add_parser("history", help="A member's last answers with their feedback, or one answer in full.")
    h.add_argument("--user", default="console:you", help="PLATFORM:USER (default console:you).")
    h.add_argument("--answer", help="Answer id to show in full (ids are in the listing).")
    h.add_argument("--json", action="store_true", help="JSON lines instead of text, in the shape of `stardrill export`.")
    h.set_defaults(func=cmd_history)
    e = sub.add_parser("export", help="All of a member's answers, feedback and peer reviews as JSON lines.")
    e.add_argument("--user", required=True, help="PLATFORM:USER (a bare id means console), e.g. slack:U024BE7LH.")
    e.set_defaults(func=cmd_export)


def parse_user(text: str) -> tuple[str, str]:
    """'slack:U1' -> ('slack', 'U1'); a bare id is a console member; the platform must be one Stardrill serves."""
    if not text.strip():
        raise StartupError("--user is empty: name a member, e.g. --user ana or --user slack:U024BE7LH")
    platform, sep, user = text.partition(":")
    if not sep:
        return "console", text
    if not platform or not user.strip():
        raise StartupError(f"--user must be PLATFORM:USER (e.g. slack:U024BE7LH), not {text!r}")
    if platform.lower() not in KNOWN_PLATFORMS:
        raise StartupError(f"--user {text}: Stardrill has no platform {platform!r} (it serves {', '.join(KNOWN_PLATFORMS)})")
    return platform.lower(), user


MAX_DIGITS = 20  # every number Stardrill takes (ids, ports, counts, Discord snowflakes) fits in 64 bits


def whole_number(low: int, high: int):
    """An argparse type: a whole number from low to high, refused in words before a huge one is even converted."""
    def convert(text: str) -> int:
        digits = text.strip()
        if not is_digits(digits) or len(digits) > MAX_DIGITS or not low <= int(digits) <= high:
            raise argparse.ArgumentTypeError(f"must be a whole number from {low} to {high}, not {shortened(text)}")
        return int(digits)
    return convert


def integer(text: str) -> int:
    """An argparse type: int(), after refusing in words a number longer than any Stardrill takes."""
    if len(text.strip().lstrip("+-")) > MAX_DIGITS:
        raise argparse.ArgumentTypeError(f"{shortened(text)} is too long to be a number Stardrill can use")
    return int(text)


def shortened(text: str, keep: int = 24) -> str:
    """A value quoted in an error, cut so that a pasted megabyte does not become the message."""
    return repr(text) if len(text) <= keep else f"{text[:keep]!r}... ({len(text)} characters)"


def is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()  # str.isdigit() alone takes '²', which int() refuses


def _print(message, user: str) -> None:
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    print(message_text(message, Style(colour, terminal_width()), user))


def cmd_stats(args) -> int:
    from stardrill.progress import stats

    platform, user = parse_user(args.user)
    app = bootstrap.app()
    _print(stats.build(app, platform, user, Target(platform, CHANNEL, private_to=user)), user)
    return 0


def cmd_history(args) -> int:
    from stardrill.context import UserError
    from stardrill.progress import export, history

    platform, user = parse_user(args.user)
    app = bootstrap.app()
    if args.answer is not None and not is_digits(args.answer.lstrip("#")):
        raise StartupError(f"--answer takes an answer id (a number), not {shortened(args.answer)}")
    answer = args.answer.lstrip("#") if args.answer else None
    mine = f"`stardrill history --user {platform}:{user}` lists them with their ids"
    if answer and len(answer) > MAX_DIGITS:  # no stored id is that long, and int() refuses thousands of digits
        raise StartupError(f"no answer has the id {shortened(answer)}; {mine}")
    if args.json:
        found = export.records(app, platform, user, answer_id=int(answer)) if answer else \
            export.records(app, platform, user, latest=export.LISTING)
        if answer and not found:
            raise StartupError(f"answer {answer} is not one of {platform}:{user}'s answers; {mine}")
        sys.stdout.write(export.json_lines(found))
        return 0
    target = Target(platform, CHANNEL, private_to=user)
    try:
        reopen = f"stardrill history --user {platform}:{user} --answer ID"
        message = history.one(app, platform, user, answer, target) if answer else \
            history.listing(app, platform, user, target, reopen=reopen)
    except UserError:
        raise StartupError(f"answer {answer} is not one of {platform}:{user}'s answers; {mine}") from None
    _print(message, user)
    return 0


def cmd_export(args) -> int:
    from stardrill.progress import export

    platform, user = parse_user(args.user)
    found = export.records(bootstrap.app(), platform, user)
    if not found:
        print(f"{platform}:{user} has no answers to export", file=sys.stderr)
    sys.stdout.write(export.json_lines(found))
    return 0
