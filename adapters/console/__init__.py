"""The console adapter: the whole product in a terminal (and in tests)."""

from stardrill.adapters.console.adapter import ConsoleAdapter

__all__ = ["ConsoleAdapter"]
