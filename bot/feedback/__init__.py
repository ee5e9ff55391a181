"""The feedback engine: a pure, deterministic, offline function from an answer to a `Feedback`."""

from stardrill.feedback.engine import evaluate
from stardrill.feedback.model import CriterionResult, Feedback, Flag, PartTiming

__all__ = ["evaluate", "Feedback", "CriterionResult", "Flag", "PartTiming"]
