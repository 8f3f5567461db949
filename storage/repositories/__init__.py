"""SQL implementations of the ports in handlers/ports.py. Each returns domain models, never rows."""

from storage.repositories.actions import SqlActionRepository
from storage.repositories.audit import SqlAuditLog
from storage.repositories.participants import SqlParticipantRepository
from storage.repositories.programmes import SqlProgrammeRepository

__all__ = ["SqlActionRepository", "SqlAuditLog", "SqlParticipantRepository", "SqlProgrammeRepository"]
