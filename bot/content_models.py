"""The question bank's data model.

Content is data, validated strictly: unknown keys are rejected and strings stay strings
(``yes`` in a TOML file is never turned into ``True``). ``content/schema.json`` is generated
from these models (``stardrill content schema``) and a test keeps it current.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Ident = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]

LEVELS = ("sde1", "sde2", "senior", "staff", "tl", "em", "l7")
LevelId = Literal["sde1", "sde2", "senior", "staff", "tl", "em", "l7"]

# Level bands: a question that serves levels in several bands carries a model answer for each,
# because a senior story told by a new grad (or the reverse) is itself a weak answer.
BANDS: dict[str, tuple[str, ...]] = {
    "ic-early": ("sde1", "sde2"),
    "ic-senior": ("senior", "staff", "tl"),
    "management": ("em", "l7"),
}


def band_of(level: str) -> str:
    """The band a level belongs to ("ic-early", "ic-senior" or "management")."""
    return next(band for band, levels in BANDS.items() if level in levels)


# The 16 Amazon Leadership Principles, as ids used in `competencies`.
LEADERSHIP_PRINCIPLES = {
    "customer-obsession": "Customer Obsession",
    "ownership": "Ownership",
    "invent-and-simplify": "Invent and Simplify",
    "are-right-a-lot": "Are Right, A Lot",
    "learn-and-be-curious": "Learn and Be Curious",
    "hire-and-develop": "Hire and Develop the Best",
    "insist-on-highest-standards": "Insist on the Highest Standards",
    "think-big": "Think Big",
    "bias-for-action": "Bias for Action",
    "frugality": "Frugality",
    "earn-trust": "Earn Trust",
    "dive-deep": "Dive Deep",
    "have-backbone": "Have Backbone; Disagree and Commit",
    "deliver-results": "Deliver Results",
    "best-employer": "Strive to be Earth's Best Employer",
    "broad-responsibility": "Success and Scale Bring Broad Responsibility",
}

# The seeds' other practice areas.
AREAS = {
    "team-turnaround": "Team turnaround",
    "technical-decisions": "Technical decisions",
    "cross-functional-conflict": "Cross-functional conflict",
    "prioritisation": "Prioritisation under constraints",
    "technical-debt": "Technical debt",
    "performance-management": "Performance management and coaching",
    "cross-team-dependencies": "Cross-team dependencies",
    "migrations": "Migrations",
    "incident-response": "Incident response",
    "scaling-teams": "Scaling teams",
    "budgets": "Budgets",
    "innovation-under-constraints": "Innovation under constraints",
    "quality-vs-speed": "Quality vs speed",
    "remote-cross-cultural": "Remote and cross-cultural teams",
    "succession": "Succession",
    "stakeholder-management": "Stakeholder management",
    "security-compliance": "Security and compliance",
    "vendor-management": "Vendor management",
    "failure-learning": "Failure and learning",
    "managing-up": "Managing up",
    "organisational-change": "Organisational change",
    "role-transitions": "Role transitions (IC to TL / EM / Staff)",
    "ai-emerging-tech": "AI and emerging-technology leadership",
    "influence-without-authority": "Influence without authority",
    "conflict": "Conflict resolution",
    "mentoring": "Mentoring",
}

COMPETENCIES = {**LEADERSHIP_PRINCIPLES, **AREAS}
Competency = Literal[tuple(COMPETENCIES)]  # type: ignore[valid-type]
Company = Literal["google", "amazon", "microsoft", "meta", "apple", "netflix"]
Part = Literal["situation", "task", "action", "result", "reflection"]
PARTS: tuple[str, ...] = ("situation", "task", "action", "result", "reflection")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Criterion(Strict):
    """One thing the interviewer evaluates in an answer to this question."""

    id: Ident
    label: Text = Field(description="Short name shown on the scorecard, e.g. 'Scope boundary stated'.")
    good: Text = Field(description="What meeting this criterion looks like.")
    signals: list[Text] = Field(
        min_length=2,
        description="Words or short phrases (lower case) whose presence in a sentence shows the criterion.",
    )


class ProbeAnswer(Strict):
    text: Text
    why: Text


class Probe(Strict):
    """A follow-up question, with what it tests and a weak and a strong answer to it."""

    question: Text
    probes: Text = Field(description="What the follow-up tests.")
    weak: ProbeAnswer
    strong: ProbeAnswer


class ExamplePart(Strict):
    text: Text
    seconds: int = Field(ge=5, le=240, description="Target speaking seconds for this part.")
    key_phrases: list[Text] = Field(default_factory=list)


class StrongExample(Strict):
    """A strong answer split into STAR parts plus reflection (an example, not the answer)."""

    level: LevelId
    situation: ExamplePart
    task: ExamplePart
    action: ExamplePart
    result: ExamplePart
    reflection: ExamplePart

    def text(self) -> str:
        return " ".join(getattr(self, part).text for part in PARTS)


# Why a weak example is weak: "thin" is the short answer; the others are weak for a reason other
# than length, the answers a bar raiser actually hears.
WeakKind = Literal["thin", "wrong-scope", "team-credit", "long-setup", "hypothetical", "humblebrag", "blame", "no-result"]


class WeakExample(Strict):
    kind: WeakKind = Field(default="thin", description="Why it is weak: thin, wrong-scope, team-credit, long-setup, hypothetical, humblebrag, blame, no-result.")
    text: Text
    flaws: list[Text] = Field(min_length=2)
    verdict: Text = Field(description="How a bar raiser reads this answer.")


class QuizItem(Strict):
    question: Text
    options: list[Text] = Field(min_length=2, max_length=5)
    answer: int = Field(ge=0, description="Index into options of the right answer.")
    why: Text

    @model_validator(mode="after")
    def _answer_in_range(self) -> "QuizItem":
        if self.answer >= len(self.options):
            raise ValueError(f"answer {self.answer} is not an index of options (0..{len(self.options) - 1})")
        return self


class PrincipleAngle(Strict):
    """How to tell the same story under one Leadership Principle."""

    principle: Literal[tuple(LEADERSHIP_PRINCIPLES)]  # type: ignore[valid-type]
    lead_with: Text
    emphasise: Text
    downplay: Text


class Question(Strict):
    id: Ident
    text: Text
    competencies: list[Competency] = Field(min_length=1)  # type: ignore[valid-type]
    levels: list[LevelId] = Field(min_length=1)
    companies: list[Company] = Field(default_factory=list)
    tags: list[Ident] = Field(default_factory=list)
    criteria: list[Criterion] = Field(min_length=3, max_length=6)
    probes: list[Probe] = Field(min_length=3)
    strong_examples: list[StrongExample] = Field(
        min_length=1, description="Model answers, one per level band the question serves (see BANDS)."
    )
    weak_examples: list[WeakExample] = Field(min_length=1, description="Weak answers: a short one and longer ones weak for other reasons.")
    common_mistakes: list[Text] = Field(min_length=2)
    coaching_tips: list[Text] = Field(min_length=2)
    quiz: list[QuizItem] = Field(default_factory=list)
    angles: list[PrincipleAngle] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_criterion_ids(self) -> "Question":
        ids = [c.id for c in self.criteria]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"criterion ids repeat: {', '.join(dupes)}")
        return self

    def example_for(self, level: str) -> StrongExample:
        """The model answer written for the level's band; the nearest band's when there is none."""
        for example in self.strong_examples:
            if example.level == level:
                return example
        band = band_of(level)
        same = [e for e in self.strong_examples if band_of(e.level) == band]
        if same:
            return same[0]
        order = list(BANDS)
        return min(self.strong_examples, key=lambda e: abs(order.index(band_of(e.level)) - order.index(band)))

    @property
    def principles(self) -> list[str]:
        return [c for c in self.competencies if c in LEADERSHIP_PRINCIPLES]


class Framework(Strict):
    """A timed answer framework: target seconds per part."""

    minutes: int = Field(ge=1, le=6)
    situation: int = Field(ge=5)
    task: int = Field(ge=5)
    action: int = Field(ge=5)
    result: int = Field(ge=5)
    reflection: int = Field(ge=5, description="Seconds for what you learned; every framework keeps some.")
    name: Text = Field(description="What a member sees, e.g. '3-minute answer: S 30 s, T 20 s, A 90 s, R 20 s, lesson 15 s'.")
    source: Text = Field(description="Where the numbers come from (for authors; never shown to members).")

    @property
    def total(self) -> int:
        return self.situation + self.task + self.action + self.result + self.reflection


class Scope(Strict):
    """The scope a story should show at a level (the seeds' calibration)."""

    team_size: Text
    impact_band: Text
    horizon: Text
    teams: Text
    min_people: int = Field(ge=0, description="Smallest group size a story at this level usually involves.")
    max_people: int = Field(ge=1, description="Group size above which a story reads a level higher.")
    min_dollars: int = Field(ge=0, description="Smallest money impact (USD) expected; 0 when money is not expected.")
    max_teams: int = Field(ge=1, description="Number of teams above which a story reads a level higher.")


class LevelProfile(Strict):
    id: LevelId
    name: Text
    summary: Text
    expectations: list[Text] = Field(min_length=3)
    scope: Scope
    frameworks: list[Framework] = Field(min_length=1)
    default_minutes: int = Field(ge=1, le=6)
    red_flags: list[Text] = Field(min_length=3)
    reflection_bar: Text
    calibration_source: Text = Field(description="Where the numbers come from, and which seed won where they disagree.")

    @model_validator(mode="after")
    def _default_framework_exists(self) -> "LevelProfile":
        if not any(f.minutes == self.default_minutes for f in self.frameworks):
            raise ValueError(f"no framework of default_minutes={self.default_minutes}")
        return self

    @property
    def framework(self) -> Framework:
        return next(f for f in self.frameworks if f.minutes == self.default_minutes)


class QuestionFile(Strict):
    """One TOML file of questions: ``[[questions]]`` tables."""

    questions: list[Question] = Field(min_length=1)


class LevelFile(Strict):
    """The level profiles file: ``[[levels]]`` tables."""

    levels: list[LevelProfile] = Field(min_length=1)
