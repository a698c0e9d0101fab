"""Care: the owners' consents per kind of message (DOMAIN 4.6). One row per decision; the latest
row (highest id) per owner and kind holds."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from storage.models.care import Consent
from storage.repositories.base import Repository


def granted_owners(kind: str) -> Select[Any]:
    """Owner ids whose latest decision for ``kind`` is a yes: a subquery for set-based planners
    (``… WHERE owner_id IN (granted_owners('greetings'))``)."""
    decision = aliased(Consent)
    latest = (select(func.max(decision.id)).where(decision.kind == kind).group_by(decision.owner_id)
              .scalar_subquery())
    return select(Consent.owner_id).where(Consent.id.in_(latest), Consent.granted.is_(True))


def granted_to(kind: str, owner_id: Any) -> ColumnElement[bool]:
    """Whether the owner ``owner_id`` (the outer query's column) holds a yes for ``kind``: his
    latest decision, one look-up in ``ix_consents_owner_kind`` per owner. For planners that read only
    the few owners due today; ``IN (granted_owners(…))`` reads every owner's decisions (2.4 million
    rows for a million owners: seconds per statement, bench/care.py)."""
    latest = (select(Consent.granted).where(Consent.owner_id == owner_id, Consent.kind == kind)
              .order_by(Consent.id.desc()).limit(1).scalar_subquery())
    return latest.is_(True)


class ConsentRepository(Repository):
    async def add(self, consent: Consent) -> None:
        """Record a decision (written at once, so a query after it in the transaction sees it)."""
        self.session.add(consent)
        await self.session.flush()

    async def latest(self, owner_id: int) -> dict[str, Consent]:
        """The decision that holds for each kind this owner was asked about."""
        rows = await self.session.scalars(
            select(Consent).where(Consent.owner_id == owner_id).order_by(Consent.id))
        return {row.kind: row for row in rows.all()}  # later rows overwrite earlier ones

    async def history(self, owner_id: int) -> Sequence[Consent]:
        """Every decision of this owner, oldest first."""
        rows = await self.session.scalars(select(Consent).where(Consent.owner_id == owner_id).order_by(Consent.id))
        return rows.all()

    async def granted_among(self, kind: str, owner_ids: Collection[int]) -> set[int]:
        """Which of ``owner_ids`` hold a yes for ``kind`` now."""
        if not owner_ids:
            return set()
        query = granted_owners(kind).where(Consent.owner_id.in_(list(owner_ids)))
        return {int(owner_id) for owner_id in (await self.session.scalars(query)).all()}

    async def refused_among(self, kind: str, owner_ids: Collection[int]) -> set[int]:
        """Which of ``owner_ids`` said no to ``kind`` last (refused or withdrew)."""
        if not owner_ids:
            return set()
        decision = aliased(Consent)
        latest = (select(func.max(decision.id)).where(decision.kind == kind, decision.owner_id.in_(list(owner_ids)))
                  .group_by(decision.owner_id).scalar_subquery())
        query = select(Consent.owner_id).where(Consent.id.in_(latest), Consent.granted.is_(False))
        return {int(owner_id) for owner_id in (await self.session.scalars(query)).all()}

    async def count_granted(self, kind: str) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(granted_owners(kind).subquery())) or 0)
