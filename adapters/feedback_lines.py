"""`stardrill feedback --jsonl`: one JSON result per input line; a bad or empty line gets {"line": N, "error": ...} and
the rest are still processed. Errors are written for the person who made the file, naming the field and the fix."""

from __future__ import annotations

import json

from stardrill.feedback import evaluate

EXAMPLES = {"question_id": "a question id such as lead-without-title", "level": "a level such as senior or em"}


class LineError(ValueError):
    """What is wrong with one input line, in words for its author."""


def results(bank, lines, question_id: str | None, level_id: str):
    """(result or error dict, failed) per input line, numbered from 1 as they come.

    An empty line gets an error too, never a silent skip: output line N must answer input line N."""
    for number, raw in enumerate(lines, 1):
        line = raw.decode("utf-8", errors="replace").strip() if isinstance(raw, bytes) else raw.strip()
        try:
            yield one(bank, line, question_id, level_id), False
        except LineError as exc:
            yield {"line": number, "error": str(exc)}, True
        except Exception as exc:  # never stop the batch: the other lines still get their feedback
            yield {"line": number, "error": f"could not give feedback on this line ({type(exc).__name__}: {exc})"}, True


def one(bank, line: str, question_id: str | None, level_id: str) -> dict:
    if not line:
        raise LineError('the line is empty: each line needs a JSON object like {"answer": "..."}')
    item = _parsed(line)
    if not isinstance(item, dict):
        raise LineError('each line must be a JSON object like {"answer": "..."}')
    if "answer" not in item:
        raise LineError('"answer" is missing: each line needs the answer text, like {"answer": "..."}')
    if not isinstance(item["answer"], str):
        raise LineError(f'"answer" must be text, not {json.dumps(item["answer"])}')
    question_id = _text(item, "question_id") or question_id
    level_id = _text(item, "level") or level_id
    try:
        question = bank.question(question_id) if question_id else None
        level = bank.level(level_id)
    except KeyError as exc:
        raise LineError(exc.args[0]) from None
    return evaluate(item["answer"], question, level).to_json()


def _parsed(line: str):
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        # some of json's messages end in "at" ("Unterminated string starting at"): the column completes them
        raise LineError(f"not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})") from None
    except ValueError:  # Python refuses to read a number of thousands of digits
        raise LineError("not valid JSON here: it holds a number with thousands of digits") from None


def _text(item: dict, key: str) -> str | None:
    value = item.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise LineError(f'"{key}" must be {EXAMPLES[key]}, not {json.dumps(value)}')
    return value
