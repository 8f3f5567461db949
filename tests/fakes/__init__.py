"""Offline fakes of the platforms the bot talks to (Slack Web API, Bot Framework connector), run on loopback.

Import what you need from the submodules, e.g. ``from tests.fakes.slack_api import running_slack_api``.
"""
