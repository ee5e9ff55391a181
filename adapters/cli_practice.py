"""`stardrill practice` and `stardrill feedback`: practise and get feedback in a terminal."""

from __future__ import annotations

import json
import sys

from stardrill.adapters import bootstrap
from stardrill.adapters.bootstrap import StartupError
from stardrill.adapters.cli_progress import parse_user
from stardrill.adapters.console.adapter import CHANNEL, PLATFORM, ConsoleAdapter, _id
from stardrill.events import Actor, ButtonPressed, CommandInvoked, MessagePosted, Where
from stardrill.feedback import evaluate
from stardrill.messages import PRACTICE_NEXT, PRACTICE_STOP, RETRY


def register(sub) -> None:
    p = sub.add_parser("practice", help="Private practice in the terminal: question, feedback, follow-up probes.")
    p.add_argument("--question", help="Question id (see `stardrill questions`).")
    p.add_argument("--competency", help="Pick a question of this competency (e.g. ownership).")
    p.add_argument("--level", help="Your level: sde1, sde2, senior, staff, tl, em, l7.")
    p.add_argument("--user", default="you", help="Who is practising (history and streaks are per user).")
    p.set_defaults(func=cmd_practice)

    f = sub.add_parser("feedback", help="Read one answer from stdin and print feedback.")
    f.add_argument("--question", help="Question id the answer responds to (default: general rubric).")
    f.add_argument("--level", help="Level to calibrate to (default STARDRILL_LEVEL).")
    mode = f.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="Print the Feedback as one JSON object.")
    mode.add_argument("--jsonl", action="store_true",
                      help='Read JSON lines {"answer", "question_id"?, "level"?}; write one JSON result per line.')
    f.set_defaults(func=cmd_feedback)


def _check(bank, question: str | None, level: str | None, competency: str | None = None) -> None:
    try:
        if question:
            bank.question(question)
        if level:
            bank.level(level)
    except KeyError as exc:
        raise StartupError(exc.args[0]) from None
    from stardrill.content_models import COMPETENCIES

    if competency and competency.lower() not in COMPETENCIES:
        raise StartupError(f"unknown competency {competency!r} (see `stardrill questions`)")


PRACTICE_HELP = ("Practice in the terminal: write your answer and end it with a line holding only '.'; "
                 "/b N presses the button printed as [N]; /quit stops with a summary (so do Ctrl-D and Ctrl-C); "
                 "/help shows this.")


def cmd_practice(args) -> int:
    user = _console_user(args.user)
    stdin = _stdin("`stardrill practice` reads your answers from it; run it in a terminal or pipe them in")
    app = bootstrap.app()
    _check(app.bank, args.question, args.level, args.competency)
    console = ConsoleAdapter(app, stdin, sys.stdout, colour=_colour(), user=user)
    # --level goes in with the words, as `/practice em` would: it applies to this practice, not to later ones
    words = " ".join(w for w in (args.question, args.competency, args.level) if w)
    actor = Actor(PLATFORM, user, user)
    console.dispatch(CommandInvoked(_id("e"), actor, Where(CHANNEL, direct=True), "practice", words))
    return _practice_loop(app, console, actor)


def _console_user(text: str) -> str:
    """--user read as stats, history and export read it; practice in the terminal is always as a console member."""
    platform, user = parse_user(text)
    if platform != PLATFORM:
        raise StartupError(f"--user {text}: practice in the terminal is as a console member (e.g. --user ana or "
                           f"console:ana); a {platform} member practises in {platform.capitalize()}")
    return user


def _stdin(why: str):
    """Standard input, or a one-line error when the shell closed it (`<&-`): Python then has no sys.stdin at all."""
    if sys.stdin is None:
        raise StartupError(f"standard input is closed: {why}")
    return sys.stdin


