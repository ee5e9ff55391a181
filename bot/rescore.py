"""`stardrill db rescore`: judge the stored answers again with the feedback engine as it is now.

Each feedback row keeps the engine fingerprint it was given with (feedback/fingerprint.py). After an upgrade that
changes the engine, a member's chart would mix scores from two engines; rescoring puts every stored answer on the
current one: its score, verdict and stored feedback (what `stardrill history` shows). What was posted on Slack or
Discord at the time is left as it was. Answers whose question (or probe) is no longer in the bank are left too,
and counted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from stardrill.feedback import evaluate
from stardrill.feedback.fingerprint import ENGINE

PAGE = 200  # answers read, judged and written per transaction: a running bot waits at most one page's write


@dataclass
class Rescored:
    judged: int = 0  # answers judged again
    changed: int = 0  # of those, how many got another score or verdict
    current: int = 0  # already judged by this engine, left as they were
    orphaned: int = 0  # question, probe or level no longer in the bank, left as they were


def rescore(app, *, dry_run: bool = False, everything: bool = False) -> Rescored:
    """Judge again every stored answer whose feedback another engine gave (`everything`: every answer, e.g. after
    the bank's criteria changed). `dry_run` judges and counts but writes nothing."""
    done = Rescored()
    after = 0
    while rows := app.store.rows(
        "SELECT a.id, a.question_id, a.probe_index, a.level, a.text, f.score, f.verdict, f.body "
        "FROM answers a JOIN feedback f ON f.answer_id = a.id WHERE a.id > ? ORDER BY a.id LIMIT ?", (after, PAGE)
    ):
        after = rows[-1]["id"]
        updates = [u for row in rows if (u := _judged(app.bank, row, done, everything)) is not None]
        if updates and not dry_run:
            with app.store.write():
                for answer_id, feedback in updates:
                    app.store.execute("UPDATE feedback SET score = ?, verdict = ?, body = ? WHERE answer_id = ?",
                                      (feedback.score, feedback.verdict, json.dumps(feedback.to_json()), answer_id))
    return done


def _judged(bank, row: dict, done: Rescored, everything: bool):
    """(answer id, new feedback) for a row to rewrite, or None; counts the row in `done`."""
    if not everything and _engine_of(row["body"]) == ENGINE:
        done.current += 1
        return None
    question = bank.questions.get(row["question_id"])
    level = bank.levels.get(str(row["level"]).lower())
    index = row["probe_index"]
    if question is None or level is None or index is not None and not 0 <= index < len(question.probes):
        done.orphaned += 1
        return None
    feedback = evaluate(row["text"], question, level, probe=question.probes[index] if index is not None else None)
    done.judged += 1
    done.changed += (feedback.score, feedback.verdict) != (row["score"], row["verdict"])
    return row["id"], feedback


def _engine_of(body: str) -> str:
    try:
        stored = json.loads(body)
    except (TypeError, ValueError):
        return ""
    return stored.get("engine", "") if isinstance(stored, dict) else ""


__all__ = ["rescore", "Rescored", "PAGE"]
