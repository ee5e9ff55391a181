"""`stardrill db copy --to URL`: move the SQLite database into an empty PostgreSQL one."""

from __future__ import annotations

from stardrill.adapters.bootstrap import fail
from stardrill.store import Store, StoreError
from stardrill.store.db import default_db_path


def register(sub) -> None:
    db = sub.add_parser("db", help="Database tools: copy the SQLite database into PostgreSQL.")
    tools = db.add_subparsers(dest="db_command", required=True, metavar="TOOL")
    c = tools.add_parser("copy", help="Copy the SQLite database (STARDRILL_DB) into an empty PostgreSQL database, "
                                      "verifying every table's row count; refuses a target that holds any rows.")
    c.add_argument("--to", required=True, metavar="URL", help="postgresql://user:password@host:5432/dbname")
    c.set_defaults(func=cmd_copy)


def cmd_copy(args) -> int:
    from stardrill.store import copy as copier
    from stardrill.store.pg import PgStore, is_url, redacted

    if not is_url(args.to):
        return fail(f"--to must be a postgresql:// URL (got {args.to.split(':', 1)[0]!r})")
    path = default_db_path()
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
