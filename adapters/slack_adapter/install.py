"""Installation mode: any workspace installs Stardrill from a link (Slack's OAuth v2), HTTP mode only.

`GET /slack/install` and `GET /slack/oauth_redirect` are Bolt's OAuthFlow (state in a cookie and in the
database, the code exchanged with oauth.v2.access); installs and OAuth states live in Stardrill's own
database (installations.py). Bot tokens rotate (the distributed manifest turns rotation on); org-wide
installs on Enterprise Grid are keyed by the org.

Bolt's own InstallationStoreAuthorize is not used for requests: it calls auth.test on every request
(unless its cache is on) and refreshes tokens on the ack path, racing the outbox, which refreshes them
too. `WorkspaceAuthorize` answers from the in-process installation cache, so a request costs a dict
lookup; tokens are refreshed only where they are used, before a send (clients.Workspaces).
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass

from aiohttp import web
from slack_bolt import BoltRequest
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.token_rotation import TokenRotator

from stardrill import settings
from stardrill.adapters.bootstrap import StartupError
from stardrill.adapters.slack_adapter.clients import ROTATE_MINUTES, Workspaces
from stardrill.adapters.slack_adapter.installations import SlackInstallations, SlackOAuthStates
from stardrill.adapters.slack_adapter.scope import workspace_key

log = logging.getLogger(__name__)

NEEDED_SCOPES = ("chat:write", "commands")
CLIENT_ID = re.compile(r"^\d+\.\d+$")
SCOPE = re.compile(r"^[a-z_]+(:[a-z_.]+)*$")


@dataclass(frozen=True)
class InstallSettings:
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    install_path: str
    redirect_uri_path: str
    redirect_uri: str | None
    retention_days: int


def wanted() -> bool:
    """Installation mode is on when the app's client id is set (Bolt's SLACK_CLIENT_ID convention)."""
    return bool(settings.get("SLACK_CLIENT_ID").strip())


def read_settings() -> InstallSettings:
    """The OAuth settings, checked: each mistake is a one-line StartupError naming the setting."""
    client_id, secret = settings.get("SLACK_CLIENT_ID").strip(), settings.get("SLACK_CLIENT_SECRET").strip()
    if not CLIENT_ID.match(client_id):
        raise StartupError(f"SLACK_CLIENT_ID must be the app's Client ID (digits.digits, Basic Information page), "
                           f"not {client_id!r}")
    if not secret:
        raise StartupError("installation mode needs SLACK_CLIENT_SECRET (the app's Basic Information page)")
    scopes = tuple(s.strip() for s in settings.get("SLACK_SCOPES").split(",") if s.strip())
    bad = [s for s in scopes if not SCOPE.match(s)]
    if bad:
        raise StartupError(f"SLACK_SCOPES must be comma-separated bot scopes like chat:write, not {', '.join(bad)}")
    missing = [s for s in NEEDED_SCOPES if s not in scopes]
    if missing:
        raise StartupError(f"SLACK_SCOPES lacks {', '.join(missing)}: Stardrill cannot post or take commands without")
    paths = {name: settings.get(name).strip() for name in ("SLACK_INSTALL_PATH", "SLACK_REDIRECT_URI_PATH")}
    for name, path in paths.items():
        if not path.startswith("/") or path.startswith("/slack/events") or any(c.isspace() for c in path):
            raise StartupError(f"{name} must be a URL path such as /slack/install (not /slack/events), not {path!r}")
    if len(set(paths.values())) < 2:
        raise StartupError("SLACK_INSTALL_PATH and SLACK_REDIRECT_URI_PATH must differ")
    redirect = settings.get("SLACK_REDIRECT_URI").strip() or None
    if redirect and not (redirect.startswith("https://") or redirect.startswith("http://127.0.0.1")
                         or redirect.startswith("http://localhost")):
        raise StartupError(f"SLACK_REDIRECT_URI must be an https:// URL (Slack refuses others), not {redirect!r}")
    try:
        days = settings.whole_number("STARDRILL_UNINSTALL_RETENTION_DAYS", 0, 3650, "a number of days")
    except settings.SettingError as exc:
        raise StartupError(str(exc)) from None
    return InstallSettings(client_id, secret, scopes, paths["SLACK_INSTALL_PATH"], paths["SLACK_REDIRECT_URI_PATH"],
                           redirect, days)


def authorize_url(api_url: str) -> str:
    """https://slack.com/api/ -> https://slack.com/oauth/v2/authorize (GovSlack, proxies and tests follow the API URL)."""
    base = api_url.rstrip("/")
    base = base[: -len("/api")] if base.endswith("/api") else base
    return f"{base}/oauth/v2/authorize"


