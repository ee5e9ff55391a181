"""The port every platform adapter implements, so the core and the scheduler can reach any platform.

Hubot's minimal contract, in our terms: an adapter delivers core messages and reports tracked ones
back through `Stardrill.sent`, and can be started and stopped. Several adapters run in one process
over one store.
"""

from __future__ import annotations

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
