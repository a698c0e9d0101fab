"""Every dialog by name, so a saved state can find its dialog again after a restart."""

from __future__ import annotations

from dialogs.engine import Dialog
from dialogs.inquiry import INQUIRY
from dialogs.invitation import INVITATION

DIALOGS: dict[str, Dialog] = {d.name: d for d in (INQUIRY, INVITATION)}


def get_dialog(name: str) -> Dialog | None:
    return DIALOGS.get(name)
