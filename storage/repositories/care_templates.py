"""Care message templates per kind and locale (services/care/templates.py): the administrator's
wording, one row per kind and locale, with who saved it and when; every save and reset is also
recorded in ``care_template_changes`` (the audit: old and new text, who, when)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from storage.models.care import CareTemplate, CareTemplateChange
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
        previous = None if row is None else row.text
        if row is None:
            self.session.add(CareTemplate(kind=kind, locale=locale, text=text, updated_at=now, updated_by=by))
        else:
            row.text, row.updated_at, row.updated_by = text, now, by
        self._audit(kind, locale, previous, text, by, now)
        await self.session.flush()
        return previous

    async def remove(self, kind: str, locale: str, by: str, now: datetime) -> str | None:
        """Back to the built-in wording of ``kind`` in ``locale``; the text removed (None: there was
        none, and nothing is recorded)."""
        row = await self.session.scalar(
            select(CareTemplate).where(CareTemplate.kind == kind, CareTemplate.locale == locale))
        if row is None:
            return None
        previous = row.text
        await self.session.delete(row)
        self._audit(kind, locale, previous, None, by, now)
        await self.session.flush()
        return previous

    async def history(self, kind: str, locale: str | None = None) -> Sequence[CareTemplateChange]:
        """The recorded edits of ``kind`` (in ``locale`` only, when given), oldest first."""
        query = select(CareTemplateChange).where(CareTemplateChange.kind == kind)
        if locale is not None:
            query = query.where(CareTemplateChange.locale == locale)
        found = await self.session.scalars(query.order_by(CareTemplateChange.changed_at, CareTemplateChange.id))
        return found.all()

    def _audit(self, kind: str, locale: str, old: str | None, new: str | None, by: str, now: datetime) -> None:
        self.session.add(CareTemplateChange(kind=kind, locale=locale, old_text=old, new_text=new,
                                            changed_by=by, changed_at=now))