class WorkspaceAuthorize(Authorize):
    """Bolt's authorize step from the installation cache: is the workspace installed, and who is its bot.

    No network on the ack path: no auth.test, and no token refresh either. The listeners only store the
    event (they never call Slack with the request's client), and every send refreshes a token that is due
    (Workspaces.token), so a slow or failing oauth.v2.access can never delay or lose an event. A workspace
    without an installation gets Bolt's "please reinstall" answer; a database error raises, and Slack
    retries the delivery.
    """

    def __init__(self, workspaces: Workspaces):
        super().__init__()
        self.installations = workspaces.installations

    def __call__(self, *, context, enterprise_id, team_id, user_id, **_actor) -> AuthorizeResult | None:
        key = workspace_key(enterprise_id, team_id, context.is_enterprise_install)
        bot = self.installations.bot(key)
        if bot is None:
            log.warning("a request from Slack workspace %s, which has no installation, was refused", key)
            return None
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_id=bot.bot_id, bot_user_id=bot.bot_user_id,
                               bot_token=bot.bot_token, bot_scopes=bot.bot_scopes, user_id=user_id)


class Install:
    """The pieces installation mode adds to the Bolt app and the HTTP server."""

    def __init__(self, store, config: InstallSettings, client: WebClient, make_client, default: WebClient | None,
                 on_installed=None):
        self.config = config
        self.installations = SlackInstallations(store, on_installed=on_installed)
        rotator = TokenRotator(client_id=config.client_id, client_secret=config.client_secret, client=client)
        self.workspaces = Workspaces(make_client, default=default, installations=self.installations, rotator=rotator,
                                     rotate_minutes=ROTATE_MINUTES)
        self.flow = OAuthFlow(client=client, logger=log, settings=OAuthSettings(
            client_id=config.client_id, client_secret=config.client_secret, scopes=list(config.scopes), user_scopes=[],
            redirect_uri=config.redirect_uri, install_path=config.install_path,
            redirect_uri_path=config.redirect_uri_path, install_page_rendering_enabled=False,
            authorization_url=authorize_url(client.base_url), installation_store=self.installations,
            installation_store_bot_only=True, token_rotation_expiration_minutes=ROTATE_MINUTES,
            state_store=SlackOAuthStates(store), logger=log))
        self.authorize = WorkspaceAuthorize(self.workspaces)

    def app_options(self) -> dict:
        return {"oauth_flow": self.flow, "authorize": self.authorize, "installation_store": self.installations,
                "installation_store_bot_only": True}

    def routes(self, web_app: web.Application) -> None:
        web_app.router.add_get(self.config.install_path, self._install)
        web_app.router.add_get(self.config.redirect_uri_path, self._redirect)

    async def _install(self, request: web.Request) -> web.Response:
        return await _off_the_loop(self.flow.handle_installation, request)  # stores a new state

    async def _redirect(self, request: web.Request) -> web.Response:
        return await _off_the_loop(self.flow.handle_callback, request)  # oauth.v2.access and the save


async def _off_the_loop(handle, request: web.Request) -> web.Response:
    """Blocking database writes and Web API calls run in a worker thread, never on the server's loop."""
    bolt = await asyncio.get_running_loop().run_in_executor(None, handle, _bolt_request(request))
    return _response(bolt)


def _bolt_request(request: web.Request) -> BoltRequest:
    return BoltRequest(body="", query=request.query_string, headers=dict(request.headers))


def _response(bolt) -> web.Response:
    response = web.Response(status=bolt.status, body=(bolt.body or "").encode("utf-8"))
    for name, values in bolt.headers.items():
        if name.lower() == "content-length":
            continue
        for value in values:
            response.headers.add(name, value)
    return response
