"""Slack adapter: slack-bolt (Socket Mode or HTTP) in front of the Stardrill core."""
