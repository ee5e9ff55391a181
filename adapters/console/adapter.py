"""A terminal "team channel": the same commands as Slack and Discord, one simulated member at a time.

Lines starting with '/' are commands. Any other text is a message; it ends at a line holding only
'.' (or at end of input) and goes to the open question's thread, or to your private practice
while one is running. `/as NAME` switches the member, `/b N` presses a button, `/quit` leaves.
On a terminal the prompt says which of the two a line will be: a command (or a new message) or
the next line of the answer being written.
"""

from __future__ import annotations

import itertools
import logging
import signal
import threading
import uuid
from collections.abc import Iterator
from typing import TextIO

from stardrill import wire
from stardrill.adapters import damage
from stardrill.adapters.console.render import (
    Style, choice_value, field_prompt, message_text, modal_intro, terminal_width, wrap,
)
from stardrill.events import Actor, ButtonPressed, CommandInvoked, MessagePosted, ModalSubmitted, Where
from stardrill.messages import Button, Choice, Message, Modal, Outbound, Retract, Sent

log = logging.getLogger(__name__)

PLATFORM = "console"
CHANNEL = "team"
COMMANDS = {"practice", "stardrill", "review", "help"}
END = "."
EXTRAS = ("In this terminal also: /as NAME  become another member (to demo peer review) · "
          "/b N  press the button numbered N above · /quit  leave (so does Ctrl-D or Ctrl-C)")
# In a form, /cancel drops the form and /quit (or /exit) drops it and leaves: a Slack or Discord form has
# its Cancel button, and neither is a rating or a comment anyone means to store.
LEAVE_FORM = frozenset({"/cancel", "/quit", "/exit"})
LEFT = object()  # _field's answer when the member left the form


def _id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


