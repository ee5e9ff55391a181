"""A terminal "team channel": the same commands as Slack and Discord, one simulated member at a time.

Lines starting with '/' are commands. Any other text is a message; it ends at a line holding only
'.' (or at end of input) and goes to the open question's thread, or to your private practice
while one is running. `/as NAME` switches the member, `/b N` presses a button, `/quit` leaves.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from typing import TextIO

from stardrill.adapters.console.render import Style, field_prompt, message_text, modal_intro
from stardrill.events import Actor, ButtonPressed, CommandInvoked, MessagePosted, ModalSubmitted, Where
from stardrill.messages import Button, Message, Modal, Outbound, Sent

log = logging.getLogger(__name__)

PLATFORM = "console"
CHANNEL = "team"
COMMANDS = {"practice", "stardrill", "review", "help"}
END = "."


def _id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


class ConsoleAdapter:
    platform = PLATFORM

    def __init__(self, app, stdin: TextIO, stdout: TextIO, colour: bool = False, user: str = "you"):
        self.app = app
        self.lines: Iterator[str] = (line.rstrip("\n") for line in stdin)
        self.out = stdout
        self.style = Style(colour)
        self.user = user
        self.buttons: list[Button] = []
        self.thread = app.open_thread(PLATFORM, CHANNEL)
        # The scheduler delivers from its own threads while this one reads stdin: one writer at a time.
        # Re-entrant because a modal's form dispatches (and so delivers) from inside deliver().
        self._deliver_lock = threading.RLock()

    # -- sending (core -> terminal) ----------------------------------------------------------------

    def send(self, message: Message) -> Sent:
        if message.target.private_to and message.target.private_to != self.user:
            self.print(self.style("\033[2m", f"(a private note for {message.target.private_to} was sent)"))
            return Sent(_id("m"))
        self.print(message_text(message, self.style, self.user))
        if message.buttons:
            self.buttons = list(message.buttons)
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
            receipt = self.send(item)
            if item.track:
                self.app.sent(item.track, receipt)

    def fill(self, modal: Modal) -> None:
        """A modal becomes a short form read from the same input."""
        self.print(modal_intro(modal, self.style))
        values: dict[str, str] = {}
        for field in modal.fields:
            self.out.write(field_prompt(field))
            self.out.flush()
            line = next(self.lines, None)
            if line is None:
                self.print("\n(form abandoned at end of input; nothing stored)")
                return
            values[field.id] = line.strip()
        self.dispatch(ModalSubmitted(_id("e"), self.actor(), self.where(), modal.action, modal.value, values))

    def print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    # -- receiving (terminal -> core) ----------------------------------------------------------------

    def actor(self) -> Actor:
        return Actor(PLATFORM, self.user, self.user, is_admin=True)

    def where(self, direct: bool = False) -> Where:
        return Where(CHANNEL, None if direct else self.thread, direct=direct)

    def dispatch(self, event) -> None:
        try:
            self.deliver(self.app.handle(event))
        except Exception as exc:  # keep the session alive; the store is transactional
            log.exception("handling %s failed", type(event).__name__)
            self.print(f"error: {exc}")

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
        else:
            self.print(f"unknown command /{word}; try /help (console extras: /as NAME, /b N, /quit)")
        return True

    def press(self, number: str) -> None:
        if not number.isdigit() or not 1 <= int(number) <= len(self.buttons):
            self.print(f"no button {number!r}; the last message had {len(self.buttons)}")
            return
        button = self.buttons[int(number) - 1]
        self.dispatch(ButtonPressed(_id("e"), self.actor(), self.where(), button.action, button.value))

    def read_message(self, first: str) -> str:
        lines = [first]
        for line in self.lines:
            if line.strip() == END:
                break
            lines.append(line)
        return "\n".join(lines)

    def post_text(self, text: str) -> None:
        direct = self.app.in_practice(PLATFORM, self.user)
        if not direct and self.thread is None:
            self.print("(no open question here yet: type /stardrill now to post one, or /practice)")
            return
        message_id = _id("m")
        self.dispatch(MessagePosted(_id("e"), self.actor(), self.where(direct), text, message_id))

    def run(self) -> int:
        self.print("Stardrill console: a team channel in your terminal. /help lists commands; "
                   "end a message with a line holding only '.'; /quit leaves.")
        for line in self.lines:
            if not line.strip() or line.strip() == END:
                continue
            if line.startswith("/"):
                if not self.on_line(line.strip()):
                    break
                continue
            self.post_text(self.read_message(line))
        return 0
