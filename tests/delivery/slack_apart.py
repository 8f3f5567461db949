"""The fake Slack Web API apart (tests/delivery/replicas.py), enforcing a workspace and a channel limit.

python -m tests.delivery.slack_apart CONFIG_JSON RESULT_PATH
CONFIG_JSON: {"team", "token", "users", "channels", "workspace_per_second"}. Prints {"base_url"}; on SIGTERM writes
every chat.postMessage call ({"text", "channel", "at", "status"}) and the number of violations.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from tests.fakes.slack_api import running_slack_api
from tests.fakes.slack_throttle import RateRule


def serve(config: dict[str, Any], result: Path) -> None:
    team, cap = str(config["team"]), float(config["workspace_per_second"])
    with running_slack_api() as fake:
        fake.add_workspace(team, bot_token=str(config["token"]))
        for user in range(int(config["users"])):
            fake.add_user(f"U{user:05d}", team_id=team)
        for channel in range(int(config["channels"])):
            fake.add_channel(f"C{channel:05d}", team_id=team, name=f"c{channel}")
        fake.add_rate_rule(RateRule("chat.postMessage", "team", int(cap), 1.0, burst=int(cap)))
        fake.add_rate_rule(RateRule("chat.postMessage", "channel", 1, 1.0, burst=1))
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        print(json.dumps({"base_url": fake.base_url}), flush=True)
        stop.wait()
        calls = [
            {"text": str(c.params.get("text")), "channel": str(c.params.get("channel")), "at": c.at, "status": c.status}
            for c in fake.calls_to("chat.postMessage")
        ]
        result.write_text(json.dumps({"calls": calls, "violations": len(fake.violations)}))


if __name__ == "__main__":
    serve(json.loads(sys.argv[1]), Path(sys.argv[2]))
