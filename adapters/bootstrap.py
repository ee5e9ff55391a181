"""The composition root: settings -> bank -> store -> core. Errors become one-line messages."""

from __future__ import annotations

import sys

from stardrill.app import Stardrill
from stardrill.context import UserError
from stardrill.content_loader import Bank, ContentError, load_bank
from stardrill.store import StoreError, open_store


class StartupError(Exception):
    """Startup cannot go on; the message is for the operator, one problem per line."""


def bank() -> Bank:
    try:
        return load_bank()
    except ContentError as exc:
        raise StartupError(f"the question bank has {len(exc.problems)} problem(s):\n{exc}") from None


def app(clock=None) -> Stardrill:
    the_bank = bank()
    try:
        store = open_store()
    except StoreError as exc:
        raise StartupError(str(exc)) from None
    try:
        return Stardrill.from_settings(the_bank, store, clock)
    except UserError as exc:
        raise StartupError(str(exc)) from None


def fail(message: str, code: int = 2) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code
