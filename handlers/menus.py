"""The main menu, /start and /help texts for each kind of person (locale-free)."""

from __future__ import annotations

from dialogs.engine import Button, Reply
from dialogs.text import N_, Lines, Msg, Plain
from services.people.identity import Identity, Kind
from services.people.roles import can_read_communication_log

MENU_PREFIX = "m1:"  # versioned callback data of menu buttons


def menu_data(item: str) -> str:
    return MENU_PREFIX + item


def parse_menu_data(data: str) -> str | None:
    return data[len(MENU_PREFIX) :] if data.startswith(MENU_PREFIX) else None


def menu_items(identity: Identity) -> list[tuple[str, str]]:
    """(item code, label msgid) the person may use, in display order."""
    if identity.kind is Kind.OWNER:
        return [
            ("repair", N_("🛠 Request a repair")),
            ("complaint", N_("📣 File a complaint")),
            ("my", N_("📋 My cases")),
            ("inquiry", N_("📝 Inquiry, suggestion or praise")),
            ("profile", N_("👤 My details")),
            ("lang", N_("🌐 Language")),
        ]
    if identity.kind is Kind.STAFF:
        items = [("queue", N_("🗂 My case queue"))]
        if can_read_communication_log(identity.department or "", identity.role or ""):
            items.append(("inbox", N_("📥 Messages from customers")))
        items.append(("lang", N_("🌐 Language")))
        return items
    return [
        ("contact", N_("📱 Link with my phone number")),
        ("code", N_("🔑 I have an invitation code")),
        ("inquiry", N_("📝 Leave a message")),
        ("lang", N_("🌐 Language")),
    ]


def main_menu(identity: Identity) -> Reply:
    rows = tuple((Button(Msg(label), menu_data(code)),) for code, label in menu_items(identity))
    return Reply(Msg(N_("What would you like to do?")), rows)


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
    if identity.kind is Kind.STAFF:
        lines.insert(1, N_("/queue — open cases, oldest deadline first"))
    if identity.kind is Kind.STAFF and can_read_communication_log(identity.department or "", identity.role or ""):
        lines.insert(2, N_("/inbox — open messages from customers"))
    return Reply(Lines((Msg(N_("Commands:")), *(Msg(line) for line in lines))))
