"""Pure rendering of core messages to terminal text: colour on a TTY, plain when piped.

On a terminal, lines are wrapped to its width at word boundaries (a terminal cuts long lines
wherever the edge falls, mid-word); piped output is left unwrapped for other tools.
"""

from __future__ import annotations

import shutil
import sys
import textwrap

from stardrill.messages import Choice, Message, Modal

BOLD, DIM, CYAN, YELLOW, RESET = "\033[1m", "\033[2m", "\033[36m", "\033[33m", "\033[0m"
INDENT = "  "


class Style:
    def __init__(self, colour: bool, width: int | None = None):
        self.colour = colour
        self.width = width  # wrap lines to this many columns; None leaves them as they are

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if self.colour else text


def terminal_width(stream=None) -> int | None:
    """The terminal's width when `stream` (default stdout) is a terminal, else None (no wrapping)."""
    stream = stream or sys.stdout
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return max(20, shutil.get_terminal_size().columns)


def wrap(text: str, width: int | None, indent: str = "") -> list[str]:
    """`text`'s lines, each wrapped to `width` at spaces (never inside a word), with `indent` in front."""
    if not width:
        return [indent + line for line in text.splitlines()] or [indent]
    out = []
    for line in text.splitlines() or [""]:
        # keep a bullet's or a quote's own leading spaces on its continuation lines
        lead = indent + " " * (len(line) - len(line.lstrip(" ")))
        hang = lead + ("  " if line.lstrip().startswith(("• ", "- ", "[")) else "")
        out += textwrap.wrap(line.strip(), width, initial_indent=lead, subsequent_indent=hang,
                             break_long_words=False, break_on_hyphens=False) or [lead.rstrip()]
    return out


def where(message: Message, me: str) -> str:
    t = message.target
    if t.direct_to:
        return f"direct message to {t.direct_to}"
    place = f"#{t.channel}" + (" › thread" if t.thread else "")
    if not t.private_to:
        return place
    # the console's default member is called "you": "only you sees this" would read wrong
    return f"{place} (only you see this)" if t.private_to == "you" else f"{place} (only {t.private_to} sees this)"


def message_text(message: Message, style: Style, me: str = "", first: int = 1) -> str:
    """The message as the terminal prints it; its buttons are numbered from `first`."""
    head = style(DIM, f"── stardrill · {where(message, me)} ──")
    lines = [head]
    if message.sections:
        lead = message.text.splitlines()[0]
        if message.sections[0].body not in lead:  # "Today's question: Q" above a "Question" section says Q twice
            lines += [style(BOLD, line) for line in wrap(lead, style.width)]
        for section in message.sections:
            lines.append(style(CYAN, section.title))
            lines.extend(wrap(section.body, style.width, INDENT))
    else:
        lines.extend(wrap(message.text, style.width))
    if message.buttons:
        pressable = "  ".join(f"[{i}] {b.label}" for i, b in enumerate(message.buttons, first))
        lines += [style(YELLOW, line) for line in wrap(f"Buttons: {pressable}   (type /b N to press)", style.width)]
    return "\n".join(lines)


def modal_intro(modal: Modal, style: Style) -> str:
    lines = [style(DIM, f"── form for {modal.for_user}: {modal.title} ──")]
    if modal.intro:
        lines.extend(wrap(modal.intro, style.width))
    lines.append(style(DIM, "(one line per field; /cancel drops the form, /quit drops it and leaves)"))
    return "\n".join(lines)


def field_prompt(field) -> str:
    """One line per field, so a form stays readable when answers come from a pipe."""
    if isinstance(field, Choice):
        numbered = " / ".join(f"{n} {option}" for n, option in enumerate(field.options, 1))
        return f"{field.label} [{numbered}]:\n"
    optional = " (optional, Enter to skip)" if not field.required else ""
    return f"{field.label}{optional}:\n"


def choice_value(field: Choice, typed: str) -> str | None:
    """What the member meant by `typed` for a Choice: an option in any case, or its number; None if neither."""
    word = typed.strip().lower()
    for n, option in enumerate(field.options, 1):
        if word in (option.lower(), str(n)):
            return option
    return None
