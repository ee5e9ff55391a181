"""Level calibration: the scope a story shows (people, money, teams, horizon) against the level.

Per-week and per-month money is annualised because the level bands (e.g. L6 $1M-$5M) are yearly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stardrill.content_models import LevelProfile

_WORDNUM = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12, "a hundred": 100, "hundred": 100,
    "two dozen": 24,
}
# Find the noun first and read the number from the word(s) just before it: anchoring on a short
# list of nouns is several times faster than trying every number word at every position.
# Only people who worked on the story count as its group size: engineers, reports, managers, people
# on the team, "team of N". A count is skipped when the words around it say these are the audience
# ("2,000 people used it", "affecting 50,000 people", "three million people", "12 engineers used the
# tool"); "members" counts only as team members. Customers, users and viewers are never a team size.
_PEOPLE_NOUN = re.compile(
    r"\b(?:engineers|developers|direct reports|reports|devs|ics|sres|designers|scientists|contractors|managers|"
    r"leads|people|employees|staff|(members))\b"
)
_AUDIENCE_AFTER = re.compile(
    r"^\W{0,2}(?:who |that )?(?:used|use|uses|using|signed up|sign up|visited|visit|watched|watch|bought|buy|"
    r"downloaded|installed|read|were affected|was affected|affected|were impacted|"
    r"impacted|were hit|were locked|lost|saw|received|got|a day|a week|a month|a year|per day|per week|per month|"
    r"daily|weekly|monthly|every day|each day|on the (?:app|platform|site|service)|in the app|online)\b"
)
_AUDIENCE_BEFORE = re.compile(
    r"\b(?:served|serving|serves|reached|reaching|reach|affecting|affected|impacting|impacted|helped|helping|"
    r"hit|hitting|notified|notifying|emailed|surveyed|customers|users|of our|million|thousand|billion|"
    r"millions of|thousands of|hundreds of)\s+(?:[a-z0-9,.$+]+\s+){0,2}$"
)
_TEAM_CUE = re.compile(
    r"^\W{0,2}(?:of|on|in|across|from) (?:the|my|our|his|her|their|that|this|each) (?:[a-z-]+ )?"
    r"(?:team|teams|org|organi[sz]ation|group|department)|^\W{0,2}(?:reporting to|who reported)"
)
_GROUP_OF = re.compile(r"\b(?:team|org|organi[sz]ation|group|department) of (?:about |around |roughly |over )?([a-z0-9,]+)"
                       r"(?: ([a-z]+))?")
_NOT_WORKERS = frozenset(
    "customers customer users user viewers viewer clients subscribers listeners players patients merchants "
    "drivers riders shoppers students readers visitors buyers sellers guests members accounts households "
    "partners stores sites devices".split()
)
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


def _works_on_it(low: str, m: re.Match[str]) -> bool:
    """Not when the words around the noun say these are the audience; 'members' only of a team."""
    after = low[m.end():m.end() + 40]
    if m.group(1):  # members: "team members", "members of my team"
        return low[:m.start()].endswith("team ") or bool(_TEAM_CUE.search(after))
    before = low[max(m.start() - 50, 0):m.start()]
    # "a fintech, about 400 people" is the employer's headcount; "a logistics company, 110 engineers in nine teams"
    # is usually the organisation the speaker ran, and "... 14 engineers on my team" their team.
    employer = m.group(0) in ("people", "employees", "staff") and _COMPANY_SIZE.search(before) and not _TEAM_CUE.search(
        after)
    return not (_AUDIENCE_AFTER.search(after) or _AUDIENCE_BEFORE.search(before) or employer)


def _customer_base(low: str, number: str) -> bool:
    """'a 2,000-person customer base' / 'a 300-person user group' describe customers, not the team; 'a 400-person
    company' the whole employer."""
    i = low.find(number + "-")
    nxt = low[i:i + 60].split()[1:2] if i >= 0 else []
    return bool(nxt) and nxt[0].strip(",.;") in _NOT_WORKERS | _EMPLOYERS | {"customer", "user", "audience", "base"}


# The whole employer's headcount ("a mid-sized fintech, about 400 people", "a startup of 30 people") is where the story
# happened, not the group it involved; an "organisation" of N may be the speaker's own, so it still counts.
_EMPLOYERS = frozenset("company companies startup start-up firm fintech business employer agency bank".split())
_COMPANY_SIZE = re.compile(r"\b(?:" + "|".join(sorted(_EMPLOYERS)) + r")\b[^.;]{0,30}$")


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


def _has(low: str, needles: tuple[str, ...]) -> bool:
    """Cheap substring prefilter: most answers hold none of these, and `in` is far faster than a regex scan."""
    return any(n in low for n in needles)


def extract(low: str) -> Scope:
    """Scope figures from the whole (normalised) answer."""
    counts = [_number_before(low, m.start()) for m in _PEOPLE_NOUN.finditer(low) if _works_on_it(low, m)]
    if _has(low, (" of ",)):
        counts += [_num(n) for n, noun in _GROUP_OF.findall(low) if noun not in _NOT_WORKERS]
    if _has(low, ("-person", "-people", "-engineer", "-strong")):
        counts += [_num(g) for g in _HYPHENATED.findall(low) if not _customer_base(low, g)]
    people = max(counts, default=0)
    teams = max((_number_before(low, m.start()) for m in _TEAM_NOUN.finditer(low)), default=0)
    dollars = _money(low) if _has(low, ("$", "\u00a3", "\u20ac", " dollars")) else 0
    multi = _has(low, ("year", "month", "long-term")) and bool(_MULTI_YEAR.search(low))
    return Scope(people=people, dollars=dollars, teams=teams, multi_year=multi)


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
