"""Microsoft Teams platform state: where the bot can reach a conversation (its reference), per tenant.

A reference is stored from installationUpdate, conversationUpdate and messages: the conversation id, the regional
serviceUrl Teams gave for it, the tenant, and for a personal (1:1) chat the user's Entra (AAD) object id, so that a
proactive message to that person needs no lookup. Nothing here says what anybody wrote.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class TeamsConversationRefRow(Base):
    __tablename__ = "teams_conversation_refs"
    __table_args__ = (
        UniqueConstraint("tenant_id", "conversation_id", name="uq_teams_refs_conversation"),
        Index("ix_teams_refs_person", "tenant_id", "aad_object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str] = mapped_column(String(255))
    service_url: Mapped[str] = mapped_column(String(255))
    conversation_type: Mapped[str] = mapped_column(String(20))  # personal | groupChat | channel
    aad_object_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the user, for personal chats
    installed: Mapped[bool] = mapped_column(Boolean, default=True)  # False once the app was removed
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
