"""Care message templates per kind and locale (services/care/templates.py): the administrator's
wording, one row per kind and locale, with who saved it and when."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from storage.models.care import CareTemplate
from storage.repositories.base import Repository


class CareTemplateRepository(Repository):
    async def texts(self, kind: str) -> dict[str, str]:
        """The administrator's wording of ``kind`` per locale (empty: the built-in wording everywhere)."""
        found = await self.session.execute(
            select(CareTemplate.locale, CareTemplate.text).where(CareTemplate.kind == kind))
        return {locale: text for locale, text in found.all()}

    async def reworded(self) -> Sequence[CareTemplate]:
        """Every reworded kind and locale, by kind then locale."""
        found = await self.session.scalars(select(CareTemplate).order_by(CareTemplate.kind, CareTemplate.locale))
        return found.all()

    async def of_kind(self, kind: str) -> dict[str, CareTemplate]:
        """The administrator's rows of ``kind`` by locale."""
        found = await self.session.scalars(select(CareTemplate).where(CareTemplate.kind == kind))
        return {row.locale: row for row in found.all()}

    async def put(self, kind: str, locale: str, text: str, by: str, now: datetime) -> str | None:
        """Save the wording of ``kind`` in ``locale``; the text it replaced (None: the built-in one)."""
        row = await self.session.scalar(
            select(CareTemplate).where(CareTemplate.kind == kind, CareTemplate.locale == locale))
        if row is None:
            self.session.add(CareTemplate(kind=kind, locale=locale, text=text, updated_at=now, updated_by=by))
            await self.session.flush()
            return None
        previous = row.text
        row.text, row.updated_at, row.updated_by = text, now, by
        await self.session.flush()
        return previous

    async def remove(self, kind: str, locale: str) -> str | None:
        """Back to the built-in wording of ``kind`` in ``locale``; the text removed (None: there was none)."""
        row = await self.session.scalar(
            select(CareTemplate).where(CareTemplate.kind == kind, CareTemplate.locale == locale))
        if row is None:
            return None
        previous = row.text
        await self.session.delete(row)
        await self.session.flush()
        return previous
