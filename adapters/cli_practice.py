"""`stardrill practice` and `stardrill feedback`: practise and get feedback in a terminal."""

from __future__ import annotations

import json
import sys

from stardrill.adapters import bootstrap
from stardrill.adapters.bootstrap import StartupError
from stardrill.adapters.console.adapter import CHANNEL, PLATFORM, ConsoleAdapter, _id
from stardrill.events import Actor, CommandInvoked, MessagePosted, Where
from stardrill.feedback import evaluate


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

    if competency and competency not in COMPETENCIES:
        raise StartupError(f"unknown competency {competency!r} (see `stardrill questions`)")


def cmd_practice(args) -> int:
    app = bootstrap.app()
    _check(app.bank, args.question, args.level, args.competency)
    if args.level:
        from stardrill.store import records

        records.ensure_user(app.store, PLATFORM, args.user, args.user, app.stamp())
        records.set_user_field(app.store, PLATFORM, args.user, "level", args.level.lower())
    console = ConsoleAdapter(app, sys.stdin, sys.stdout, colour=_colour(), user=args.user)
    words = " ".join(w for w in (args.question, args.competency, args.level) if w)
    actor = Actor(PLATFORM, args.user, args.user)
    console.dispatch(CommandInvoked(_id("e"), actor, Where(CHANNEL, direct=True), "practice", words))
    return _practice_loop(app, console, actor)


def _practice_loop(app, console: ConsoleAdapter, actor: Actor) -> int:
    while app.in_practice(PLATFORM, actor.user_id):
        console.print("(your answer; end with a line holding only '.')")
        first = next(console.lines, None)
        if first is None:
            return 0
        text = console.read_message(first) if first.strip() != "." else ""
        console.dispatch(MessagePosted(_id("e"), actor, Where(CHANNEL, direct=True), text, _id("m")))
        if not app.in_practice(PLATFORM, actor.user_id):
            console.print("Another question? [y/N]")
            again = next(console.lines, "")
            if again.strip().lower() in {"y", "yes"}:
                console.press("1")  # the summary's "Another question" button
    return 0


def _colour() -> bool:
    import os

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def cmd_feedback(args) -> int:
    bank = bootstrap.bank()
    if args.jsonl:
        return _feedback_lines(bank, args)
    _check(bank, args.question, args.level)
    text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    level = bank.level(args.level or _default_level(bank))
    question = bank.question(args.question) if args.question else None
    result = evaluate(text, question, level)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return 0
    from stardrill.adapters.console.render import Style, message_text
    from stardrill import render
    from stardrill.messages import Message, Target

    message = Message(Target(PLATFORM, CHANNEL), render.feedback_headline(result), render.feedback_sections(result), kind="feedback")
    print(message_text(message, Style(_colour())))
    return 0


def _default_level(bank) -> str:
    from stardrill import settings

    return settings.get("STARDRILL_LEVEL").lower()


def _feedback_lines(bank, args) -> int:
    failures = 0
    for number, raw in enumerate(sys.stdin.buffer, 1):
        line = raw.decode("utf-8", errors="replace").strip()
        if not line:
            continue
        try:
            print(json.dumps(_one_line(bank, args, line), ensure_ascii=False))
        except (ValueError, KeyError, TypeError) as exc:
            failures += 1
            reason = exc.args[0] if exc.args else str(exc)
            print(json.dumps({"line": number, "error": str(reason)}))
    return 1 if failures else 0


def _one_line(bank, args, line: str) -> dict:
    item = json.loads(line)
    if not isinstance(item, dict) or not isinstance(item.get("answer"), str):
        raise ValueError('each line must be a JSON object with a string "answer"')
    question_id = item.get("question_id") or args.question
    question = bank.question(question_id) if question_id else None
    level = bank.level(item.get("level") or args.level or _default_level(bank))
    return evaluate(item["answer"], question, level).to_json()
