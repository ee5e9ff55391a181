"""The port every platform adapter implements, so the core and the scheduler can reach any platform.

Hubot's minimal contract, in our terms: an adapter delivers core messages and reports tracked ones
back through `Stardrill.sent`, and can be started and stopped. Several adapters run in one process
over one store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from stardrill.messages import Outbound


class ChatAdapter(Protocol):
    platform: str

    def deliver(self, outbound: list[Outbound]) -> None:
        """Render and send, thread-safe and blocking until sent; call `app.sent(track, Sent)` for tracked messages.

        Raises `DeliveryError` when the platform refuses (not in channel, no permission, unknown channel).
        """

    def already_posted(self, channel: str, track: str) -> str | None:
        """The platform message id of a tracked message already sent (crash recovery), or None if nothing was posted."""


class DeliveryError(Exception):
    """The platform refused a message. `permanent` means retrying will not help (pause the schedule)."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class Rejected(DeliveryError):
    """The platform refused this one message for what it holds (too long, malformed), not the channel.

    Never retried; a schedule is not paused for it.
    """

    def __init__(self, message: str):
        super().__init__(message, permanent=True)


class WorkspaceGone(DeliveryError):
    """The workspace (or server) the message is for removed the app: nothing reaches it until it installs again.

    Expected after an uninstall, not a fault: never retried, logged as one line, and the schedule is not paused
    for it (the uninstall already paused the workspace's schedules).
    """

    def __init__(self, message: str):
        super().__init__(message, permanent=True)


@dataclass(frozen=True)
class Item:
    """One outbox row for an adapter to send: a core Message (or Retract), or a thread step's fields."""

    row_id: int
    step: str  # "message" | "thread"
    payload: object
    reply_to: str | None  # the inbound event it answers (its live interaction, if this process still has it)
    claimed_at: float  # epoch seconds: recovery searches the platform from here
    track: str | None = None

    @property
    def nonce(self) -> str:
        """Same row, same nonce: Discord returns the first message instead of posting a resend (enforce_nonce)."""
        return f"stardrill-{self.row_id}"


@dataclass(frozen=True)
class Receipt:
    message_id: str
    thread_id: str | None = None
    opens_thread: bool = False  # a thread must still be created on this message (its own outbox step)


class Outlet(Protocol):
    """What the outbox sender and the inbox worker need from a platform adapter.

    Optional: `held_elsewhere(row) -> bool`, True when another running process must send that row
    (Discord: only the process that received an interaction can answer it); the sender skips it.
    """

    platform: str

    def pace(self, lane: str) -> float:
        """Book the lane's next send; seconds until it may go (0: now)."""

    def send_item(self, item: Item) -> Receipt:
        """Send one row, blocking; raises DeliveryError (permanent: never retry)."""

    def find_item(self, item: Item) -> Receipt | None:
        """The row's message if it reached the platform after `item.claimed_at`; raises DeliveryError when it cannot tell."""

    def open_form(self, reply_to: str, modal) -> None:
        """Open a form for the event being answered at once (it cannot wait in a queue); a private note when too late."""

    def settle(self, reply_to: str) -> None:
        """Every reply to that event is out (Discord answers an interaction nothing else answered)."""
