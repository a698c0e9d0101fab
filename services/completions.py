"""Which use case runs when a dialog is confirmed, by dialog name."""

from __future__ import annotations

from services.actor import Completer
from services.communication import complete_inquiry
from services.onboarding import complete_invitation

COMPLETERS: dict[str, Completer] = {
    "inquiry": complete_inquiry,
    "invitation": complete_invitation,
}