class ConsoleAdapter:
    platform = PLATFORM

    def __init__(self, app, stdin: TextIO, stdout: TextIO, colour: bool = False, user: str = "you",
                 interactive: bool | None = None):
        self.app = app
        # Bytes that are not UTF-8 must neither stop the reading (a strict decoder raises) nor reach SQLite as lone
        # surrogates (it cannot store them): read them escaped, then each becomes U+FFFD, so "/as <bad name>" or an
        # answer pasted from another encoding is kept rather than ending the run.
        if hasattr(stdin, "reconfigure"):
            stdin.reconfigure(errors="surrogateescape")
        self.lines: Iterator[str] = (wire.scrub_text(line.rstrip("\n")) for line in stdin)
        self.out = stdout
        self.style = Style(colour, terminal_width(stdout))
        self.interactive = _isatty(stdin) if interactive is None else interactive  # prompts only for a person typing
        self.user = user
        # The buttons /b N presses: every button printed since the member last typed, numbered on from one message
        # to the next ("[1] Try again" on the feedback, "[2] Stop" on the follow-up below it), so each number on
        # screen presses what it is printed beside.
        self.buttons: list[Button] = []
        self._typed = True  # the member typed since the last buttons were printed: the next ones start again at 1
        self.thread = app.open_thread(PLATFORM, CHANNEL)
        # The scheduler delivers from its own threads while this one reads stdin: one writer at a time.
        # Re-entrant because a modal's form dispatches (and so delivers) from inside deliver().
        self._deliver_lock = threading.RLock()

    # -- sending (core -> terminal) ----------------------------------------------------------------

    def send(self, message: Message) -> Sent:
        if message.target.private_to and message.target.private_to != self.user:
            self.print(self.style("\033[2m", f"(a private note for {message.target.private_to} was sent)"))
            return Sent(_id("m"))
        if message.buttons and self._typed:
            self.buttons, self._typed = [], False
        self.print(message_text(message, self.style, self.user, first=len(self.buttons) + 1))
        if message.attachment is not None:  # a terminal has no files to hand over: the content itself, unwrapped
            self.print(self.style("\033[2m", f"── file {message.attachment.name} ──"))
            self.out.write(message.attachment.content)
            self.out.flush()
        self.buttons.extend(message.buttons)
        receipt = Sent(_id("m"))
        if message.opens_thread:
            self.thread = receipt.message_id
        return receipt

    def deliver(self, outbound: list[Outbound]) -> None:
        with self._deliver_lock:
            self._deliver(outbound)

    def already_posted(self, channel: str, track: str) -> str | None:
        """A terminal keeps no history to ask, so this is always None ("nothing posted"): after a crash between
        claim and print, the question is printed again. A duplicate line on a terminal is harmless."""
        return None

    def _deliver(self, outbound: list[Outbound]) -> None:
        for item in outbound:
            if isinstance(item, Modal):
                self.fill(item)
                continue
            if isinstance(item, Retract):
                self.print(self.style("\033[2m", "(a reply was removed from the thread: this question is in blind mode)"))
                continue
            receipt = self.send(item)
            if item.track:
                self.app.sent(item.track, receipt)

    def fill(self, modal: Modal) -> None:
        """A modal becomes a short form read from the same input; each field is checked as it is entered."""
        self.print(modal_intro(modal, self.style))
        values: dict[str, str] = {}
        for field in modal.fields:
            value = self._field(field)
            if value is None:
                self.print("\n(form abandoned at end of input; nothing stored)")
                return
            if value is LEFT:
                self.print("(form cancelled; nothing stored)")
                return
            values[field.id] = value
        self.dispatch(ModalSubmitted(_id("e"), self.actor(), self.where(), modal.action, modal.value, values))

    def _field(self, field) -> str | None:
        """One field's value; a choice is asked again until it is one of its options (what was typed stays)."""
        while True:
            self.out.write(field_prompt(field))
            self.out.flush()
            line = next(self.lines, None)
            if line is None:
                return None
            word = line.strip().lower()
            if word in LEAVE_FORM:
                if word != "/cancel":  # the terminal's own loop reads it again and leaves
                    self.lines = itertools.chain([line], self.lines)
                return LEFT
            if not isinstance(field, Choice):
                return line.strip()
            chosen = choice_value(field, line)
            if chosen is not None:
                return chosen
            self.note(f"'{line.strip()}' is not one of {', '.join(field.options)}; type one of them (or its number).")

    def print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def note(self, text: str) -> None:
        """A plain line of the terminal's own (a hint, an error), wrapped like messages are."""
        self.print("\n".join(wrap(text, self.style.width)))

    # -- receiving (terminal -> core) ----------------------------------------------------------------

    def actor(self) -> Actor:
        return Actor(PLATFORM, self.user, self.user, is_admin=True)

    def where(self, direct: bool = False) -> Where:
        return Where(CHANNEL, None if direct else self.thread, direct=direct)

    def dispatch(self, event) -> None:
        try:
            outbound = self.app.handle(event)
        except Exception as exc:
            if damage.is_database_error(exc):
                self._stop_for_the_database(exc, event)
            log.exception("handling %s failed", type(event).__name__)  # keep the session alive; the store is transactional
            self.print(f"error: {exc}")
            return
        self.deliver(outbound)

    def _stop_for_the_database(self, exc: BaseException, event) -> None:
        """Keep what the member typed beside the database, then stop with one line (no error per action after)."""
        typed = [event.text] if isinstance(event, MessagePosted) else list(getattr(event, "fields", {}).values())
        kept = damage.keep(self.app.store.path, f"{PLATFORM}:{self.user}", typed)
        problem = damage.describe(exc, self.app.store.path)
        if kept:
            problem += f"; what you typed is kept in {kept}"
        elif any(t.strip() for t in typed):
            self.print("What you typed (it could not be stored):\n" + "\n".join(typed))
        raise damage.DatabaseTrouble(problem) from None

    # -- prompts ---------------------------------------------------------------------------------------

    def prompt(self) -> str:
        """Where a new line goes: a command, or the first line of a message to the practice or the thread."""
        if self.app.in_practice(PLATFORM, self.user):
            return f"{self.user} › practice> "
        return f"{self.user} › #team thread> " if self.thread else f"{self.user} › #team> "

    def ask(self, prompt: str | None = None) -> str | None:
        """The next input line (None at end of input), after a prompt when a person is typing."""
        if self.interactive:
            self.out.write(prompt if prompt is not None else self.prompt())
            self.out.flush()
        line = next(self.lines, None)
        self._typed = True
        return line

    def read_message(self, first: str) -> str:
        lines = [first]
        while (line := self.ask(f"{self.user} › answer, end with a line holding only '.'> ")) is not None:
            if line.strip() == END:
                break
            lines.append(line)
        return "\n".join(lines)

    # -- commands ----------------------------------------------------------------------------------------

    def on_line(self, line: str) -> bool:
        """Handle one command line; False means quit."""
        word, _, rest = line[1:].partition(" ")
        word = word.lower()
        if word in {"quit", "exit"}:
            return False
        if word == "as":
            self.user = rest.strip() or self.user
            self.print(f"(you are now {self.user})")
        elif word == "b":
            self.press(rest.strip())
        elif word in COMMANDS:
            self.dispatch(CommandInvoked(_id("e"), self.actor(), self.where(), word, rest.strip()))
            if word == "help" or (word == "stardrill" and rest.strip().lower() in {"", "help"}):
                self.note(EXTRAS)
        else:
            self.print(f"unknown command /{word}; try /help (console extras: /as NAME, /b N, /quit)")
        return True

    def press(self, number: str) -> None:
        if not number.isdigit() or not 1 <= int(number) <= len(self.buttons):
            self.print(f"no button {number!r}; the buttons above are numbered 1 to {len(self.buttons)}"
                       if self.buttons else f"no button {number!r}; nothing above has buttons")
            return
        button = self.buttons[int(number) - 1]
        self.dispatch(ButtonPressed(_id("e"), self.actor(), self.where(), button.action, button.value))

    def press_action(self, action: str) -> bool:
        """Press the button for `action` among those printed since the member last typed, if there is one."""
        for number, button in enumerate(self.buttons, 1):
            if button.action == action:
                self.press(str(number))
                return True
        return False

    def post_text(self, text: str) -> None:
        direct = self.app.in_practice(PLATFORM, self.user)
        if not direct and self.thread is None:
            self.print("(no open question here yet: type /stardrill now to post one, or /practice)")
            return
        message_id = _id("m")
        # removable: the terminal "thread" is ours, so a blind-mode reply can be taken out of it
        self.dispatch(MessagePosted(_id("e"), self.actor(), self.where(direct), text, message_id, removable=True))

    def run(self) -> int:
        """Read commands and messages until /quit, end of input, Ctrl-C or SIGTERM; all of them exit 0."""
        with StopOnSignals():
            try:
                self.note("Stardrill console: a team channel in your terminal. /help lists commands; "
                          "end a message with a line holding only '.'; /quit leaves.")
                while (line := self.ask()) is not None:
                    if not line.strip() or line.strip() == END:
                        continue
                    if line.startswith("/"):
                        if not self.on_line(line.strip()):
                            break
                        continue
                    self.post_text(self.read_message(line))
            except KeyboardInterrupt:
                self.print("\n(stopped)")
        return 0


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class StopOnSignals:
    """While reading the terminal, SIGTERM (`docker stop`, a service manager) stops like Ctrl-C: cleanly, exit 0.

    Only the main thread may set handlers; elsewhere (tests driving the adapter) nothing changes.
    """

    def __enter__(self) -> "StopOnSignals":
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGTERM, self._interrupt)
        return self

    def __exit__(self, *exc) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)

    @staticmethod
    def _interrupt(signum, frame) -> None:
        raise KeyboardInterrupt
