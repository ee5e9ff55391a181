"""A clear message for running the source folders directly instead of the installed package."""

from __future__ import annotations


def refuse_unless_installed(module_name: str, folder: str) -> None:
    """Raise ImportError when a source folder is imported under its folder name.

    The repository's folders (bot/, adapters/, content/) are installed as one package, ``stardrill``.
    Imported as plain ``bot`` or ``adapters`` they would half-work, or worse, a stranger's package
    of that name would answer instead; so say how to run Stardrill.
    """
    if module_name.split(".")[0] != "stardrill":
        raise ImportError(
            f"'{folder}/' is Stardrill's source folder, not a package to import as {module_name!r}. "
            "Install Stardrill (`pip install -e .` in the checkout), then run `stardrill ...` "
            "or `python -m stardrill ...`; code imports it as `stardrill`."
        )
