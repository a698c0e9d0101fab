"""Complaints: per-project overrides of the routing table."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class RoutingOverride(Base):
    """A project's own routing of a complaint category (DOMAIN 1.2 is the default)."""

    __tablename__ = "routing_overrides"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    department: Mapped[str] = mapped_column(String(32))
