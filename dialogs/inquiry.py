"""《与顾客沟通登记表》: an inquiry, suggestion or praise from an owner or a not-yet-registered person."""

from __future__ import annotations

from dialogs.engine import ChoiceStep, ConfirmStep, Dialog, HasContext, Not, Option, PhoneStep, TextStep
from dialogs.text import N_, Msg

KINDS = {
    "inquiry": N_("Inquiry"),
    "suggestion": N_("Suggestion"),
    "praise": N_("Praise"),
    "other": N_("Other"),
}


_unknown = Not(HasContext("known"))  # a person the bot does not know yet


INQUIRY = Dialog(
    name="inquiry",
    title=Msg(N_("Message to customer service")),
    steps=(
        ChoiceStep(
            key="kind",
            prompt=Msg(N_("What would you like to tell us?")),
            label=Msg(N_("Type")),
            options=tuple(Option(code, Msg(label)) for code, label in KINDS.items()),
        ),
        TextStep(
            key="text",
            prompt=Msg(N_("Please write your message (up to {limit} characters)."), {"limit": 1000}),
            label=Msg(N_("Message")),
            min_len=2,
            max_len=1000,
        ),
        TextStep(
            key="name",
            prompt=Msg(N_("How should we address you?")),
            label=Msg(N_("Name")),
            max_len=50,
            when=_unknown,
        ),
        PhoneStep(
            key="phone",
            prompt=Msg(N_("Which phone number can we reach you on? Share it with the button or type it.")),
            label=Msg(N_("Phone")),
            optional=True,
            prefill_from="phone",
            when=_unknown,
        ),
        ConfirmStep(key="confirm", prompt=Msg(N_("Please check and confirm:"))),
    ),
    done_text=Msg(N_("Thank you. Customer service has received your message and will reply here.")),
)


REPLY = Dialog(
    name="inquiry_reply",
    title=Msg(N_("Reply to a customer")),
    steps=(
        TextStep(key="text", prompt=Msg(N_("Please write the reply; the bot will send it to the person.")),
                 label=Msg(N_("Reply")), min_len=2, max_len=1000),
        ConfirmStep(key="confirm", prompt=Msg(N_("Send this reply?"))),
    ),
)
