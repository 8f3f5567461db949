"""The fake Teams Bot Connector apart (tests/delivery/replicas.py), enforcing Teams' published limits.

python -m tests.delivery.teams_apart CONFIG_JSON RESULT_PATH
CONFIG_JSON: {"users": N}. Prints {"base_url", "token", "app_id", "tenant", "chats": {AAD: CONVERSATION}}; on
SIGTERM writes every accepted send ({"text", "conversation", "at"}), the number of 429s and of violations.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from tests.fakes.teams_activities import FAKE_TENANT_ID
from tests.fakes.teams_connector import running_connector


def aad_of(index: int) -> str:
    return f"00000000-0000-4000-8000-{index:012d}"


def serve(config: dict[str, Any], result: Path) -> None:
    with running_connector(throttling=True) as fake:
        chats = {}
        for index in range(int(config["users"])):
            chat = fake.personal_conversation_id(aad_of(index))
            fake.add_conversation(chat, members=[aad_of(index)])
            chats[aad_of(index)] = chat
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        contact = {"base_url": fake.base_url, "token": fake.bot_token, "app_id": fake.app_id,
                   "tenant": FAKE_TENANT_ID, "chats": chats}  # fmt: skip
        print(json.dumps(contact), flush=True)
        stop.wait()
        sends = [
            {"text": str(a.body.get("text")), "conversation": a.conversation_id, "at": a.at}
            for a in fake.activities
            if a.operation == "send"
        ]
        throttled = sum(1 for r in fake.requests if r.status == 429)
        result.write_text(json.dumps({"sends": sends, "throttled": throttled, "violations": len(fake.violations)}))


if __name__ == "__main__":
    serve(json.loads(sys.argv[1]), Path(sys.argv[2]))
