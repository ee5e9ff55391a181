"""The value the feedback engine returns. Plain frozen dataclasses, JSON-ready."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Literal

from stardrill.feedback.fingerprint import ENGINE

Status = Literal["met", "partly", "missing"]


@dataclass(frozen=True)
class CriterionResult:
    """How the answer did on one of the question's criteria (or a general rubric line)."""

    id: str
    label: str
    status: Status
    evidence: str | None  # the user's own sentence that shows it, verbatim; None when nothing does
    note: str = ""  # what is missing or what would lift it


@dataclass(frozen=True)
class Flag:
    """A red flag or a warning, with the words that raised it."""

    code: str  # stable id, e.g. "vague-result", "we-actions", "hypothetical"
    message: str
    evidence: str | None = None


@dataclass(frozen=True)
class PartTiming:
    part: str  # situation | task | action | result | reflection
    seconds: int  # estimated speaking seconds of the sentences assigned to this part
    target: int  # the level framework's target seconds (0 when the framework has none)
    sentences: int


@dataclass(frozen=True)
class Feedback:
    score: int  # 0-100, explainable from `components`
    verdict: str  # one of VERDICTS
    criteria: tuple[CriterionResult, ...]
    estimated_seconds: int
    target_seconds: int
    framework: str  # e.g. "Seed 000 2-minute answer framework."
    level: str
    top_fix: str
    rewrite_hint: str
    flags: tuple[Flag, ...] = ()
    parts: tuple[PartTiming, ...] = ()
    components: dict[str, int] = field(default_factory=dict)  # score parts, summing to `score`
    word_count: int = 0
    engine: str = ENGINE  # which engine judged it (fingerprint.py): `stardrill db rescore` finds older ones

    def to_json(self) -> dict:
        """The `stardrill feedback --json` contract: score, verdict, criteria, estimated_seconds, top_fix, flags (+ extras)."""
        data = _plain(self)
        data["criteria"] = [_plain(c) for c in self.criteria]
        data["flags"] = [_plain(f) for f in self.flags]
        data["parts"] = [_plain(p) for p in self.parts]
        data["components"] = dict(self.components)
        return data


def _plain(value) -> dict:
    """One level of a dataclass as a dict (`asdict` deep-copies every value: a fifth of a reply's core time)."""
    return {name: getattr(value, name) for name in _field_names(type(value))}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


VERDICTS = ("strong", "mixed", "weak", "not an answer")
