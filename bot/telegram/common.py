"""What both chat-framework adapters share: the commands shown in Telegram's menu, and the refusal
to start a webhook without its secret."""

from __future__ import annotations

from dialogs.text import N_

COMMANDS = (
    ("start", N_("Start / link your account")),
    ("menu", N_("What you can do")),
    ("language", N_("Choose your language")),
    ("cancel", N_("Stop the current step")),
    ("help", N_("Help")),
)


class WebhookSecretMissing(RuntimeError):
    """WEBHOOK_URL is set but WEBHOOK_SECRET is not."""
