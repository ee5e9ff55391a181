"""Is the platform's API reachable at all? Asked once before connecting, so no network is one clear line.

Without it, a DNS failure or a closed port surfaces deep inside an SDK: a traceback of 70-100 lines,
retry logs, an unclosed session warning. Any HTTP answer (even 404) means the host is there; only a
failure to connect is reported, as `cannot reach PLATFORM at URL: reason`.
"""

from __future__ import annotations

import urllib.error
import urllib.request

from stardrill.adapters.bootstrap import StartupError

TIMEOUT = 10.0  # seconds


class Unreachable(StartupError):
    """The platform's API did not answer at all."""


def check(platform: str, url: str, timeout: float = TIMEOUT) -> None:
    try:
        urllib.request.urlopen(urllib.request.Request(url, method="GET"), timeout=timeout).close()
    except urllib.error.HTTPError:
        return  # it answered: reachable (tokens and routes are the real calls' business)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise unreachable(platform, url, exc) from None


def unreachable(platform: str, url: str, exc: BaseException) -> Unreachable:
    reason = getattr(exc, "reason", None) or exc
    return Unreachable(f"cannot reach {platform} at {url}: {reason}")
