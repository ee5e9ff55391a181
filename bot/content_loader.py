"""Load and validate the question bank: the bundled content plus any team packs.

Every problem in every file is collected before anything fails, so one run of
``stardrill content validate`` shows an author all there is to fix.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from pydantic import ValidationError

from stardrill.content_models import LevelFile, LevelProfile, Question, QuestionFile

LEVELS_FILE = "levels.toml"
CONTENT_SUFFIX = ".toml"  # the only files read: team packs in JSON or YAML are not content


@dataclass(frozen=True)
class Problem:
    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


class ContentError(Exception):
    """Raised with every problem found; ``str()`` lists them one per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Bank:
    """The merged, validated bank."""

    questions: dict[str, Question] = field(default_factory=dict)
    levels: dict[str, LevelProfile] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # question id -> file

    def question(self, question_id: str) -> Question:
        try:
            return self.questions[question_id]
        except KeyError:
            raise KeyError(f"unknown question id {question_id!r} (see `stardrill questions`)") from None

    def level(self, level_id: str) -> LevelProfile:
        try:
            return self.levels[level_id.lower()]
        except KeyError:
            known = ", ".join(self.levels)
            raise KeyError(f"unknown level {level_id!r} (known: {known})") from None


def bundled_dir() -> Traversable:
    """The bank shipped inside the package; read through importlib.resources so a wheel, a zip
    or an editable install all work."""
    return resources.files("stardrill.content")


def content_dirs(extra: str | None = None) -> list[Traversable]:
    """The bundled bank first, then the team packs named in ``STARDRILL_CONTENT_DIRS``."""
    raw = extra if extra is not None else os.environ.get("STARDRILL_CONTENT_DIRS", "")
    packs = [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]
    return [bundled_dir(), *packs]


def _location(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _read_toml(path: Traversable, problems: list[Problem]) -> dict | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(str(path), "", f"not valid TOML: {exc}"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), "", f"cannot read: {exc}"))
    return None


def _validate(path: Traversable, data: dict, model, problems: list[Problem]):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            where = _location(err["loc"])
            where = _name_question(data, err["loc"], where)
            problems.append(Problem(str(path), where, err["msg"]))
    return None


def _name_question(data: dict, loc: tuple, where: str) -> str:
    """Add the question's id to an error location so authors find it in a long file."""
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        try:
            qid = data["questions"][loc[1]].get("id")
        except (IndexError, AttributeError, KeyError, TypeError):
            qid = None
        if qid:
            return f"{where} (question {qid!r})"
    return where


def files_in(paths: list[Traversable], problems: list[Problem]) -> list[Traversable]:
    found: list[Traversable] = []
    for path in dict.fromkeys(p.resolve() if isinstance(p, Path) and p.exists() else p for p in paths):
        if path.is_dir():
            found.extend(_tomls_under(path))
        elif path.is_file():
            found.append(path)
        else:
            problems.append(Problem(str(path), "", "no such file or directory"))
    return _each_once(found)


def _each_once(files: list[Traversable]) -> list[Traversable]:
    """Every file once, in its first place. A folder inside the bundled bank (`content/questions`) named beside
    the bank reaches the same files again, and reading them twice would report every id as clashing with itself."""
    seen: set = set()
    unique: list[Traversable] = []
    for item in files:
        key = item.resolve() if isinstance(item, Path) else (type(item).__name__, str(item))
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def folders_without_content(paths: list[Path]) -> list[Problem]:
    """A problem for each folder in `paths` that holds no content file: checking it would otherwise say "ok"
    having read nothing (a pack written as JSON or YAML, or the wrong folder)."""
    return [Problem(str(path), "", _no_content(path)) for path in paths if path.is_dir() and not _tomls_under(path)]


def _no_content(folder: Path) -> str:
    others = sorted(item.name for item in folder.iterdir())
    holds = f"it holds only {_some(others)}" if others else "it is empty"
    return f"no question files (*{CONTENT_SUFFIX}) found; {holds}: write the questions as TOML shaped like content/questions/*.toml"


def _some(names: list[str], shown: int = 3) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _tomls_under(folder: Traversable) -> list[Traversable]:
    """Every .toml below a folder, in a stable order (Traversable has no rglob)."""
    found: list[Traversable] = []
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if item.is_dir():
            found.extend(_tomls_under(item))
        elif item.name.endswith(CONTENT_SUFFIX):
            found.append(item)
    return found


def load_bank(paths: list[Traversable] | None = None) -> Bank:
    """Load every content file under ``paths``; raise ContentError listing all problems."""
    problems: list[Problem] = []
    bank = Bank()
    for path in files_in(paths if paths is not None else content_dirs(), problems):
        data = _read_toml(path, problems)
        if data is None:
            continue
        if path.name == LEVELS_FILE:
            _add_levels(bank, path, data, problems)
        else:
            _add_questions(bank, path, data, problems)
    problems.extend(_cross_check(bank))
    if problems:
        raise ContentError(problems)
    return bank


def _add_levels(bank: Bank, path: Traversable, data: dict, problems: list[Problem]) -> None:
    parsed = _validate(path, data, LevelFile, problems)
    for level in parsed.levels if parsed else []:
        bank.levels[level.id] = level


def _add_questions(bank: Bank, path: Traversable, data: dict, problems: list[Problem]) -> None:
    parsed = _validate(path, data, QuestionFile, problems)
    for i, question in enumerate(parsed.questions if parsed else []):
        if question.id in bank.questions:
            where = f"questions[{i}].id"
            problems.append(Problem(str(path), where, f"id {question.id!r} is already used in {bank.sources[question.id]}"))
            continue
        bank.questions[question.id] = question
        bank.sources[question.id] = str(path)


def _cross_check(bank: Bank) -> list[Problem]:
    if bank.questions and not bank.levels:
        return [Problem(LEVELS_FILE, "", "no level profiles found; the bundled content/levels.toml is missing")]
    return []
