"""The content loader: the shipped bank is valid, broken files report every problem, packs merge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stardrill.adapters.cli_content import SCHEMA_PATH, schema
from stardrill.content_loader import ContentError, bundled_dir, content_dirs, files_in, load_bank
from stardrill.content_models import AREAS, LEADERSHIP_PRINCIPLES

BROKEN = """
[[questions]]
id = "Bad Id"
text = ""
competencies = ["ownership", "telepathy"]
levels = ["sde1"]
surprise = "unknown key"
criteria = []
probes = []
common_mistakes = ["x"]
coaching_tips = [true]
"""


def test_every_bundled_file_is_valid(bank):
    files = files_in([bundled_dir()], [])
    assert len(files) >= 2
    assert len(bank.questions) >= 20
    assert set(bank.levels) == {"sde1", "sde2", "senior", "staff", "tl", "em", "l7"}


def test_bank_spans_competencies_and_levels(bank):
    competencies = {c for q in bank.questions.values() for c in q.competencies}
    levels = {lv for q in bank.questions.values() for lv in q.levels}
    assert len(competencies & (set(LEADERSHIP_PRINCIPLES) | set(AREAS))) >= 8
    assert len(levels) >= 4


def test_invalid_file_reports_all_its_errors(tmp_path):
    (tmp_path / "broken.toml").write_text(BROKEN)
    with pytest.raises(ContentError) as caught:
        load_bank([bundled_dir(), tmp_path])
    text = str(caught.value)
    problems = [p for p in caught.value.problems if p.file.endswith("broken.toml")]
    assert len(problems) >= 6, text
    for field in ("id", "text", "competencies[1]", "surprise", "criteria", "strong_examples"):
        assert any(field in p.where for p in problems), (field, text)


def test_not_toml_is_one_clear_problem(tmp_path):
    (tmp_path / "junk.toml").write_bytes(b"\x00\x01 not = = toml")
    with pytest.raises(ContentError) as caught:
        load_bank([bundled_dir(), tmp_path])
    assert any("junk.toml" in p.file for p in caught.value.problems)


def test_strings_stay_strict(tmp_path, bank):
    question = next(iter(bank.questions.values())).model_dump()
    question["id"] = "pack-strict"
    question["coaching_tips"] = [True, "a real tip"]
    _write_pack(tmp_path / "pack.toml", question)
    with pytest.raises(ContentError) as caught:
        load_bank([bundled_dir(), tmp_path])
    assert any("coaching_tips[0]" in p.where for p in caught.value.problems)


def test_team_pack_merges_and_clashing_ids_are_named(tmp_path, bank, monkeypatch):
    question = next(iter(bank.questions.values())).model_dump()
    fresh = dict(question, id="team-own-question")
    _write_pack(tmp_path / "ours.toml", fresh)
    monkeypatch.setenv("STARDRILL_CONTENT_DIRS", str(tmp_path))
    merged = load_bank(content_dirs())
    assert "team-own-question" in merged.questions
    assert len(merged.questions) == len(bank.questions) + 1

    _write_pack(tmp_path / "clash.toml", question)
    with pytest.raises(ContentError) as caught:
        load_bank(content_dirs())
    clash = [p for p in caught.value.problems if "already used" in p.message]
    assert clash and clash[0].file.endswith("clash.toml") and clash[0].where == "questions[0].id"


def test_schema_json_is_current():
    assert json.loads(SCHEMA_PATH.read_text()) == json.loads(json.dumps(schema())), (
        "content/schema.json is stale: run `stardrill content schema > content/schema.json`"
    )


def _write_pack(path: Path, question: dict) -> None:
    path.write_text(_toml({"questions": [question]}))


def _toml(data: dict) -> str:
    """A minimal TOML writer for the test packs (stdlib has a reader only)."""
    lines: list[str] = []

    def emit(table: dict, prefix: str) -> None:
        scalars = {k: v for k, v in table.items() if not isinstance(v, (dict, list)) or _plain_list(v)}
        for key, value in scalars.items():
            lines.append(f"{key} = {json.dumps(value)}")
        for key, value in table.items():
            if isinstance(value, dict):
                lines.append(f"[{prefix}{key}]")
                emit(value, f"{prefix}{key}.")
            elif isinstance(value, list) and not _plain_list(value):
                for item in value:
                    lines.append(f"[[{prefix}{key}]]")
                    emit(item, f"{prefix}{key}.")

    emit(data, "")
    return "\n".join(lines) + "\n"


def _plain_list(value) -> bool:
    return isinstance(value, list) and all(not isinstance(v, dict) for v in value)