def _practice_loop(app, console: ConsoleAdapter, actor: Actor) -> int:
    try:
        while app.in_practice(PLATFORM, actor.user_id):
            console.note("(your answer; end with a line holding only '.'; /b N presses a button, /quit stops)")
            first = console.ask()
            if first is None or first.strip().lower() in {"/quit", "/exit"}:
                return _stop(app, console, actor)
            if first.startswith("/"):
                _practice_command(console, first.strip())
                continue
            text = console.read_message(first) if first.strip() != "." else ""
            console.dispatch(MessagePosted(_id("e"), actor, Where(CHANNEL, direct=True), text, _id("m")))
            if not app.in_practice(PLATFORM, actor.user_id):
                console.print("Another question? [y/N] (t: try this one again)")
                again = (console.ask("[y/N/t]> ") or "").strip().lower()
                if again in {"y", "yes"}:
                    console.press_action(PRACTICE_NEXT)  # the summary's "Another question" button
                elif again in {"t", "try"}:
                    console.press_action(RETRY)
    except KeyboardInterrupt:
        console.print("")
        return _stop(app, console, actor)
    return 0


def _practice_command(console: ConsoleAdapter, line: str) -> None:
    word, _, rest = line[1:].partition(" ")
    if word.lower() == "b":
        console.press(rest.strip())
    elif word.lower() == "help":
        console.note(PRACTICE_HELP)
    else:
        console.note(f"/{word} does nothing here. {PRACTICE_HELP}")


def _stop(app, console: ConsoleAdapter, actor: Actor) -> int:
    """End the open practice the way its Stop button does: closed, with its summary."""
    from stardrill.store import records

    session = records.active_session(app.store, PLATFORM, actor.user_id)
    if session is not None:
        console.dispatch(ButtonPressed(_id("e"), actor, Where(CHANNEL, direct=True), PRACTICE_STOP, str(session["id"])))
    return 0


def _colour() -> bool:
    import os

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


FEEDBACK_READS = "`stardrill feedback` reads the answer from it, e.g. `stardrill feedback < answer.txt`"
NO_ANSWER = ("there was no answer on standard input: pipe one in (`stardrill feedback < answer.txt`), "
             "or type it at the terminal and end it with Ctrl-D")


def cmd_feedback(args) -> int:
    bank = bootstrap.bank()
    if args.jsonl:
        return _feedback_lines(bank, args)
    _check(bank, args.question, args.level)
    level = bank.level(args.level or _default_level(bank))
    question = bank.question(args.question) if args.question else None
    stdin = _stdin(FEEDBACK_READS)
    if stdin.isatty():  # typed, not piped: without a word the command looks stuck
        print("Type or paste your answer, then press Ctrl-D on a new line (Ctrl-Z then Enter on Windows).",
              file=sys.stderr, flush=True)
    text = stdin.buffer.read().decode("utf-8", errors="replace")
    if not text.strip():  # an empty pipe is a usage mistake, not an answer worth 0/100
        raise StartupError(NO_ANSWER)
    result = evaluate(text, question, level)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return 0
    from stardrill.adapters.console.render import Style, message_text, terminal_width
    from stardrill import render
    from stardrill.messages import Message, Target

    message = Message(Target(PLATFORM, CHANNEL), render.feedback_headline(result), render.feedback_sections(result), kind="feedback")
    print(message_text(message, Style(_colour(), terminal_width())))
    return 0


def _default_level(bank) -> str:
    """STARDRILL_LEVEL, refused in the words `practice`, `stats` and `run` use."""
    from stardrill.context import UserError, default_level

    try:
        return default_level(bank)
    except UserError as exc:
        raise StartupError(str(exc)) from None


def _feedback_lines(bank, args) -> int:
    from stardrill.adapters import feedback_lines

    failures = 0
    level = args.level or _default_level(bank)
    for result, failed in feedback_lines.results(bank, _stdin(FEEDBACK_READS).buffer, args.question, level):
        failures += failed
        print(json.dumps(result, ensure_ascii=False), flush=True)
    return 1 if failures else 0
