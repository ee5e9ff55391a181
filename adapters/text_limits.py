"""Pure text helpers shared by the platform renderers, which each have their own size limits."""

from __future__ import annotations


def split_text(text: str, limit: int) -> list[str]:
    """Split on line breaks where possible, hard-cut lines longer than the limit; never returns an empty list."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            candidate = line
        current = candidate
    if current or not chunks:
        chunks.append(current)
    return chunks
