"""投诉: an owner files a complaint (DOMAIN 1.1)."""

from __future__ import annotations

from dialogs.engine import (
    ChoiceStep,
    ConfirmStep,
    DateStep,
    Dialog,
    HasContext,
    Option,
    PhoneStep,
    PhotosStep,
    TextStep,
)
from dialogs.text import N_, Msg

DESCRIPTION_LIMIT = 1000
MAX_ATTACHMENTS = 6

# The complaint categories by code; services.complaints.routing.Category names the same codes.
CATEGORY_LABELS: dict[str, str] = {
    "attitude": N_("Service attitude"),
    "quality": N_("Service quality"),
    "construction": N_("Construction or decoration"),
    "equipment": N_("Equipment or facilities"),
    "fees": N_("Fees"),
    "compensation": N_("Compensation claim"),
    "management": N_("About the management office"),
    "other": N_("Other"),
}


COMPLAINT = Dialog(
    name="complaint",
    title=Msg(N_("Complaint")),
    steps=(
        ChoiceStep(
            key="category",
            prompt=Msg(N_("What is your complaint about?")),
            label=Msg(N_("Category")),
            options=tuple(Option(code, Msg(label)) for code, label in CATEGORY_LABELS.items()),
        ),
        TextStep(
            key="description",
            prompt=Msg(N_("Please describe what happened (up to {limit} characters)."), {"limit": DESCRIPTION_LIMIT}),
            label=Msg(N_("Description")),
            min_len=5,
            max_len=DESCRIPTION_LIMIT,
        ),
        PhotosStep(
            key="attachments",
            prompt=Msg(N_("You may send up to {n} photos or PDF files."), {"n": MAX_ATTACHMENTS}),
            label=Msg(N_("Attachments")),
            optional=True,
            max_items=MAX_ATTACHMENTS,
        ),
        ChoiceStep(
            key="unit",
            prompt=Msg(N_("Which home is it about?")),
            label=Msg(N_("Unit")),
            options_from="units",
            auto_single=True,
            columns=1,
            when=HasContext("units"),
        ),
        PhoneStep(
            key="phone",
            prompt=Msg(N_("Which phone number can we reach you on? Share it with the button or type it.")),
            label=Msg(N_("Phone")),
            prefill_from="phone",
        ),
        DateStep(
            key="wished_date",
            prompt=Msg(N_("By when would you like it resolved? Type a date, or press Skip.")),
            label=Msg(N_("Wished resolution date")),
            optional=True,
            min_offset_days=1,
            max_offset_days=90,
        ),
        ConfirmStep(key="confirm", prompt=Msg(N_("Please check your complaint and confirm:"))),
    ),
)
