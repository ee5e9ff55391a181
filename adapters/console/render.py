"""Pure rendering of core messages to terminal text: colour on a TTY, plain when piped."""

from __future__ import annotations

from stardrill.messages import Choice, Message, Modal

BOLD, DIM, CYAN, YELLOW, RESET = "\033[1m", "\033[2m", "\033[36m", "\033[33m", "\033[0m"


class Style:
    def __init__(self, colour: bool):
        self.colour = colour

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if self.colour else text


def where(message: Message, me: str) -> str:
    t = message.target
    if t.direct_to:
        return f"direct message to {t.direct_to}"
    place = f"#{t.channel}" + (" › thread" if t.thread else "")
    return f"{place} (only {t.private_to} sees this)" if t.private_to else place


def message_text(message: Message, style: Style, me: str = "") -> str:
    head = style(DIM, f"── stardrill · {where(message, me)} ──")
    lines = [head]
    if message.sections:
        if message.kind not in {"question", "practice"}:
            lines.append(style(BOLD, message.text.splitlines()[0]))
        for section in message.sections:
            lines.append(style(CYAN, section.title))
            lines.extend(f"  {line}" for line in section.body.splitlines())
    else:
        lines.append(message.text)
    if message.buttons:
        pressable = "  ".join(f"[{i}] {b.label}" for i, b in enumerate(message.buttons, 1))
        lines.append(style(YELLOW, f"Buttons: {pressable}   (type /b N to press)"))
    return "\n".join(lines)


def modal_intro(modal: Modal, style: Style) -> str:
    lines = [style(DIM, f"── form for {modal.for_user}: {modal.title} ──")]
    if modal.intro:
        lines.append(modal.intro)
    return "\n".join(lines)


def field_prompt(field) -> str:
    """One line per field, so a form stays readable when answers come from a pipe."""
    if isinstance(field, Choice):
        return f"{field.label} [{'/'.join(field.options)}]:\n"
    optional = " (optional, Enter to skip)" if not field.required else ""
    return f"{field.label}{optional}:\n"
