"""Level calibration: the scope a story shows (people, money, teams, horizon) against the level.

Per-week and per-month money is annualised because the level bands (e.g. L6 $1M-$5M) are yearly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.content_models import LevelProfile

_WORDNUM = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12, "a hundred": 100, "hundred": 100,
    "two dozen": 24,
}
# Find the noun first and read the number from the word(s) just before it: anchoring on a short
# list of nouns is several times faster than trying every number word at every position.
_PEOPLE_NOUN = re.compile(
    r"\b(?:engineers|developers|people|direct reports|reports|devs|ics|managers|sres|designers|scientists|"
    r"employees|staff|contractors|leads|members)\b"
)
_GROUP_OF = re.compile(r"\b(?:team|org|organi[sz]ation|group|department) of (?:about |around |roughly |over )?([a-z0-9,]+)")
_HYPHENATED = re.compile(r"\b([a-z0-9]+)-(?:person|people|engineer|strong)\b")
_TEAM_NOUN = re.compile(r"\b(?:teams|departments|orgs|organi[sz]ations|squads|groups)\b")
_MONEY = re.compile(r"[$\u00a3\u20ac]\s?(\d[\d,]*(?:\.\d+)?)\s*(k|m|mm|b|million|billion|thousand)?\b")
_MONEY_WORDS = re.compile(r"\b(thousand|million|billion) dollars\b")
_PER = re.compile(r"^\W{0,3}(?:a|per|each|every)\s+(week|month|day|quarter)|^\W{0,3}(weekly|monthly|daily|quarterly)")
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9}
_ANNUAL = {"week": 52, "weekly": 52, "month": 12, "monthly": 12, "day": 365, "daily": 365, "quarter": 4,
           "quarterly": 4}
_MULTI_YEAR = re.compile(r"\b(?:multi-year|multiyear|(?:two|three|four|five|\d)[- ]years?|(?:\d{2}|eighteen)[- ]months?|"
                         r"over (?:two|three|several|\d) years|years-long|long-term)\b")


@dataclass(frozen=True)
class Scope:
    people: int  # the largest group size mentioned (0 when none)
    dollars: int  # the largest money figure, annualised (0 when none)
    teams: int  # the largest number of teams mentioned (0 when none)
    multi_year: bool


def _num(token: str) -> int:
    token = token.strip()
    if not token or not (token[0].isdigit() or token in _WORDNUM):
        return 0
    if token in _WORDNUM:
        return _WORDNUM[token]
    try:
        return int(float(token.replace(",", "")))
    except ValueError:
        return 0


def _number_before(low: str, start: int) -> int:
    """The count in the one or two words before `start` ('14 engineers', 'three senior engineers')."""
    words = low[max(start - 30, 0):start].replace("+", " ").split()[-2:]
    for word in reversed(words):
        n = _num(word.strip(",:;()"))
        if n:
            return n
    return 0


def _money(low: str) -> int:
    best = 0
    found = [(m.group(1), (m.group(2) or "").lower(), m.end()) for m in _MONEY.finditer(low)]
    for m in _MONEY_WORDS.finditer(low):
        words = low[max(m.start() - 20, 0):m.start()].split()
        if words and (_num(words[-1]) or words[-1] == "a"):
            found.append((words[-1] if words[-1] != "a" else "1", m.group(1), m.end()))
    for amount, unit, end in found:
        value = (_WORDNUM.get(amount) or float(amount.replace(",", "") or 0)) * _MULT.get(unit, 1)
        per = _PER.search(low[end:end + 20])
        if per:
            value *= _ANNUAL[per.group(1) or per.group(2)]
        best = max(best, int(value))
    return best


def extract(low: str) -> Scope:
    """Scope figures from the whole (normalised) answer."""
    counts = [_number_before(low, m.start()) for m in _PEOPLE_NOUN.finditer(low)]
    counts += [_num(g) for g in _GROUP_OF.findall(low) + _HYPHENATED.findall(low)]
    people = max(counts, default=0)
    teams = max((_number_before(low, m.start()) for m in _TEAM_NOUN.finditer(low)), default=0)
    return Scope(people=people, dollars=_money(low), teams=teams, multi_year=bool(_MULTI_YEAR.search(low)))


def _dollars(n: int) -> str:
    if n >= 1_000_000:
        return f"${n / 1e6:.1f}M".replace(".0M", "M")
    return f"${n / 1e3:.0f}K" if n >= 1000 else f"${n}"


def compare(scope: Scope, level: LevelProfile) -> tuple[str, str]:
    """Return (direction, message): direction is 'below', 'above' or '' when the story fits or says nothing."""
    band = level.scope
    above = []
    if scope.people > band.max_people:
        above.append(f"a group of {scope.people} people (the {level.id} band tops out near {band.max_people})")
    if scope.teams > band.max_teams:
        above.append(f"{scope.teams} teams (the {level.id} band is {band.teams})")
    below = []
    if band.min_dollars and scope.dollars and scope.dollars < band.min_dollars:
        below.append(f"the money impact ({_dollars(scope.dollars)} a year) is under the {_dollars(band.min_dollars)} "
                     f"a {level.id} story usually shows ({band.impact_band})")
    if band.min_people and scope.people and scope.people < band.min_people:
        below.append(f"the group involved ({scope.people}) is smaller than {band.team_size}")
    if level.id == "l7" and not scope.multi_year and (scope.people or scope.dollars):
        below.append("nothing in it spans more than a year, and L7 stories show multi-year strategy")
    if below:
        return "below", "Reads a level below " + level.name + ": " + "; ".join(below) + "."
    if above:
        return "above", "Reads above " + level.name + ": " + "; ".join(above) + ". Make sure your own part matches."
    return "", ""


def missing_money_note(scope: Scope, level: LevelProfile) -> str:
    """Levels that expect money impact (EM, L7) should hear a money figure when the speaker has one."""
    if level.scope.min_dollars and not scope.dollars:
        return (f"No money figure: {level.name} stories usually show {level.scope.impact_band}. "
                "If you know the cost or revenue effect, say it.")
    return ""
