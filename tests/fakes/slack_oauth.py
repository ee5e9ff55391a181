"""Stardrill in installation mode against the fake Slack: the OAuth install driven as a browser would, and
payloads from any workspace.

`install(world, key)` follows the real flow: GET /slack/install (a state cookie and a redirect to the
consent page) -> the fake's consent page (a redirect back with a one-time code) -> GET
/slack/oauth_redirect with the code, the state and the cookie.
"""

from __future__ import annotations

import copy
import urllib.error
import urllib.request
from argparse import Namespace

from stardrill.adapters.slack_adapter import runtime
from tests.fakes.slack import FakeSlack
from tests.fakes.slack_harness import SECRET, SlackWorld

CLIENT_ID, CLIENT_SECRET = "1111.2222", "fake-client-secret-456"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test follows each hop itself


_opener = urllib.request.build_opener(_NoRedirects)


def get(url: str, cookie: str = "") -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode()


def start_installable(fake: FakeSlack, core, monkeypatch, bot_token: str | None = None) -> SlackWorld:
    monkeypatch.setenv("SLACK_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("SLACK_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("STARDRILL_SLACK_API_URL", fake.url)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    if bot_token:
        monkeypatch.setenv("SLACK_BOT_TOKEN", bot_token)
    else:
        monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    running = runtime.start(core, Namespace(slack_mode="http", port=0))
    running.adapter.pacer.interval = running.adapter.pacer.tolerance = 0.0  # pacing has its own unit test
    fake.redirect_uri = f"http://127.0.0.1:{running.port}/slack/oauth_redirect"
    return SlackWorld(fake, core, running, "http")


def install(world: SlackWorld, key: str) -> str:
    """Install the app into the fake's workspace `key` through the OAuth flow; returns the success page."""
    base = f"http://127.0.0.1:{world.running.port}"
    status, headers, _ = get(f"{base}/slack/install?team={key}")
    assert status == 302, status
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    status, headers, body = get(headers["Location"])  # the consent page, accepted
    assert status == 302, (status, body)
    status, _, page = get(headers["Location"], cookie)
    assert status == 200, (status, page)
    return page


def in_team(body: dict, team_id: str, enterprise_id: str | None = None, org_wide: bool = False) -> dict:
    """A payload as workspace `team_id` sends it (inside org `enterprise_id`; org_wide: the org installed the app)."""
    body = copy.deepcopy(body)
    if "team_id" in body:
        body["team_id"] = team_id
    if isinstance(body.get("team"), dict):
        body["team"]["id"] = team_id
    for part in ("event", "user", "view"):
        if isinstance(body.get(part), dict) and "team" in body[part]:
            body[part]["team"] = team_id
        if isinstance(body.get(part), dict) and "team_id" in body[part]:
            body[part]["team_id"] = team_id
    if enterprise_id:
        body["enterprise_id"] = enterprise_id
        if "command" not in body:  # a slash command is form-encoded: flat fields only
            body["enterprise"] = {"id": enterprise_id}
    body["is_enterprise_install"] = "true" if org_wide else "false"  # as Slack's form fields carry it
    if "authorizations" in body:
        body["authorizations"] = [{"enterprise_id": enterprise_id, "team_id": None if org_wide else team_id,
                                   "user_id": "UBOT", "is_bot": True, "is_enterprise_install": org_wide}]
    return body
