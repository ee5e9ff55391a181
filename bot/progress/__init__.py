"""Progress that motivates without shaming: streaks, trends, history, stories, spaced repetition, digests.

Pure rules live in streaks.py, spaced.py and tracked.py (no store, no clock); queries.py holds the SQL;
the other modules build core Messages from both. Members' progress is private by default.
"""
