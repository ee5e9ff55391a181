"""Which engine judged an answer: a short hash of the engine's code and weights, stored with each feedback.

A change to a detector or to weights.json changes what the engine says about the same text, so a stored score
is only comparable with scores the same engine gave. `stardrill db rescore` judges again the stored answers
whose feedback carries another fingerprint (stardrill/rescore.py).
"""

from __future__ import annotations

import hashlib
from importlib import resources


def fingerprint() -> str:
    """12 hex digits of sha256 over this package's .py and .json files, by name; the same on every install."""
    digest = hashlib.sha256()
    package = resources.files("stardrill.feedback")
    for entry in sorted((e for e in package.iterdir() if e.name.endswith((".py", ".json"))), key=lambda e: e.name):
        digest.update(entry.name.encode())
        digest.update(entry.read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()[:12]


ENGINE = fingerprint()

__all__ = ["ENGINE", "fingerprint"]
