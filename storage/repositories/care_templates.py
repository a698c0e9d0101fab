"""Care message templates per kind and locale (services/care/templates.py)."""

from __future__ import annotations

from sqlalchemy import select

from storage.models.care import CareTemplate
from storage.repositories.base import Repository


class CareTemplateRepository(Repository):
    async def texts(self, kind: str) -> dict[str, str]:
        """The administrator's wording of ``kind`` per locale (empty: the built-in wording everywhere)."""
        found = await self.session.execute(
            select(CareTemplate.locale, CareTemplate.text).where(CareTemplate.kind == kind))
        return {locale: text for locale, text in found.all()}
