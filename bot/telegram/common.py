"""What both chat-framework adapters share: the commands shown in Telegram's menu, and the refusal
to start a webhook without its secret."""

from __future__ import annotations

from urllib.parse import urlparse

from bot.settings import Settings
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


def webhook_secret_and_path(settings: Settings) -> tuple[str, str]:
    """WEBHOOK_SECRET and WEBHOOK_URL's path (default /telegram). Without a secret anyone who finds
    the URL could post updates as any owner or staff member: webhook mode does not start."""
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not secret:
        raise WebhookSecretMissing(
            "webhook mode needs WEBHOOK_SECRET (1–256 characters A-Z, a-z, 0-9, _ and -): Telegram sends it "
            "with every update, and requests without it are refused")
    return secret, urlparse(settings.webhook_url or "").path or "/telegram"
