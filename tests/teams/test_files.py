"""Report files in Teams: a consent card per file, the upload to OneDrive on accept by the person it was offered to
(a lead or facilitator), to a OneDrive upload URL, and nothing outside the folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.teams.files import CONSENT_CARD, DECLINED, FILE_CARD, GONE, NOT_YOURS, OFFER_KEY
from handlers.delivery_ports import Recipient
from handlers.reply import Attachment, Block, Reply
from tests.fakes.teams_tokens import FAKE_TENANT_ID, invoke_adaptive_card_action
from tests.teams.conftest import FACILITATOR_AAD, OWNER_AAD, Harness, chat_of

UPLOAD_URL = "https://contoso-my.sharepoint.com/personal/facilitator/upload?session=1"


@pytest.fixture
def uploads(teams: Harness, tmp_path: Path) -> list[httpx.Request]:
    """Point the bot's file uploads at a folder of reports and a recording OneDrive."""
    seen: list[httpx.Request] = []

    def onedrive(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"id": "item-1"})

    teams.bot.files.folder = tmp_path.resolve()
    teams.bot.files.http = httpx.AsyncClient(transport=httpx.MockTransport(onedrive))
    return seen


def report(tmp_path: Path) -> Reply:
    chart = tmp_path / "assurance-20260615.png"
    chart.write_bytes(b"\x89PNG fake chart bytes")
    files = (
        Attachment(path=str(chart), media_type="image/png", title="Assurance (PNG)"),
        Attachment(path=str(tmp_path / "gone.html"), media_type="text/html", title="Assurance (HTML)"),
    )
    return Reply(text="Assurance", blocks=(Block(kind="header", text="Assurance"),), files=files, ephemeral=False)


def offered(teams: Harness, path: Path | str, to: str = FACILITATOR_AAD) -> dict[str, Any]:
    """The context of a consent card offering this file to this person, as the server sealed it."""
    token = teams.bot.files.offers.offer(FAKE_TENANT_ID, to, Attachment(path=str(path), media_type="", title="t"))
    return {OFFER_KEY: token}


def consent(
    teams: Harness, action: str, context: dict[str, Any], upload_url: str = UPLOAD_URL, who: str = FACILITATOR_AAD
) -> dict[str, Any]:
    activity = invoke_adaptive_card_action("x", {}, who, FAKE_TENANT_ID, chat_of(teams.fake, who),
                                           teams.fake.service_url)  # fmt: skip
    upload = {"name": "assurance.png", "uploadUrl": upload_url, "contentUrl": "https://contoso.test/assurance.png",
              "uniqueId": "u-1", "fileType": "png"}  # fmt: skip
    activity["name"] = "fileConsent/invoke"
    activity["value"] = {"type": "fileUpload", "action": action, "context": context, "uploadInfo": upload}
    return activity


async def test_a_report_arrives_with_a_consent_card_per_file_that_exists(teams: Harness, tmp_path: Path):
    recipient = Recipient(key="report:1", platform="teams", address=f"{FAKE_TENANT_ID}:{FACILITATOR_AAD}")
    await teams.bot.channel().send(recipient, report(tmp_path))
    message, offer = teams.fake.sent_to(chat_of(teams.fake, FACILITATOR_AAD))
    assert "Assurance" in str(message.cards[0])
    [attachment] = offer.body["attachments"]
    assert (attachment["contentType"], attachment["name"]) == (CONSENT_CARD, "assurance-20260615.png")
    assert attachment["content"]["sizeInBytes"] == len(b"\x89PNG fake chart bytes")


async def test_accepting_uploads_the_file_and_shows_it(teams: Harness, tmp_path: Path, uploads: list[httpx.Request]):
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"12345")
    response = await teams.post(consent(teams, "accept", offered(teams, chart)))
    assert response.status_code == 200
    [put] = uploads
    assert (put.method, str(put.url), put.content) == ("PUT", UPLOAD_URL, b"12345")
    assert put.headers["Content-Range"] == "bytes 0-4/5"
    [shown] = teams.replies(FACILITATOR_AAD)
    assert shown["attachments"][0]["contentType"] == FILE_CARD
    assert shown["attachments"][0]["content"] == {"uniqueId": "u-1", "fileType": "png"}


async def test_declining_sends_nothing(teams: Harness, tmp_path: Path, uploads: list[httpx.Request]):
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"12345")
    await teams.post(consent(teams, "decline", offered(teams, chart)))
    assert uploads == []
    assert [r["text"] for r in teams.replies(FACILITATOR_AAD)] == [DECLINED]


@pytest.mark.parametrize(
    ("where", "upload_url"),
    [
        pytest.param("outside", UPLOAD_URL, id="a file outside the reports folder"),
        pytest.param("climb", UPLOAD_URL, id="a path that climbs out of the folder"),
        pytest.param("inside", "http://plain.test/upload", id="an upload URL without https"),
    ],
)
async def test_only_report_files_are_ever_uploaded(
    teams: Harness, tmp_path: Path, uploads: list[httpx.Request], where: str, upload_url: str
):
    secret = tmp_path.parent / f"{tmp_path.name}-secret.key"
    secret.write_bytes(b"not for anyone")
    inside = tmp_path / "chart.png"
    inside.write_bytes(b"12345")
    path = {"outside": str(secret), "climb": str(tmp_path / ".." / secret.name), "inside": str(inside)}[where]
    await teams.post(consent(teams, "accept", offered(teams, path), upload_url))
    assert uploads == []
    assert [r["text"] for r in teams.replies(FACILITATOR_AAD)] == [GONE]


@pytest.mark.parametrize(
    ("context", "who", "upload_url", "answer"),
    [
        pytest.param("offered", OWNER_AAD, UPLOAD_URL, GONE, id="someone else accepts the facilitator's offer"),
        pytest.param("path", FACILITATOR_AAD, UPLOAD_URL, GONE, id="a context naming a path, not our offer"),
        pytest.param("changed", FACILITATOR_AAD, UPLOAD_URL, GONE, id="an offer whose file was changed"),
        pytest.param("offered", FACILITATOR_AAD, "https://attacker.example/drop", GONE, id="an upload URL elsewhere"),
        pytest.param(
            "offered", FACILITATOR_AAD, "https://evil.example/x.sharepoint.com", GONE, id="a look-alike upload host"
        ),
        pytest.param("to_owner", OWNER_AAD, UPLOAD_URL, NOT_YOURS, id="an offer to someone who is not a lead"),
    ],
)
async def test_a_consent_uploads_only_for_the_person_it_was_offered_to(
    teams: Harness, tmp_path: Path, uploads: list[httpx.Request], context: str, who: str, upload_url: str, answer: str
):
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"12345")
    offer = offered(teams, chart)
    contexts = {
        "offered": offer,
        "path": {"path": str(chart)},
        "changed": {OFFER_KEY: offer[OFFER_KEY].replace("chart.png", "other.png")},
        "to_owner": offered(teams, chart, to=OWNER_AAD),
    }
    (tmp_path / "other.png").write_bytes(b"other")
    await teams.post(consent(teams, "accept", contexts[context], upload_url, who=who))
    assert uploads == []
    assert [r["text"] for r in teams.replies(who)] == [answer]
