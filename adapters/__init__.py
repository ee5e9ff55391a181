"""Adapters translate between a platform and the core. They hold no product logic.

Installed as ``stardrill.adapters`` (pyproject.toml maps adapters/ onto it).
"""

if __name__.split(".")[0] != "stardrill":
    raise ImportError(
        "'adapters/' is Stardrill's source folder, not a package to import as 'adapters'. "
        "Install Stardrill (`pip install -e .` in the checkout), then run `stardrill ...` "
        "or `python -m stardrill ...`."
    )
