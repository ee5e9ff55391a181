"""Row ids typed by members or carried in button values: parsed strictly, never trusted.

`str.isdigit()` accepts "²" and "٣", which `int()` then rejects or reads, and SQLite integers
stop at 2**63 - 1 (a larger one raises OverflowError in the driver), and `int()` refuses 4,300 digits or
more; all of them crashed commands.
"""

from __future__ import annotations

MAX_ROW_ID = 2**63 - 1
_MAX_DIGITS = len(str(MAX_ROW_ID))


def row_id(text: object) -> int | None:
    """The id as an int when `text` is plain ASCII digits within SQLite's range, else None."""
    value = str(text).strip()
    if not value or not value.isascii() or not value.isdigit():
        return None
    if len(value.lstrip("0")) > _MAX_DIGITS:  # past 64 bits, and int() refuses 4,300+ digits with a ValueError
        return None
    number = int(value)
    return number if number <= MAX_ROW_ID else None


def is_row_id(text: object) -> bool:
    """Shaped like an id (plain ASCII digits), whether or not any row could have it: an id past 64
    bits is answered as "no such answer", not with usage text."""
    value = str(text).strip()
    return bool(value) and value.isascii() and value.isdigit()
