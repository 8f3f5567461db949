"""The one route table at the Teams edge: admission (channel and tenant) runs once, before any route, for every
kind of activity the bot handles; an admitted activity reaches exactly the route for its kind."""

from __future__ import annotations

from typing import Any

import pytest
from microsoft_teams.api import ActivityTypeAdapter
from microsoft_teams.api.activities import MessageActivity
from microsoft_teams.api.activities.invoke import AdaptiveCardInvokeActivity, TaskFetchInvokeActivity
from microsoft_teams.api.activities.invoke.task import TaskSubmitInvokeActivity

from bot.teams.edge import Door, Route, route
from tests.fakes.teams_activities import invoke_adaptive_card_action, message_activity, task_fetch, task_submit

TENANT = "tenant-a"
WHERE = ("aad-1", TENANT, "a:chat", "https://smba.example/")
KINDS: dict[str, Any] = {
    "message": (MessageActivity, lambda: message_activity("actions", *WHERE)),
    "card": (AdaptiveCardInvokeActivity, lambda: invoke_adaptive_card_action("home.refresh", {"value": "1"}, *WHERE)),
    "fetch": (TaskFetchInvokeActivity, lambda: task_fetch({"aftercare": "command", "line": "help"}, *WHERE)),
    "submit": (TaskSubmitInvokeActivity, lambda: task_submit({"aftercare": "submit", "form_id": "f"}, *WHERE)),
}


class Router:
    def __init__(self) -> None:
        self.routes: list[tuple[Any, Any]] = []

    def add_handler(self, selector: Any, handler: Any) -> None:
        self.routes.append((selector, handler))


class Context:
    def __init__(self, activity: Any) -> None:
        self.activity = activity


class NoSends:
    async def send(self, *_: object) -> str:
        return "sent"


def routed(ran: list[str]) -> tuple[Router, Door]:
    def handler(name: str) -> Any:
        async def run(_ctx: Any) -> str:
            ran.append(name)
            return name

        return run

    def refusal(name: str) -> Any:
        return lambda: f"refused {name}"

    table = tuple(Route(kind, handler(name), refusal(name)) for name, (kind, _) in KINDS.items())
    router, door = Router(), Door(frozenset({TENANT}))
    route(router, table, door, NoSends())  # type: ignore[arg-type]
    return router, door


def activity(name: str, **changes: Any) -> Any:
    body = KINDS[name][1]()
    body.update(changes)
    if "tenant" in changes:
        body["conversation"]["tenantId"] = changes.pop("tenant")
        body["channelData"]["tenant"]["id"] = body["conversation"]["tenantId"]
        del body["tenant"]
    return ActivityTypeAdapter.validate_python(body)


@pytest.mark.parametrize("name", list(KINDS))
async def test_one_handler_is_registered_and_an_admitted_activity_reaches_its_own_route(name: str):
    ran: list[str] = []
    router, _ = routed(ran)
    assert len(router.routes) == 1
    selector, handle = router.routes[0]
    given = activity(name)
    assert selector(given)
    assert await handle(Context(given)) == name
    assert ran == [name]


@pytest.mark.parametrize("name", list(KINDS))
@pytest.mark.parametrize("change", [{"channelId": "webchat"}, {"tenant": "tenant-b"}])
async def test_an_activity_not_admitted_never_reaches_a_route(name: str, change: dict[str, str]):
    ran: list[str] = []
    router, _ = routed(ran)
    _, handle = router.routes[0]
    assert await handle(Context(activity(name, **change))) == f"refused {name}"
    assert ran == []
