"""Stardrill's bundled question bank (TOML data). See README 'Content'."""
