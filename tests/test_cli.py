"""The command line contracts: feedback --json/--jsonl, questions, content validate; bad input gives one clear line."""

from __future__ import annotations

import json

from tests.chat import STRONG, WEAK
from tests.test_console_e2e import stardrill

CONTRACT = {"score", "verdict", "criteria", "estimated_seconds", "top_fix", "flags"}


def test_feedback_json_contract(tmp_path):
    run = stardrill("feedback", "--question", "lead-without-title", "--level", "sde2", "--json", stdin=STRONG, db=tmp_path / "x.db")
    assert run.returncode == 0, run.stderr.decode()
    data = json.loads(run.stdout)
    assert CONTRACT <= set(data)
    assert 0 <= data["score"] <= 100
    assert {"id", "label", "status", "evidence"} <= set(data["criteria"][0])
    assert any(c["evidence"] and c["evidence"] in STRONG for c in data["criteria"])


def test_feedback_jsonl_one_result_per_line_and_errors_named(tmp_path):
    lines = [
        json.dumps({"answer": STRONG, "question_id": "lead-without-title", "level": "sde2"}),
        json.dumps({"answer": WEAK}),
        json.dumps({"answer": WEAK, "level": "wizard"}),
        "not json",
    ]
    run = stardrill("feedback", "--jsonl", stdin="\n".join(lines) + "\n", db=tmp_path / "x.db")
    out = [json.loads(line) for line in run.stdout.decode().splitlines()]
    assert len(out) == 4 and run.returncode == 1
    assert CONTRACT <= set(out[0]) and CONTRACT <= set(out[1])
    assert out[0]["score"] > out[1]["score"]
    assert out[2] == {"line": 3, "error": "unknown level 'wizard' (known: sde1, sde2, senior, tl, staff, em, l7)"}
    assert out[3]["line"] == 4 and "error" in out[3]


def test_feedback_survives_huge_and_binary_input(tmp_path):
    huge = stardrill("feedback", "--json", stdin=("I fixed the build. " * 3000)[:50_000], db=tmp_path / "x.db")
    assert huge.returncode == 0 and 0 <= json.loads(huge.stdout)["score"] <= 100
    junk = stardrill("feedback", "--json", stdin=bytes(range(256)) * 20, db=tmp_path / "x.db")
    assert junk.returncode == 0 and json.loads(junk.stdout)["verdict"]
    empty = stardrill("feedback", "--json", stdin="  \n", db=tmp_path / "x.db")
    assert empty.returncode == 2 and empty.stdout == b""  # no answer is a usage error, not a 0/100 verdict


def test_feedback_unknown_level_or_question_is_one_line(tmp_path):
    for args in (["--level", "wizard"], ["--question", "nope"]):
        run = stardrill("feedback", *args, stdin=STRONG, db=tmp_path / "x.db")
        assert run.returncode == 2
        assert len(run.stderr.decode().strip().splitlines()) == 1 and run.stderr.decode().startswith("error: ")


def test_questions_json_dumps_full_questions(tmp_path):
    run = stardrill("questions", "--json", db=tmp_path / "x.db")
    data = json.loads(run.stdout)
    question = data["questions"][0]
    for key in ("competencies", "levels", "criteria", "probes", "strong_examples", "weak_examples"):
        assert question[key], key
    assert question["probes"][0]["weak"]["text"] and question["probes"][0]["strong"]["why"]
    assert question["strong_examples"][0]["action"]["seconds"] > 0
    filtered = json.loads(stardrill("questions", "--json", "--level", "l7", db=tmp_path / "x.db").stdout)
    assert filtered["questions"] and all("l7" in q["levels"] for q in filtered["questions"])


def test_content_validate_reports_every_problem_with_file_and_field(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "bad.toml").write_text('[[questions]]\nid = "x"\ntext = "Q?"\ncompetencies = ["nope"]\nlevels = []\n')
    run = stardrill("content", "validate", str(pack), db=tmp_path / "x.db")
    err = run.stderr.decode()
    assert run.returncode == 1
    assert "bad.toml: questions[0].competencies[0] (question 'x')" in err
    assert "bad.toml: questions[0].levels (question 'x')" in err
    assert "problem(s) found" in err
    ok = stardrill("content", "validate", db=tmp_path / "x.db")
    assert ok.returncode == 0 and ok.stdout.decode().startswith("ok: ")


def test_broken_pack_in_settings_stops_startup_with_the_problem(tmp_path):
    (tmp_path / "bad.toml").write_text("not = [valid")
    run = stardrill("questions", db=tmp_path / "x.db", env={"STARDRILL_CONTENT_DIRS": str(tmp_path)})
    assert run.returncode == 2 and "bad.toml: not valid TOML" in run.stderr.decode()


def test_unusable_db_path_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    run = stardrill("practice", stdin="", db=tmp_path / "file" / "db.sqlite")
    assert run.returncode == 2
    assert run.stderr.decode().startswith("error: cannot use database")


def test_feedback_jsonl_names_every_bad_line_in_plain_words_and_goes_on(tmp_path):
    lines = [
        json.dumps({"answer": "ok", "level": 5}),
        json.dumps({"question_id": ["a"], "answer": "x"}),
        json.dumps({"answer": WEAK, "level": "EM"}),  # levels in any case
        "[1, 2]",
        json.dumps({"answer": 7}),
        "{not json",
        json.dumps({"answer": WEAK}),
    ]
    run = stardrill("feedback", "--jsonl", stdin="\n".join(lines) + "\n", db=tmp_path / "x.db")
    out = [json.loads(line) for line in run.stdout.decode().splitlines()]
    assert run.returncode == 1 and b"Traceback" not in run.stderr
    assert [o.get("line") for o in out] == [1, 2, None, 4, 5, 6, None]
    assert out[0]["error"] == '"level" must be a level such as senior or em, not 5'
    assert out[1]["error"] == '"question_id" must be a question id such as lead-without-title, not ["a"]'
    assert CONTRACT <= set(out[2]) and out[2]["level"] == "em" and CONTRACT <= set(out[6])
    assert out[3]["error"] == 'each line must be a JSON object like {"answer": "..."}'
    assert out[4]["error"] == '"answer" must be text, not 7'
    assert out[5]["error"].startswith("not valid JSON")
