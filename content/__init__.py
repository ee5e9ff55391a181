"""Stardrill's bundled question bank (TOML data), installed as ``stardrill.content``. See README 'Content'.

Read through importlib.resources (stardrill.content_loader.bundled_dir), never by file path.
"""
