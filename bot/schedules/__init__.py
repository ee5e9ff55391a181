"""Schedules: rows in SQLite, pure fire-time rules (rules.py), a service that claims and posts (service.py).

See docs/schedules.md for the behaviour (DST, catch-up, crash recovery, one scheduler per database).
"""
