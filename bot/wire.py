"""Core events and outbound messages <-> JSON text, for the inbox and outbox tables.

Every frozen dataclass in stardrill.events and stardrill.messages round-trips: a dataclass is
written as {"dc": name, "v": fields}, a plain dict as {"map": ...}, so no key a member controls
(a form's field ids) can be mistaken for a type tag. JSON lists come back as tuples, the only
sequence type those dataclasses use.

Text from platforms can hold a lone UTF-16 surrogate (JSON allows "\\ud800" alone); SQLite cannot
store one, so `scrub` replaces each with U+FFFD before anything reaches the store. `dumps` escapes
non-ASCII, so the raw event itself is always storable.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields, is_dataclass
from json.encoder import encode_basestring_ascii as _quoted

from stardrill import events, messages

SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def _types() -> dict[str, type]:
    found = {}
    for module in (events, messages):
        for name, value in vars(module).items():
            if isinstance(value, type) and is_dataclass(value) and value.__module__ == module.__name__:
                found[name] = value
    return found


TYPES = _types()


class WireError(ValueError):
    """Stored text that does not decode to a known event or message (a newer or damaged row)."""


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}  # a class -> its dataclass field names (() for any other class)


def _field_names(kind: type) -> tuple[str, ...]:
    """Cached: dataclasses.fields() walks the class each call, and every queued message has dozens of values."""
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in fields(kind)) if is_dataclass(kind) else ()
    return names


def plain(value):
    """A JSON-ready structure for a dataclass value (recursively)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    names = _field_names(kind)
    if names:
        return {"dc": kind.__name__, "v": {name: plain(getattr(value, name)) for name in names}}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {"map": {str(k): plain(v) for k, v in value.items()}}
    return value


def built(value):
    """The inverse of `plain`, with every string scrubbed of lone surrogates."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, list):
        return tuple(built(v) for v in value)
    if not isinstance(value, dict):
        return value
    if "map" in value:
        return {scrub_text(k): built(v) for k, v in value["map"].items()}
    cls = TYPES.get(value.get("dc", ""))
    if cls is None:
        raise WireError(f"unknown stored type {value.get('dc')!r}")
    names = _field_names(cls)
    return cls(**{k: built(v) for k, v in value.get("v", {}).items() if k in names})


_ENCODER = json.JSONEncoder(separators=(",", ":"))  # ensure_ascii: a lone surrogate is written escaped
_HEADS: dict[type, tuple[str, tuple[tuple[str, str], ...]]] = {}  # a class -> '{"dc":..,"v":{' and each '"field":'


def dumps(value) -> str:
    """json.dumps(plain(value), separators=(",", ":")), character for character, written directly.

    Building `plain`'s dicts and then encoding them cost ~30 microseconds per queued question, the largest
    part of queueing 10,000 due posts at once. The common values (dataclasses, tuples, str, int, bool, None)
    are written here, strings escaped to ASCII by the json module's own function (so a lone surrogate is
    written escaped, as before); anything rarer (dicts, floats, subclasses) goes through json as it did.
    """
    kind = type(value)
    if kind is str:
        return _quoted(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    head = _HEADS.get(kind)
    if head is None and _field_names(kind):
        head = _HEADS[kind] = ('{"dc":' + _quoted(kind.__name__) + ',"v":{',
                               tuple((name, _quoted(name) + ":") for name in _field_names(kind)))
    if head is not None:
        return head[0] + ",".join([key + dumps(getattr(value, name)) for name, key in head[1]]) + "}}"
    if kind is tuple or kind is list:
        return "[" + ",".join([dumps(v) for v in value]) + "]"
    return _ENCODER.encode(plain(value))


def loads(text: str):
    try:
        return built(json.loads(text))
    except (TypeError, ValueError) as exc:
        raise WireError(f"cannot decode a stored value: {exc}") from None


def scrub_text(text: str) -> str:
    return SURROGATE.sub(REPLACEMENT, text) if SURROGATE.search(text) else text


def scrub(value):
    """The same value with lone surrogates replaced in every string it holds (a no-op copy otherwise)."""
    return built(plain(value))
