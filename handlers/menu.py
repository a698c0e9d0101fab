"""The main menu, /start and /help texts for each kind of person, and the menu's presses.

Who sees which entry is decided here; what an entry does is registered by its feature
(``router.menu_item``)."""

from __future__ import annotations

from dialogs.actions import MenuPress, encode
from dialogs.engine import Button, Reply
from dialogs.text import N_, Lines, Msg, Plain
from handlers.inbound import ButtonIn, Context, Response
from handlers.router import Router
from services.care.care_chat import may_view as may_view_care
from services.people.identity import Identity, Kind
from services.people.roles import SUPERVISOR_ROLES, Department, can_read_communication_log
from services.reports.report_chat import may_report

NOT_AVAILABLE = N_("This option is not available to you.")


def menu_items(identity: Identity, *, pending_survey: bool = False) -> list[tuple[str, str]]:
    """(item code, label msgid) the person may use, in display order; an owner invited to a survey
    not yet answered sees it first."""
    if identity.kind is Kind.OWNER:
        survey = [("survey", N_("⭐ Answer the satisfaction survey"))] if pending_survey else []
        return [
            *survey,
            ("repair", N_("🛠 Request a repair")),
            ("complaint", N_("📣 File a complaint")),
            ("my", N_("📋 My cases")),
            ("inquiry", N_("📝 Inquiry, suggestion or praise")),
            ("profile", N_("👤 My details")),
            ("settings", N_("⚙️ Settings")),
            ("lang", N_("🌐 Language")),
        ]
    if identity.kind is Kind.STAFF:
        items = [("queue", N_("🗂 My case queue")), ("my", N_("📋 My cases"))]
        if can_read_communication_log(identity.department or "", identity.role or ""):
            items.append(("inbox", N_("📥 Messages from customers")))
        if identity.department == Department.CUSTOMER_SERVICE and identity.role in SUPERVISOR_ROLES:
            items.append(("surveys", N_("📊 Survey campaigns")))
        if may_view_care(identity.department, identity.role):
            items.append(("care", N_("📣 Care notices")))
        if may_report(identity.department, identity.role):
            items.append(("report", N_("📈 Complaint reports")))
        items.append(("lang", N_("🌐 Language")))
        return items
    return [
        ("contact", N_("📱 Link with my phone number")),
        ("code", N_("🔑 I have an invitation code")),
        ("inquiry", N_("📝 Leave a message")),
        ("lang", N_("🌐 Language")),
    ]


def main_menu(identity: Identity, *, pending_survey: bool = False) -> Reply:
    rows = tuple((Button(Msg(label), encode(MenuPress(code))),)
                 for code, label in menu_items(identity, pending_survey=pending_survey))
    return Reply(Msg(N_("What would you like to do?")), rows)


async def menu_for(ctx: Context, identity: Identity | None = None) -> Reply:
    """The menu as the person may use it now — the one builder of /menu, the fallback and /start,
    so that an owner with a survey open sees its entry wherever the menu is shown. ``identity``: the
    person as just linked, when that changed during the update."""
    identity = identity or ctx.actor.identity
    return main_menu(identity, pending_survey=await _pending_survey(ctx, identity))


def welcome(identity: Identity) -> Reply:
    if identity.kind is Kind.OWNER:
        return Reply(Msg(N_("Hello, {name}! I am the customer service assistant."), {"name": Plain(identity.name or "")}),
                     remove_keyboard=True)
    if identity.kind is Kind.STAFF:
        return Reply(Msg(N_("Hello, {name}! You are signed in as staff."), {"name": Plain(identity.name or "")}),
                     remove_keyboard=True)
    return Reply(
        Msg(
            N_(
                "Welcome to customer service. If you own a home with us, link your account: share your "
                "phone number with the button below (it must be the number registered with us), or type "
                "the invitation code customer service gave you."
            )
        ),
        request_contact=Msg(N_("📱 Share my phone number")),
    )


def contact_request() -> Reply:
    return Reply(
        Msg(N_("Press the button below to share your phone number.")),
        request_contact=Msg(N_("📱 Share my phone number")),
    )


def help_text(identity: Identity) -> Reply:
    lines = [
        N_("/menu — what you can do"),
        N_("/language — choose your language"),
        N_("/cancel — stop the current step"),
        N_("/help — this help"),
    ]
    if identity.kind is Kind.OWNER:
        lines.insert(1, N_("/my — your cases"))
        lines.insert(2, N_("/survey — answer or continue a satisfaction survey"))
        lines.insert(3, N_("/settings — which messages you agree to receive"))
    if identity.kind is Kind.STAFF:
        lines.insert(1, N_("/queue — open cases, oldest deadline first"))
        lines.insert(2, N_("/my — the open cases you handle; type a case number to open any case"))
    if identity.kind is Kind.STAFF and can_read_communication_log(identity.department or "", identity.role or ""):
        lines.insert(3, N_("/inbox — open messages from customers"))
    if identity.kind is Kind.STAFF and identity.department == Department.CUSTOMER_SERVICE \
            and identity.role in SUPERVISOR_ROLES:
        lines.insert(-3, N_("/surveys — survey campaigns"))
    if identity.kind is Kind.STAFF and may_view_care(identity.department, identity.role):
        lines.insert(-3, N_("/care — care notices and their statistics"))
    if identity.kind is Kind.STAFF and may_report(identity.department, identity.role):
        lines.insert(-3, N_("/report — complaint reports: last week, this month so far, last month, last quarter, last year"))
    if identity.kind is Kind.STAFF and identity.department == Department.CUSTOMER_SERVICE:
        lines.insert(-3, N_("/meeting — draft an owner meeting notice for the office manager's approval"))
    return Reply(Lines((Msg(N_("Commands:")), *(Msg(line) for line in lines))))


async def _pending_survey(ctx: Context, identity: Identity) -> bool:
    owner_id = identity.owner_id if identity.kind is Kind.OWNER else None
    return owner_id is not None and await ctx.uow.survey_responses.has_open(owner_id, ctx.now)


def register(router: Router) -> None:
    async def menu_command(ctx: Context) -> Response:
        return Response([await menu_for(ctx)])

    async def help_command(ctx: Context) -> Response:
        return Response([help_text(ctx.actor.identity)])

    async def menu_press(ctx: Context, press: MenuPress, button: ButtonIn) -> Response:
        pending = await _pending_survey(ctx, ctx.actor.identity)
        allowed = {code for code, _label in menu_items(ctx.actor.identity, pending_survey=pending)}
        handler = router.menu_items.get(press.item)
        if press.item not in allowed or handler is None:
            return Response(alert=NOT_AVAILABLE)
        return await handler(ctx)

    router.plain_command("menu", menu_command)
    router.plain_command("help", help_command)
    router.button(MenuPress, menu_press)
