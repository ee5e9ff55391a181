"""`stardrill db copy --to URL`: move the SQLite database into an empty PostgreSQL one. `stardrill db rescore`:
judge the stored answers again with the current feedback engine."""

from __future__ import annotations

from urllib.parse import urlsplit

from stardrill.adapters.bootstrap import fail
from stardrill.store import Store, StoreError
from stardrill.store.db import default_db_path, missing_folder_problem


def register(sub) -> None:
    db = sub.add_parser("db", help="Database tools: copy the SQLite database into PostgreSQL; rescore stored answers.")
    tools = db.add_subparsers(dest="db_command", required=True, metavar="TOOL")
    c = tools.add_parser("copy", help="Copy the SQLite database (STARDRILL_DB) into an empty PostgreSQL database, "
                                      "verifying every table's row count; refuses a target that holds any rows.")
    c.add_argument("--to", required=True, metavar="URL", help="postgresql://user:password@host:5432/dbname")
    c.set_defaults(func=cmd_copy)
    r = tools.add_parser("rescore", help="Judge the stored answers again with this version's feedback engine (those "
                                         "another version judged), so scores and charts compare like with like.")
    r.add_argument("--all", action="store_true", dest="everything",
                   help="judge every stored answer again, e.g. after the question bank's criteria changed")
    r.add_argument("--dry-run", action="store_true", help="count what would change and write nothing")
    r.set_defaults(func=cmd_rescore)


def url_problem(url: str | None, name: str) -> str | None:
    """Why a postgresql:// URL given as `name` cannot be used, without quoting it (it may hold a password)."""
    if url is None:
        return None
    if not url.strip():
        return f"{name} is set but empty: give a postgresql:// URL, or unset it to use SQLite"
    from stardrill.store.pg import is_url, scheme_said  # psycopg is imported only when PostgreSQL is used

    if not is_url(url):
        return f"{name} must be a postgresql:// URL ({scheme_said(url)}); unset it to use the SQLite file in STARDRILL_DB"
    try:
        urlsplit(url).port  # the host and the port are parsed only when asked for
    except ValueError as exc:
        return f"{name} is not a usable URL ({_reason(exc)}): it takes postgresql://user:password@host:5432/dbname"
    return None


def _reason(exc: ValueError) -> str:
    # urllib quotes a part of the URL in some messages: say what is wrong without it, so no password can show
    text = str(exc)
    if "'" not in text:
        return text  # e.g. "Invalid IPv6 URL", "Port out of range 0-65535"
    return "the port is not a number" if text.startswith("Port") else "the host is not a valid address"


def cmd_copy(args) -> int:
    from stardrill.store import copy as copier
    from stardrill.store.pg import PgStore, is_url, redacted, scheme_said

    if not is_url(args.to):
        return fail(f"--to must be a postgresql:// URL ({scheme_said(args.to)})")
    if problem := url_problem(args.to, "--to"):
        return fail(problem)
    path = default_db_path()
    if problem := missing_folder_problem(path.parent):
        return fail(problem)
    if not path.exists():
        return fail(f"there is no SQLite database at {path} to copy (set STARDRILL_DB to its path)")
    source = target = None
    try:
        source = Store(path)
        target = PgStore(args.to, pool_size=2)
        copied = copier.copy(source, target)
    except (StoreError, copier.CopyError) as exc:
        return fail(str(exc), 1)
    finally:
        for store in (source, target):
            if store is not None:
                store.close()
    for table, rows in copied.tables.items():
        print(f"{table:<16} {rows:>9} rows")
    print(f"copied {copied.rows} rows in {len(copied.tables)} tables from {path} to {redacted(args.to)}; "
          "row counts match")
    print("next: set STARDRILL_DATABASE_URL to that URL and restart the bot")
    return 0


def cmd_rescore(args) -> int:
    from stardrill.adapters import bootstrap
    from stardrill.feedback.fingerprint import ENGINE
    from stardrill.rescore import rescore

    app = bootstrap.app()
    try:
        done = rescore(app, dry_run=args.dry_run, everything=args.everything)
    finally:
        app.store.close()
    verb = "would change" if args.dry_run else "changed"
    print(f"judged {done.judged} stored answer(s) again with feedback engine {ENGINE}: {done.changed} {verb} score "
          f"or verdict")
    print(f"left as they were: {done.current} already judged by this engine, {done.orphaned} whose question, "
          "probe or level is no longer in the bank")
    if args.dry_run:
        print("dry run: nothing was written")
    return 0
