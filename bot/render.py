"""Pure functions that turn questions, feedback and tallies into platform-neutral sections.

Adapters format sections natively (Block Kit, embeds, terminal). Text written by members is
marked `quote=True`; adapters neutralise mentions in everything they send anyway.
"""

from __future__ import annotations

from stardrill.content_loader import Bank
from stardrill.content_models import COMPETENCIES, PARTS, LevelProfile, Probe, Question
from stardrill.feedback import Feedback
from stardrill.messages import Section

# Flags about a full STAR answer's shape; a two-sentence probe reply is not expected to have one.
WHOLE_ANSWER_FLAGS = {
    "missing-action", "missing-result", "missing-situation", "setup-heavy", "thin-action", "overrun",
    "no-reflection", "no-money", "no-number",
}
PART_SHORT = {"situation": "S", "task": "T", "action": "A", "result": "R", "reflection": "Refl"}

STATUS_MARK = {"met": "[met]", "partly": "[partly]", "missing": "[missing]"}


def competency_names(question: Question) -> str:
    return ", ".join(COMPETENCIES[c] for c in question.competencies)


def level_names(bank: Bank, question: Question) -> str:
    return ", ".join(bank.levels[lv].name if lv in bank.levels else lv for lv in question.levels)


def seconds_label(seconds: int) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m{rest:02d}s" if minutes else f"{rest}s"


# question_sections by the identities of (bank, question, level): 10,000 channels due at once ask the same few
# questions. An entry holds its objects, so an id in a live key is never another object's.
_SECTIONS_KEPT = 4096
_sections: dict[tuple[int, int, int], tuple[object, object, object, tuple[Section, ...]]] = {}


def question_sections(bank: Bank, question: Question, level: LevelProfile) -> tuple[Section, ...]:
    """The question's sections for a level (kept: they depend on nothing else, and Sections are immutable)."""
    key = (id(bank), id(question), id(level))
    found = _sections.get(key)
    if found is None:
        if len(_sections) >= _SECTIONS_KEPT:
            _sections.clear()
        found = _sections[key] = (bank, question, level, _question_sections(bank, question, level))
    return found[3]


def _question_sections(bank: Bank, question: Question, level: LevelProfile) -> tuple[Section, ...]:
    covers = "\n".join(f"• {c.label}" for c in question.criteria)
    target = level.framework
    return (
        Section("Question", question.text),
        Section("Competency · level", f"{competency_names(question)} · {level_names(bank, question)}"),
        Section("A strong answer covers", covers),
        Section("Time target", f"about {target.minutes} minutes spoken (~{target.total * 140 // 60} words) — {target.name}"),
    )


def scorecard(feedback: Feedback) -> str:
    lines = []
    for c in feedback.criteria:
        line = f"{STATUS_MARK[c.status]} {c.label}"
        if c.evidence:
            line += f' — "{c.evidence}"'
        elif c.note:
            line += f" — {c.note}"
        lines.append(line)
    return "\n".join(lines)


def timing(feedback: Feedback) -> str:
    parts = " · ".join(f"{PART_SHORT.get(p.part, p.part)} {p.seconds}s/{p.target}s" for p in feedback.parts)
    head = f"~{seconds_label(feedback.estimated_seconds)} spoken against a {seconds_label(feedback.target_seconds)} target"
    return f"{head}\n{parts}" if parts else head


def feedback_headline(feedback: Feedback, who: str = "") -> str:
    owner = f" for {who}" if who else ""
    return f"Feedback{owner}: {feedback.score}/100 ({feedback.verdict}) at {feedback.level} level"


def feedback_sections(feedback: Feedback) -> tuple[Section, ...]:
    sections = [Section("Scorecard", scorecard(feedback), quote=True), Section("Timing", timing(feedback))]
    if feedback.flags:
        flags = "\n".join(f"• {f.message}" + (f' — "{f.evidence}"' if f.evidence else "") for f in feedback.flags)
        sections.append(Section("Watch out", flags, quote=True))
    sections.append(Section("The one fix that would lift this most", feedback.top_fix, quote=True))
    if feedback.rewrite_hint:
        sections.append(Section("Shape of a stronger sentence", feedback.rewrite_hint, quote=True))
    return tuple(sections)


def contrast_sections(question: Question, feedback: Feedback | None = None, level: str | None = None) -> tuple[Section, ...]:
    """The model answer for the reader's level band next to the question's weak answers."""
    example = question.example_for(level or (feedback.level if feedback else question.levels[0]))
    strong = "\n".join(
        f"{part.title()} (~{getattr(example, part).seconds}s): {getattr(example, part).text}" for part in PARTS
    )
    sections = [Section(f"A strong answer at {example.level.upper()} level (an example, not the correct answer)", strong)]
    for weak in question.weak_examples:
        flaws = "\n".join(f"• {f}" for f in weak.flaws)
        sections.append(Section("A weak answer", f"{weak.text}\nWhy it is weak:\n{flaws}\nBar raiser: {weak.verdict}"))
    if feedback is not None:
        mine = "\n".join(
            f"{STATUS_MARK[c.status]} {c.label}" + (f' — you: "{c.evidence}"' if c.evidence else "") for c in feedback.criteria
        )
        sections.append(Section("Where your answer stands on the same criteria", mine, quote=True))
    return tuple(sections)


def probe_sections(probe: Probe, number: int, total: int) -> tuple[Section, ...]:
    return (Section(f"Follow-up probe {number} of {total}", probe.question), Section("What it tests", probe.probes))


# A follow-up is judged first on whether it answers the probe; the question's criteria are a bonus here.
NONE_SHOWN = ("None of the question's criteria shows in this reply; a follow-up is judged first on answering what "
              "was asked.")


def probe_feedback_sections(probe: Probe, feedback: Feedback) -> tuple[Section, ...]:
    shown = [c for c in feedback.criteria if c.status != "missing" and c.evidence]
    said = "\n".join(f'{STATUS_MARK[c.status]} {c.label}: "{c.evidence}"' for c in shown[:3])
    flags = "\n".join(f"• {f.message}" for f in feedback.flags if f.code not in WHOLE_ANSWER_FLAGS)
    sections = [
        Section("Score", f"{feedback.score}/100 ({feedback.verdict}) as a reply to this probe"),
        Section("What your reply shows", said or NONE_SHOWN, quote=True),
    ]
    if flags:
        sections.append(Section("Watch out", flags, quote=True))
    sections += [
        Section("The one fix that would lift this most", feedback.top_fix, quote=True),
        Section("A weak reply to this probe", f'"{probe.weak.text}" — {probe.weak.why}'),
        Section("What a strong reply does", probe.strong.why),
    ]
    return tuple(sections)


def rollup_lines(question: Question, reviews: list[dict]) -> str:
    """Per-criterion counts over peer reviews, e.g. 'Scope boundary stated: 2 met, 1 partly'."""
    lines = []
    for c in question.criteria:
        counts = {"met": 0, "partly": 0, "missing": 0}
        for r in reviews:
            status = r["ratings"].get(c.id)
            if status in counts:
                counts[status] += 1
        lines.append(f"• {c.label}: {counts['met']} met, {counts['partly']} partly, {counts['missing']} missing")
    return "\n".join(lines)


def team_tally(question: Question, bodies: list[dict]) -> str:
    """How the team's answers did per criterion (counts only, never names or scores)."""
    lines = []
    for c in question.criteria:
        met = sum(1 for b in bodies for r in b.get("criteria", []) if r["id"] == c.id and r["status"] == "met")
        lines.append(f"• {c.label}: met in {met} of {len(bodies)} answers")
    return "\n".join(lines)
