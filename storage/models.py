"""ORM rows. Repositories turn these into domain models; nothing outside storage/ sees a Row."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class ProgrammeRow(Base):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    partnership: Mapped[str] = mapped_column(String(300))
    review_title: Mapped[str] = mapped_column(String(500))
    review_summary: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64))
    governance: Mapped[dict[str, Any]] = mapped_column(JSON)
    milestones: Mapped[dict[str, Any]] = mapped_column(JSON)
    checkins: Mapped[list[Any]] = mapped_column(JSON)
    document: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)  # the last imported file; large
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AgencyRow(Base):
    __tablename__ = "agencies"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(80), default="")


class TeamRow(Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    agency: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))


class ParticipantRow(Base):
    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("programme_id", "email"),
        Index("ix_participants_team", "programme_id", "team"),
        Index("ix_participants_agency", "programme_id", "agency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    agency: Mapped[str] = mapped_column(String(40))
    team: Mapped[str | None] = mapped_column(String(40), nullable=True)
    roles: Mapped[list[Any]] = mapped_column(JSON)
    job_title: Mapped[str] = mapped_column(String(200), default="")
    manager_email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    timezone: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(8), default="ENG")
    working_pattern: Mapped[dict[str, Any]] = mapped_column(JSON)
    away_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    peers_opt_in: Mapped[bool] = mapped_column(default=False)


class PlatformIdentityRow(Base):
    """A participant's account on Slack (workspace + user) or Teams (tenant + AAD object id)."""

    __tablename__ = "platform_identities"
    __table_args__ = (
        UniqueConstraint("participant_id", "platform", "workspace", "user_id"),
        Index("ix_identity_lookup", "platform", "workspace", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))


class ProgrammeWorkspaceRow(Base):
    """A Slack workspace or Teams tenant a programme reaches: listed in its file (``slack_workspaces``,
    ``teams_tenants``) or named by a participant's account there. Accounts are matched by email only within these."""

    __tablename__ = "programme_workspaces"
    __table_args__ = (Index("ix_programme_workspace_lookup", "platform", "workspace"),)

    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    workspace: Mapped[str] = mapped_column(String(64), primary_key=True)


class RecommendationRow(Base):
    __tablename__ = "recommendations"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    theme: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    outcome_sought: Mapped[str] = mapped_column(Text)
    impact: Mapped[int] = mapped_column(Integer, default=3)
    feasibility: Mapped[int] = mapped_column(Integer, default=3)


class ActionRow(Base):
    __tablename__ = "actions"
    __table_args__ = (
        UniqueConstraint("programme_id", "code"),
        Index("ix_actions_owner", "programme_id", "owner_email"),
        Index("ix_actions_agency", "programme_id", "agency"),
        Index("ix_actions_status", "programme_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))
    recommendation: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    owner_email: Mapped[str] = mapped_column(String(320))
    owner_role: Mapped[str] = mapped_column(String(200), default="")
    agency: Mapped[str] = mapped_column(String(40))
    partners: Mapped[list[Any]] = mapped_column(JSON)
    start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    depends_on: Mapped[list[Any]] = mapped_column(JSON)
    resources: Mapped[str] = mapped_column(Text, default="")
    success_measure: Mapped[str] = mapped_column(Text, default="")
    impact_measure: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    evidence_of_completion: Mapped[str] = mapped_column(Text, default="")
    evidence_of_impact: Mapped[str] = mapped_column(Text, default="")
    last_update: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ActionDependencyRow(Base):
    """One 'needs' edge of the action plan, so that 'what depends on A07?' is an indexed lookup."""

    __tablename__ = "action_dependencies"
    __table_args__ = (Index("ix_action_dependencies_needs", "programme_id", "needs"),)

    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True)
    needs: Mapped[str] = mapped_column(String(20), primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))


class ActionUpdateRow(Base):
    __tablename__ = "action_updates"
    __table_args__ = (Index("ix_action_updates_action", "action_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor_email: Mapped[str] = mapped_column(String(320))
    actor_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    old: Mapped[str] = mapped_column(Text, default="")
    new: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class AuditEventRow(Base):
    """Who changed what. Never holds reflection text or indicator answers."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_programme", "programme_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor_email: Mapped[str] = mapped_column(String(320))
    verb: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")
