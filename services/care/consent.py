"""The owner's consent per kind of message (DOMAIN 4.6, 个人信息保护法).

Messages about the owner's own cases, contract and handover need none. Greetings, events and
surveys go only to owners whose latest decision for that kind is a yes. Each decision is a new row
with its time, its source and the version of the question's wording the owner answered; withdrawing
cancels that kind's pending pushes at once, and the drain checks again when it sends.

Asked in chat after binding, one kind at a time (✅ Yes / No, thanks: equal buttons; a no changes
nothing else); shown and switched in /settings.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from dialogs.actions import ConsentPress, encode
from dialogs.engine import Button, Reply
from dialogs.text import N_, DateText, Lines, ListText, Msg, Text
from services.calendar.delivery import DEFAULT_ZONE
from services.pushes.purposes import NEEDS_CONSENT
from storage.models.care import Consent
from storage.uow import UnitOfWork


class ConsentKind(StrEnum):
    GREETINGS = "greetings"  # birthday and family-occasion greetings
    EVENTS = "events"  # community events, newsletters, construction milestones
    SURVEYS = "surveys"  # satisfaction surveys


class Source(StrEnum):
    CHAT = "chat"  # answered the question after binding
    SETTINGS = "settings"  # switched in /settings
    ADMIN = "admin"  # recorded by staff (consent collected on paper)


# The question per kind, in the order asked. WORDING is its version: change it with the text.
QUESTIONS: dict[ConsentKind, str] = {
    ConsentKind.GREETINGS: N_("May we send you birthday and family-occasion greetings?"),
    ConsentKind.EVENTS: N_("May we tell you about community events, newsletters and construction milestones?"),
    ConsentKind.SURVEYS: N_("May we invite you to satisfaction surveys about your home and our service?"),
}
WORDING: dict[ConsentKind, str] = {
    ConsentKind.GREETINGS: "2026-12",
    ConsentKind.EVENTS: "2026-12",
    ConsentKind.SURVEYS: "2026-12",
}
LABELS: dict[ConsentKind, str] = {
    ConsentKind.GREETINGS: N_("🎂 Birthday and family-occasion greetings"),
    ConsentKind.EVENTS: N_("📰 Community events and news"),
    ConsentKind.SURVEYS: N_("⭐ Satisfaction surveys"),
}
YES, NO = "yes", "no"  # the question's answers
ON, OFF = "on", "off"  # a switch in /settings


def kind_of(code: str) -> ConsentKind | None:
    try:
        return ConsentKind(code)
    except ValueError:
        return None


async def current(uow: UnitOfWork, owner_id: int) -> dict[ConsentKind, bool | None]:
    """Each kind: granted, refused or withdrawn (False), or never asked (None)."""
    latest = await uow.consents.latest(owner_id)
    return {kind: latest[kind].granted if kind in latest else None for kind in ConsentKind}


async def record(uow: UnitOfWork, owner_id: int, kind: ConsentKind, granted: bool, wording: str,
                 source: Source, now: datetime) -> int:
    """A new decision (the record is never rewritten). A no cancels the owner's pending pushes
    of that kind at once; the number cancelled. A yes puts back the ones a no cancelled whose
    delivery window has not ended (turned off and on again the same day: that day's greeting still
    comes; their keys are taken, so the rules could not write them again); the number restored."""
    await uow.consents.add(Consent(owner_id=owner_id, kind=kind.value, granted=granted, wording=wording,
                                   source=source.value, recorded_at=now))
    purposes = [purpose.value for purpose, needed in NEEDS_CONSENT.items() if needed == kind.value]
    withdrawn = f"consent withdrawn: {kind.value}"
    if granted:
        restored = await uow.outbox.restore_owner_cancelled(owner_id, purposes, withdrawn, now)
        if restored:
            uow.enqueued += restored  # the sender is woken after commit
        return restored
    return await uow.outbox.cancel_owner_pending(owner_id, purposes, withdrawn)


async def granted_owners(uow: UnitOfWork, kind: ConsentKind, owner_ids: list[int], *,
                         presumed: bool = False) -> set[int]:
    """Which of these owners hold a yes for ``kind`` now; ``presumed`` (consent collected on paper):
    every owner whose latest decision is not a no. Set-based planners use
    ``storage.repositories.consents.granted_owners`` in their SQL instead."""
    if presumed:
        return set(owner_ids) - await uow.consents.refused_among(kind.value, owner_ids)
    return await uow.consents.granted_among(kind.value, owner_ids)


# ---------------------------------------------------------------- in chat

async def next_question(uow: UnitOfWork, owner_id: int) -> Reply | None:
    """The question of the first kind never asked, or None once all are answered."""
    state = await current(uow, owner_id)
    for kind in ConsentKind:
        if state[kind] is None:
            return question(kind)
    return None


async def after_binding(uow: UnitOfWork, owner_id: int) -> list[Reply]:
    """What an owner just linked is told about consent: what he agreed to on the paper consent form
    (decisions recorded by staff, source admin), once, as the bot's first word about it; then the
    question of the first kind not decided yet, if any."""
    latest = await uow.consents.latest(owner_id)
    on_paper = [kind for kind in ConsentKind
                if (decision := latest.get(kind.value)) is not None and decision.granted
                and decision.source == Source.ADMIN.value]
    replies: list[Reply] = []
    if on_paper:
        kinds = ListText(tuple(Msg(LABELS[kind]) for kind in on_paper))
        replies.append(Reply(Msg(N_("On the consent form you signed, you agreed to receive: {kinds}. You can "
                                    "change this at any time with /settings."), {"kinds": kinds})))
    if (following := await next_question(uow, owner_id)) is not None:
        replies.append(following)
    return replies


def question(kind: ConsentKind) -> Reply:
    return Reply(Lines((Msg(QUESTIONS[kind]), Msg(N_("You can change this at any time with /settings.")))),
                 ((Button(Msg(N_("✅ Yes")), encode(ConsentPress(kind.value, YES))),
                   Button(Msg(N_("No, thanks")), encode(ConsentPress(kind.value, NO)))),))


def answered(granted: bool) -> Text:
    return Msg(N_("Your answer: {answer}"), {"answer": Msg(N_("✅ Yes") if granted else N_("No, thanks"))})


def settings_view(state: dict[ConsentKind, Consent | None], zone: str = DEFAULT_ZONE) -> Reply:
    """Each kind with its state and one button to switch it; dates in ``zone`` (the owner's project's)."""
    lines: list[Text] = [Msg(N_("Messages you agreed to receive (messages about your own cases, contract "
                                "and handover always come):"))]
    rows: list[tuple[Button, ...]] = []
    for kind in ConsentKind:
        decision = state.get(kind)
        label = Msg(LABELS[kind])
        paper = decision is not None and decision.source == Source.ADMIN.value  # the consent form he signed
        if decision is None:
            status: Text = Msg(N_("{kind}: not chosen yet"), {"kind": label})
        elif decision.granted:
            day = DateText(decision.recorded_at.astimezone(ZoneInfo(zone)).date())
            status = Msg(N_("{kind}: ✅ on since {date} (consent form)") if paper else N_("{kind}: ✅ on since {date}"),
                         {"kind": label, "date": day})
        else:
            status = Msg(N_("{kind}: ✖ off (consent form)") if paper else N_("{kind}: ✖ off"), {"kind": label})
        lines.append(status)
        on = decision is not None and decision.granted
        button = Msg(N_("Turn off: {kind}") if on else N_("Turn on: {kind}"), {"kind": label})
        rows.append((Button(button, encode(ConsentPress(kind.value, OFF if on else ON))),))
    return Reply(Lines(tuple(lines)), tuple(rows))


async def owner_zone(uow: UnitOfWork, owner_id: int) -> str:
    """The time zone of the owner's project (his first unit's); the default zone without units."""
    units = await uow.units.units_of_owner(owner_id)
    return units[0].building.project.timezone if units else DEFAULT_ZONE


async def settings(uow: UnitOfWork, owner_id: int) -> Reply:
    latest = await uow.consents.latest(owner_id)
    return settings_view({kind: latest.get(kind.value) for kind in ConsentKind}, await owner_zone(uow, owner_id))
