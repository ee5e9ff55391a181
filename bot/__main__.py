"""`python -m stardrill` is the `stardrill` command."""

from stardrill.adapters.cli import main

raise SystemExit(main())
