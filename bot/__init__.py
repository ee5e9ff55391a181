"""Stardrill core: platform-agnostic; never imports a platform SDK.

Installed as the package ``stardrill`` (pyproject.toml maps bot/ onto it).
"""

from importlib import metadata as _metadata

from ._checkout import refuse_unless_installed as _refuse_unless_installed

_refuse_unless_installed(__name__, "bot")

try:
    __version__ = _metadata.version("stardrill")
except _metadata.PackageNotFoundError:  # pragma: no cover - only outside an install
    __version__ = "0+unknown"
