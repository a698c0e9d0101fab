"""The planner's campaign rule: rolling campaigns take in newly eligible households, the CS manager
is warned once when a campaign will miss its response target, and a campaign whose every invitation
is answered or expired closes itself (a household never invited — its owner is not on the bot —
does not hold it open once the invitations' life has gone).

The warning: once more than half the invitations' life (``expires_after_days`` from the start) has
gone, the rate so far divided by the share of time gone (a straight-line projection) is compared
with the target; below it, the customer-service managers of the campaign's project (company-wide
ones for a company-wide campaign) get one message (``warned_at``), in working hours.
"""

from __future__ import annotations

from decimal import Decimal

from dialogs.actions import CampaignPress, encode
from dialogs.engine import Button, Reply
from dialogs.text import N_, Msg, Plain
from services.calendar.delivery import staff_delivery_time
from services.people.roles import SUPERVISOR_ROLES, Department
from services.pushes import outbox
from services.pushes.purposes import Purpose
from services.pushes.rules import PlanRound
from services.surveys.campaigns import (
    CLOSED,
    add_newly_eligible,
    elapsed_share,
    projected_rate,
    rule_of,
    share_text,
    stats,
)
from services.surveys.report_chat import announce_closed
from storage.models import Staff
from storage.models.surveys import SurveyCampaign

WARN_AFTER = Decimal("0.5")  # of the invitations' life gone


class CampaignRule:
    name = "survey_campaigns"

    async def plan(self, round_: PlanRound) -> None:
        for campaign in await round_.uow.survey_campaigns.running():
            if rule_of(campaign).rolling:
                await add_newly_eligible(round_.uow, campaign, round_.now)
                continue
            if await self._close_when_settled(round_, campaign):
                continue
            await self._warn_if_behind(round_, campaign)

    async def _close_when_settled(self, round_: PlanRound, campaign: SurveyCampaign) -> bool:
        """Every invitation answered, declined or expired. A household still "sampled" once the
        invitations' life has gone was never reachable (its owner is not on the bot): it does not
        hold the campaign open."""
        counts = await round_.uow.survey_campaigns.status_counts(campaign.id)
        if not counts or counts.get("invited", 0) or counts.get("started", 0):
            return False
        if counts.get("sampled", 0) and elapsed_share(campaign, round_.now) < 1:
            return False
        campaign.status, campaign.closed_at = CLOSED, round_.now
        await round_.uow.flush()
        await announce_closed(round_.uow, campaign, round_.now)
        round_.planned(f"survey_campaign:{campaign.id}:closed")
        return True

    async def _warn_if_behind(self, round_: PlanRound, campaign: SurveyCampaign) -> None:
        if campaign.warned_at is not None:
            return
        elapsed = elapsed_share(campaign, round_.now)
        current = await stats(round_.uow, campaign)
        if elapsed <= WARN_AFTER or current.base == 0:
            return
        projected = projected_rate(current, elapsed)
        if projected >= current.target:
            return
        not_before = await staff_delivery_time(round_.uow, campaign.project_id, round_.now)
        text = Msg(N_("⚠️ The survey campaign {name} will probably miss its response target: {rate} so far "
                      "({answered} of {base}), about {projected} expected by the end, target {target}."),
                   {"name": Plain(campaign.name), "rate": share_text(current.rate), "answered": current.answered,
                    "base": current.base, "projected": share_text(projected), "target": share_text(current.target)})
        buttons = ((Button(Msg(N_("📊 View")), encode(CampaignPress(campaign.id, "view"))),),)
        for person in await managers_of(round_, campaign):
            key = f"survey_campaign:{campaign.id}:behind:staff:{person.id}"
            if person.chat_id is not None and await outbox.enqueue(
                round_.uow, key=key, purpose=Purpose.REMINDER, chat_id=person.chat_id, reply=Reply(text, buttons),
                now=round_.now, not_before=not_before, staff_id=person.id,
            ):
                round_.planned(key)
        campaign.warned_at = round_.now


async def managers_of(round_: PlanRound, campaign: SurveyCampaign) -> list[Staff]:
    """The customer-service managers of the campaign's project; company-wide ones for a
    company-wide campaign."""
    people = await round_.uow.staff.reachable(campaign.project_id, departments=[Department.CUSTOMER_SERVICE],
                                              roles=list(SUPERVISOR_ROLES))
    return [p for p in people if campaign.project_id is not None or p.project_id is None]
