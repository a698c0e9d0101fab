"""The chat core, free of any chat framework: an adapter turns its framework's updates into
``handlers.inbound.Inbound`` events, the pipeline handles them, and the adapter's transport
delivers the response.

Features register in a fixed order, which is the order of the message chain: the dialog in
progress first (while a question is open, a message answers it), then a shared contact, a typed
case number, and the fallback last. Commands always win (so /cancel works at every step).
"""

from __future__ import annotations

from handlers import (
    care,
    cases,
    consent,
    conversation,
    fallback,
    inquiries,
    language,
    meetings,
    menu,
    onboarding,
    profile,
    reports,
    reports_approval,
    survey_campaigns,
    surveys,
)
from handlers.router import Router


def build_router() -> Router:
    router = Router()
    for feature in (conversation, onboarding, cases, inquiries, survey_campaigns, surveys, care, reports, consent, profile, meetings, reports_approval, language, menu, fallback):
        feature.register(router)
    return router
