"""The fake Slack's installation mode: workspaces that install the app through OAuth v2, rotating bot tokens.

The consent page (`GET /oauth/v2/authorize`, already accepted) redirects back with a one-time code;
`oauth.v2.access` exchanges it for a bot token that expires after `token_life` seconds, or, with the
refresh_token grant, gives a new token (a refresh token is good once). Tokens stop working when they
expire or when the workspace uninstalls the app.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass

from aiohttp import web

BOT_USER = "UBOT"


@dataclass
class Grant:
    """One bot token the fake issued through oauth.v2.access (installation mode)."""

    team: str
    expires_at: float  # epoch seconds
    refresh_token: str
    revoked: bool = False


class Installs:
    """Mixed into FakeSlack, whose __init__ sets teams, grants, codes, token_life and redirect_uri."""

    def add_team(self, team_id: str, name: str = "", enterprise_id: str | None = None, org_wide: bool = False) -> str:
        """A workspace (or, org_wide, a Grid org) that may install the app; returns its key."""
        key = enterprise_id if org_wide else team_id
        with self._cond:
            self.teams[key] = {"team_id": None if org_wide else team_id, "enterprise_id": enterprise_id,
                               "org_wide": org_wide, "name": name or key.lower()}
        return key

    def uninstall(self, key: str) -> None:
        """The workspace removed the app: every token it was given stops working (the app hears app_uninstalled)."""
        with self._cond:
            for grant in self.grants.values():
                if grant.team == key:
                    grant.revoked = True

    def expire(self, token: str) -> None:
        with self._cond:
            self.grants[token].expires_at = time.time() - 1

    def live_token(self, key: str) -> str | None:
        with self._cond:
            live = [t for t, g in self.grants.items() if g.team == key and not g.revoked and g.expires_at > time.time()]
        return live[-1] if live else None

    async def _authorize(self, request: web.Request) -> web.Response:
        """Slack's consent page, already accepted: back to the app's redirect URL with a one-time code."""
        key = request.query.get("team") or next(iter(self.teams), "")
        if key not in self.teams or not request.query.get("client_id"):
            return web.Response(status=400, text="unknown workspace or client")
        code = f"code-{key}-{next(self._ids)}"
        with self._cond:
            self.codes[code] = key
            self.calls.append(self.Call("oauth.authorize", dict(request.query), team=key))
            self._cond.notify_all()
        target = request.query.get("redirect_uri") or self.redirect_uri
        state = request.query.get("state", "")
        raise web.HTTPFound(f"{target}?code={code}&state={state}")

    def _issue(self, key: str) -> tuple[str, Grant]:
        n = next(self._ids)
        token = f"xoxb-{key}-{n}-rotating"
        grant = Grant(key, time.time() + self.token_life, f"xoxe-1-{key}-{n}")
        self.grants[token] = grant
        return token, grant

    def m_oauth_v2_access(self, p: dict) -> dict:
        basic = self._token_now.removeprefix("Basic ")  # slack_sdk sends the client id and secret as HTTP Basic auth
        client_id, _, secret = base64.b64decode(basic or "Og==").decode().partition(":")
        if not client_id or not secret:
            return {"ok": False, "error": "invalid_client_id"}
        with self._cond:
            if p.get("grant_type") == "refresh_token":
                old = next((g for g in self.grants.values() if g.refresh_token == p.get("refresh_token") and not g.revoked), None)
                if old is None:
                    return {"ok": False, "error": "invalid_refresh_token"}
                old.refresh_token = ""  # a refresh token is good once
                token, grant = self._issue(old.team)
                return {"access_token": token, "token_type": "bot", "expires_in": self.token_life,
                        "refresh_token": grant.refresh_token}
            key = self.codes.pop(p.get("code", ""), None)
            if key is None:
                return {"ok": False, "error": "invalid_code"}
            token, grant = self._issue(key)
        team = self.teams[key]
        return {"app_id": "A0001", "access_token": token, "token_type": "bot", "expires_in": self.token_life,
                "refresh_token": grant.refresh_token, "scope": "chat:write,commands", "bot_user_id": BOT_USER,
                "team": None if team["org_wide"] else {"id": team["team_id"], "name": team["name"]},
                "enterprise": {"id": team["enterprise_id"], "name": "Org"} if team["enterprise_id"] else None,
                "is_enterprise_install": team["org_wide"], "authed_user": {"id": "UINSTALLER"}}
