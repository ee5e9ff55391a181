"""What the core hands adapters: platform-neutral outbound messages and modals (value objects).

Threads, buttons, modals and private replies are first-class here; each adapter renders them
natively or falls back (a console prints a modal as a form it reads line by line).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Button and modal action ids. Adapters use them as stable custom ids so buttons keep working after a restart.
PROBE = "probe"  # value: answer id
CONTRAST = "contrast"  # value: question post id or "q:<question id>"
REVIEW = "review"  # value: answer id -> opens the review modal
REVIEW_SUBMIT = "review_submit"  # modal; value: answer id
ANSWER = "answer"  # value: post id -> opens the answer modal (blind mode, or no message-content access)
ANSWER_SUBMIT = "answer_submit"  # modal; value: post id
PRACTICE_NEXT = "practice_next"  # value: session id
PRACTICE_STOP = "practice_stop"  # value: session id
FORGET_CONFIRM = "forget_confirm"  # value: user id
QUIZ = "quiz"  # value: "<question id>|<item index>|<option index>"
QUIZ_NEXT = "quiz_next"  # value: unused
PROBE_SUBMIT = "probe_submit"  # modal; value: "<answer id>:<probe index>" (a probe answered privately, in blind mode)
RETRY = "retry"  # value: answer id -> a new try at the same question
PRACTICE_NOW = "practice_now"  # value: "" or a question id -> a private practice, as /practice starts it
SETTINGS = "settings"  # value: unused -> opens the member's settings form
SETTINGS_SUBMIT = "settings_submit"  # modal; value: unused
SCHEDULE_PAUSE = "schedule_pause"  # value: channel id (admins, from the home view)
SCHEDULE_RESUME = "schedule_resume"  # value: channel id (admins, from the home view)
ACTIONS = (
    PROBE, CONTRAST, REVIEW, REVIEW_SUBMIT, ANSWER, ANSWER_SUBMIT, PRACTICE_NEXT, PRACTICE_STOP, FORGET_CONFIRM,
    QUIZ, QUIZ_NEXT, PROBE_SUBMIT, RETRY, PRACTICE_NOW, SETTINGS, SETTINGS_SUBMIT, SCHEDULE_PAUSE, SCHEDULE_RESUME,
)


@dataclass(frozen=True)
class Target:
    """Where a message goes.

    `thread` posts into a thread under that root; `private_to` shows it to one user only (Slack
    ephemeral, Discord ephemeral follow-up, console "(private)"); `direct_to` sends it as a DM.
    """

    platform: str
    channel: str
    thread: str | None = None
    private_to: str | None = None
    direct_to: str | None = None


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    value: str = ""


@dataclass(frozen=True)
class Section:
    """A titled block of text. `quote` marks user-written text that must never ping anyone."""

    title: str
    body: str
    quote: bool = False


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a message (an export). Adapters send it natively; the console prints it."""

    name: str
    content: str
    mime: str = "application/x-ndjson"


@dataclass(frozen=True)
class Message:
    target: Target
    text: str  # complete plain-text fallback (notifications, terminals)
    sections: tuple[Section, ...] = ()
    buttons: tuple[Button, ...] = ()
    kind: str = "info"  # question | feedback | probe | contrast | review | wrapup | practice | help | error | info
    opens_thread: bool = False  # the adapter starts a thread on this message (Discord creates one)
    track: str | None = None  # when set, the adapter reports the sent ids back via Stardrill.sent(track, ...)
    attachment: Attachment | None = None


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    options: tuple[str, ...]
    required: bool = True
    initial: str = ""  # the option chosen when the form opens (a setting's current value)


@dataclass(frozen=True)
class TextInput:
    id: str
    label: str
    multiline: bool = True
    required: bool = True
    max_length: int = 4000
    initial: str = ""


@dataclass(frozen=True)
class Modal:
    """A form for one user. Adapters with fewer input slots (Discord: 5) fold Choices as they must."""

    for_user: str
    title: str
    action: str
    value: str
    fields: tuple[Choice | TextInput, ...]
    intro: str = ""
    target: Target | None = None  # where the form was asked for (console prints it there)


@dataclass(frozen=True)
class Retract:
    """Take a member's message out of a channel or thread (blind mode: a reply that must not stay visible).

    The core asks for it only when the event said the platform lets the bot remove that message
    (`MessagePosted.removable`). An adapter whose removal is refused tells `author` privately.
    """

    target: Target  # where the message is (channel, thread)
    message_id: str
    author: str


@dataclass(frozen=True)
class Panel:
    """One block of a home view: a titled text with its own buttons. `channel` names the channel it is about
    (adapters show it natively: a Slack channel link)."""

    title: str
    body: str
    buttons: tuple[Button, ...] = ()
    channel: str = ""


@dataclass(frozen=True)
class HomeView:
    """A member's own page in the app (Slack's App Home tab), replaced whole each time it is sent.

    Only platforms with such a page get one (stardrill.home.PLATFORMS); `target.private_to` is its member.
    """

    target: Target
    title: str
    panels: tuple[Panel, ...]


Outbound = Message | Modal | Retract | HomeView


@dataclass(frozen=True)
class Sent:
    """What an adapter reports after sending a tracked message."""

    message_id: str
    thread_id: str | None = None
    extra: dict = field(default_factory=dict)
