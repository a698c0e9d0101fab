"""Every result an owner was given on a case, and what became of it (DOMAIN 1.6, 2.5).

After a rework the case card's "Result" is only the latest one; the owner also sees the earlier
results they said were not resolved, with their reasons, so the record reads as it happened. The
history comes from the case's events (``resolved``, ``reopened``, ``reopen_reason``, ``confirmed``,
``closed_unconfirmed``), which complaints and repairs share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from dialogs.text import N_, DateText, Lines, Msg, Plain, Text
from storage.models import Ticket, TicketEvent
from storage.uow import UnitOfWork


class Outcome(StrEnum):
    WAITING = "waiting"  # the owner has not answered yet
    REOPENED = "reopened"  # the owner said it was not resolved
    CONFIRMED = "confirmed"
    UNCONFIRMED = "unconfirmed"  # closed after the owner never answered


@dataclass(frozen=True)
class GivenResult:
    at: datetime
    text: str
    outcome: Outcome = Outcome.WAITING
    reason: str | None = None  # why the owner said it was not resolved


def given_results(events: Sequence[TicketEvent]) -> list[GivenResult]:
    """The results in the order they were given, each with the owner's answer to it."""
    results: list[GivenResult] = []
    for event in events:
        if event.kind == "resolved":
            results.append(GivenResult(event.at, str(event.data.get("result") or "")))
        elif not results:
            continue
        elif event.kind == "reopened":
            results[-1] = replace(results[-1], outcome=Outcome.REOPENED)
        elif event.kind == "reopen_reason" and results[-1].outcome is Outcome.REOPENED and results[-1].reason is None:
            results[-1] = replace(results[-1], reason=str(event.data.get("reason") or "") or None)
        elif event.kind == "confirmed":
            results[-1] = replace(results[-1], outcome=Outcome.CONFIRMED)
        elif event.kind == "closed_unconfirmed":
            results[-1] = replace(results[-1], outcome=Outcome.UNCONFIRMED)
    return results


def _outcome_line(result: GivenResult) -> Text:
    if result.outcome is Outcome.REOPENED:
        if result.reason:
            return Msg(N_("❌ You said it was not resolved: {reason}"), {"reason": Plain(result.reason)})
        return Msg(N_("❌ You said it was not resolved."))
    return Msg({
        Outcome.WAITING: N_("⏳ Waiting for your confirmation"),
        Outcome.CONFIRMED: N_("✅ You confirmed it"),
        Outcome.UNCONFIRMED: N_("Closed without your confirmation"),
    }[result.outcome])


async def result_history(uow: UnitOfWork, ticket: Ticket) -> Text | None:
    """"Results so far" for the owner's card, once a result was sent back; None while there is
    at most one result and nobody reopened it (the card's "Result" line says it all)."""
    results = given_results(await uow.tickets.events(ticket.id))
    if not any(result.outcome is Outcome.REOPENED for result in results):
        return None
    project = await uow.projects.get(ticket.project_id) if ticket.project_id else None
    zone = ZoneInfo(project.timezone if project else "Asia/Shanghai")
    lines: list[Text] = [Msg(N_("Results so far:"))]
    for number, result in enumerate(results, start=1):
        lines.append(Msg(N_("{n}. {date}: {result}"), {"n": number, "date": DateText(result.at.astimezone(zone).date()),
                                                        "result": Plain(result.text)}))
        lines.append(_outcome_line(result))
    return Lines(tuple(lines))
