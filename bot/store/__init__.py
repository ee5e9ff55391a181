"""SQLite persistence: connection policy, migrations and small repositories."""

from stardrill.store.db import Store, StoreError

__all__ = ["Store", "StoreError"]
