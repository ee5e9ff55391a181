"""`stardrill health`, `stardrill backup` and `stardrill restore`: what an operator runs beside the bot."""

from __future__ import annotations

import os

from stardrill import backup, health
from stardrill.adapters.bootstrap import fail
from stardrill.store import URL_SETTING, local_path
from stardrill.store.db import default_db_path, missing_folder_problem

SQLITE_ONLY = (f"{{}} works on the SQLite file, and {URL_SETTING} points at PostgreSQL: "
               "use pg_dump and pg_restore there (see README, Running at scale)")


def register(sub) -> None:
    h = sub.add_parser("health", help="Is the `stardrill run` on this host ready? One line per check; exit 0 when all pass, else 1.")
    # Docker reserves a health check's exit code 2: every failure of `health`, a bad setting too, exits 1.
    h.set_defaults(func=cmd_health, failure_exit=1)
    b = sub.add_parser("backup", help="Copy the database to PATH while the bot runs (SQLite's online backup API).")
    b.add_argument("path", metavar="PATH", help="File to write; its folder must exist.")
    b.add_argument("--force", action="store_true", help="Replace PATH if it exists.")
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="Replace the database with a backup (refused while a bot runs on it).")
    r.add_argument("path", metavar="PATH", help="A backup made by `stardrill backup` (checked with integrity_check first).")
    r.set_defaults(func=cmd_restore)


def cmd_health(args) -> int:
    here = local_path()
    if problem := missing_folder_problem(here.parent):
        # no process can be using a database in a folder that is not there: name the mistyped path, not the process
        return fail(problem, 1)  # 1, not the usual 2: health exits 0 only when every check passes, else 1
    checks = health.report(here)
    for check in checks:
        print(check.line())
    return 0 if health.all_ok(checks) else 1


def cmd_backup(args) -> int:
    if os.environ.get(URL_SETTING, "").strip():
        return fail(SQLITE_ONLY.format("stardrill backup"), 2)
    db = default_db_path()
    if problem := missing_folder_problem(db.parent):
        return fail(problem)
    try:
        size = backup.backup(db, args.path, replace=args.force)
    except backup.BackupError as exc:
        return fail(str(exc), 1)
    print(f"backed up {db} to {args.path} ({size / 1024:.0f} KiB, integrity ok)")
    return 0


def cmd_restore(args) -> int:
    if os.environ.get(URL_SETTING, "").strip():
        return fail(SQLITE_ONLY.format("stardrill restore"), 2)
    db = default_db_path()
    if problem := missing_folder_problem(db.parent):
        return fail(problem)  # restoring would make the folder tree of a mistyped STARDRILL_DB
    try:
        restored = backup.restore(args.path, db)
    except backup.BackupError as exc:
        return fail(str(exc), 1)
    print(f"restored {db} from {args.path} ({restored.answers} answers, integrity ok)")
    if restored.previous is not None:
        print(f"the database it replaced is saved as {restored.previous}")
    return 0
