"""The customer-service manager's campaigns in chat: /surveys lists those in reach with their
response rate against the target; a draft is started with a second press that shows the sample
size; a campaign's card shows its sample per project and owner stage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime

from dialogs.actions import CampaignPress, encode
from dialogs.engine import Button, Reply
from dialogs.text import N_, Field, Lines, Msg, Plain, Plural, Text
from services.cases.results import NOT_VALID, ActionResult
from services.common.actor import Actor
from services.people.roles import SUPERVISOR_ROLES, Department
from services.surveys.campaigns import (
    CLOSED,
    DRAFT,
    RUNNING,
    CampaignError,
    Stats,
    preview,
    rule_of,
    share_text,
    start,
    stats,
)
from services.surveys.report_chat import report_replies
from services.surveys.sampling import Drawn
from services.surveys.vocabulary import CAMPAIGN_LABELS, STAGE_LABELS, CampaignKind, Stage
from storage.models import Staff
from storage.models.surveys import SurveyCampaign
from storage.uow import UnitOfWork

STATUS_LABELS = {DRAFT: N_("Not started"), RUNNING: N_("Running"), CLOSED: N_("Ended")}
ONLY_MANAGERS = N_("Only the customer-service manager can manage survey campaigns.")
ALREADY_STARTED = N_("This campaign has already started.")


def may_manage(staff: Staff | None) -> bool:
    """DOMAIN 3.3: the customer-service manager (or a supervisor of the department) runs campaigns."""
    return (staff is not None and staff.active and staff.department == Department.CUSTOMER_SERVICE
            and staff.role in SUPERVISOR_ROLES)


def in_reach(staff: Staff, campaign: SurveyCampaign) -> bool:
    return staff.project_id is None or campaign.project_id == staff.project_id


async def _manager(uow: UnitOfWork, actor: Actor) -> Staff | None:
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    return staff if may_manage(staff) else None


def rate_text(current: Stats) -> Text:
    return Msg(N_("{rate} answered (target {target})"), {"rate": share_text(current.rate), "target": share_text(current.target)})


async def campaign_list(uow: UnitOfWork, actor: Actor) -> Reply:
    staff = await _manager(uow, actor)
    if staff is None:
        return Reply(Msg(ONLY_MANAGERS))
    campaigns = await uow.survey_campaigns.listing(staff.project_id, everything=staff.project_id is None)
    if not campaigns:
        return Reply(Msg(N_("No survey campaigns yet. An administrator creates them with "
                            "estatebot admin survey campaign create.")))
    lines: list[Text] = [Msg(N_("Survey campaigns:"))]
    buttons: list[tuple[Button, ...]] = []
    for campaign in campaigns:
        head: dict[str, Text] = {"name": Plain(campaign.name), "kind": Msg(CAMPAIGN_LABELS[CampaignKind(campaign.kind)]),
                "status": Msg(STATUS_LABELS[campaign.status])}
        if campaign.status == DRAFT:  # nobody asked yet: no rate to show
            lines.append(Msg(N_("{name} · {kind} · {status}"), head))
        else:
            lines.append(Msg(N_("{name} · {kind} · {status} · {rate}"),
                             {**head, "rate": rate_text(await stats(uow, campaign))}))
        if campaign.status == DRAFT:
            buttons.append((Button(Msg(N_("▶ Start {name}"), {"name": Plain(campaign.name)}),
                                   encode(CampaignPress(campaign.id, "start"))),))
        else:
            buttons.append((Button(Msg(N_("📊 {name}"), {"name": Plain(campaign.name)}),
                                   encode(CampaignPress(campaign.id, "view"))),))
    return Reply(Lines(tuple(lines)), tuple(buttons))


async def press(uow: UnitOfWork, actor: Actor, action: CampaignPress, now: datetime, *,
                label: Callable[[Text], str] | None = None) -> ActionResult:
    staff = await _manager(uow, actor)
    if staff is None:
        return ActionResult(refusal=ONLY_MANAGERS)
    campaign = await uow.survey_campaigns.get(action.campaign)
    if campaign is None or not in_reach(staff, campaign):
        return ActionResult(refusal=NOT_VALID)
    if action.action == "start":
        return await _confirm(uow, campaign, now)
    if action.action == "go":
        return await _start(uow, campaign, staff, now)
    if action.action == "cancel":  # "not now" on the confirmation: nothing changes, the question goes
        return ActionResult(used=True, done=Msg(N_("✖ Not started")))
    if action.action == "view":
        return ActionResult([await card(uow, campaign)])
    if action.action == "report" and campaign.status != DRAFT:
        # The files are rendered for the presser with ``label`` (the handler's ``ctx.label``).
        return await report_replies(uow, campaign, staff, now, label=label)
    return ActionResult(refusal=NOT_VALID)


async def _confirm(uow: UnitOfWork, campaign: SurveyCampaign, now: datetime) -> ActionResult:
    if campaign.status != DRAFT:
        return ActionResult(refusal=ALREADY_STARTED)
    size = len(await preview(uow, campaign, now))
    name = {"name": Plain(campaign.name)}
    if rule_of(campaign).fixed_sample:  # a full survey: nobody is drawn
        text = Plural("Start “{name}” now? All {n} household will be invited.",
                      "Start “{name}” now? All {n} households will be invited.", size, name)
    else:
        text = Plural("Start “{name}” now? {n} household will be sampled and invited.",
                      "Start “{name}” now? {n} households will be sampled and invited.", size, name)
    return ActionResult([Reply(text, ((Button(Msg(N_("✅ Start now")), encode(CampaignPress(campaign.id, "go"))),
                                       Button(Msg(N_("✖ Not now")), encode(CampaignPress(campaign.id, "cancel")))),))])


async def _start(uow: UnitOfWork, campaign: SurveyCampaign, staff: Staff, now: datetime) -> ActionResult:
    if campaign.status != DRAFT:
        return ActionResult(refusal=ALREADY_STARTED)
    try:
        drawn = await start(uow, campaign, now, staff.id)
    except CampaignError:
        return ActionResult(refusal=ALREADY_STARTED)
    name = {"name": Plain(campaign.name)}
    lines: list[Text] = [
        Plural("“{name}” started: all {n} household will be invited.",
               "“{name}” started: all {n} households will be invited.", len(drawn), name)
        if rule_of(campaign).fixed_sample else
        Plural("“{name}” started: {n} household sampled.", "“{name}” started: {n} households sampled.",
               len(drawn), name)]
    if campaign.complainer_percent:  # DOMAIN 3.3: the mid-year sample includes the top complainers
        complainers = sum(1 for d in drawn if d.from_complainers)
        lines.append(Plural("{n} of them chosen among the owners with the most complaints last year.",
                            "{n} of them chosen among the owners with the most complaints last year.", complainers))
    lines.extend(await _per_stratum(uow, drawn))
    lines.append(Msg(N_("The invitations go out in working hours; owners not on the bot cannot be invited "
                        "(the campaign card counts them).")))
    return ActionResult([Reply(Lines(tuple(lines)))], used=True,
                        done=Msg(N_("✅ Started")))


async def _project_names(uow: UnitOfWork, ids: set[int | None]) -> dict[int | None, str]:
    names: dict[int | None, str] = {None: "—"}
    for project_id in ids - {None}:
        project = await uow.projects.get(project_id) if project_id is not None else None
        names[project_id] = project.name if project else "—"
    return names


async def _per_stratum(uow: UnitOfWork, drawn: list[Drawn]) -> list[Text]:
    counts = Counter((d.household.project_id, d.household.stage) for d in drawn)
    names = await _project_names(uow, {project for project, _stage in counts})
    return [Field(Msg(N_("{project} · {stage}"), {"project": Plain(names[project]), "stage": Msg(STAGE_LABELS[stage])}),
                  count) for (project, stage), count in sorted(counts.items(), key=lambda item: (str(item[0][0]), item[0][1]))]


async def card(uow: UnitOfWork, campaign: SurveyCampaign) -> Reply:
    current = await stats(uow, campaign)
    lines: list[Text] = [
        Plain(campaign.name),
        Field(Msg(N_("Kind")), Msg(CAMPAIGN_LABELS[CampaignKind(campaign.kind)])),
        Field(Msg(N_("Status")), Msg(STATUS_LABELS[campaign.status])),
        Field(Msg(N_("Sampled")), current.sampled),
        Field(Msg(N_("Invited")), current.invited),
        Field(Msg(N_("Answered")), current.answered),
        Field(Msg(N_("Response rate")), Msg(N_("{rate} (target {target})"), {
            "rate": share_text(current.rate), "target": share_text(current.target)})),
    ]
    unbound = await uow.survey_metrics.unbound_sampled(campaign.id) if campaign.status != DRAFT else 0
    if unbound and campaign.status == CLOSED:
        lines.append(Plural("Never invited: {n} household whose owner was not on the bot.",
                            "Never invited: {n} households whose owners were not on the bot.", unbound))
    elif unbound:
        lines.append(Plural("Not invited yet: {n} household whose owner is not on the bot.",
                            "Not invited yet: {n} households whose owners are not on the bot.", unbound))
    names = await _project_names(uow, {s.project_id for s in current.strata})
    for stratum in current.strata:
        lines.append(Field(
            Msg(N_("{project} · {stage}"), {"project": Plain(names.get(stratum.project_id, "—")),
                                           "stage": Msg(STAGE_LABELS[Stage(stratum.stage)])}),
            Msg(N_("{answered} of {sampled} answered"), {"answered": stratum.answered, "sampled": stratum.sampled})))
    buttons: tuple[tuple[Button, ...], ...] = ()
    if campaign.status != DRAFT:
        buttons = ((Button(Msg(N_("📈 Report")), encode(CampaignPress(campaign.id, "report"))),),)
    elif campaign.status == DRAFT:
        buttons = ((Button(Msg(N_("▶ Start")), encode(CampaignPress(campaign.id, "start"))),),)
    return Reply(Lines(tuple(lines)), buttons)
