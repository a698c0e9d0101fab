"""Every dialog by name, so a saved state can find its dialog again after a restart."""

from __future__ import annotations

from dialogs.case_steps import TICKET_DIALOGS
from dialogs.complaint import COMPLAINT
from dialogs.engine import Dialog
from dialogs.inquiry import INQUIRY, REPLY
from dialogs.invitation import INVITATION
from dialogs.repair import REPAIR_DIALOGS

DIALOGS: dict[str, Dialog] = {d.name: d for d in (INQUIRY, REPLY, INVITATION, COMPLAINT, *TICKET_DIALOGS, *REPAIR_DIALOGS)}


def get_dialog(name: str) -> Dialog | None:
    return DIALOGS.get(name)
