"""Settings: one pydantic model, read from the environment and `.env`, loaded once at start."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.locale import SUPPORTED_LOCALES
from services.pushes.rules import RuleSettings

TELEGRAM_API = "https://api.telegram.org"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = Field(default=None, description="Bot token from @BotFather; empty: sandbox")
    telegram_api_base: str = Field(default=TELEGRAM_API, description="Base URL of a Bot API server")
    # Which chat framework talks to Telegram: the same chat core under either (bot/telegram/).
    chat_framework: Literal["aiogram", "ptb"] = "aiogram"
    database_url: str = Field(default="sqlite:///data/estatebot.db")
    default_locale: str = "zh_Hans_CN"
    timezone: str = "Asia/Shanghai"
    webhook_url: str | None = None  # e.g. https://bot.example.com/telegram; enables webhook mode
    webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"
    webhook_port: int = 8080
    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = 8081  # the Bot API emulator in `make run` without a token
    sandbox_web_port: int = 8000  # the sandbox's web chat page
    log_level: str = "INFO"
    # An overdue case is escalated every working day; one level up (department and customer-service
    # managers → company leadership in charge → general manager) after this many working days.
    escalate_after_working_days: int = Field(default=3, ge=1, le=30)
    # Survey invitations go only to owners who consented to surveys in chat (False), or to every
    # sampled owner (True: a site that collected consent on paper).
    survey_invitations_without_consent: bool = False
    # An item scored 1–2 by this many owners of one project in a campaign opens a topic investigation.
    survey_topic_threshold: int = Field(default=3, ge=1, le=1000)
    # Owners with no activity (cases, surveys, messages, chat) for this many days are anonymised
    # as on their own deletion request (DOMAIN 5.3); unset: records are kept.
    retention_days: int | None = Field(default=None, ge=30)

    @property
    def rule_settings(self) -> RuleSettings:
        """What the push rules read from these settings (services never import ``bot``)."""
        return RuleSettings(escalate_after_working_days=self.escalate_after_working_days,
                            survey_invitations_without_consent=self.survey_invitations_without_consent,
                            survey_topic_threshold=self.survey_topic_threshold,
                            retention_days=self.retention_days)

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"DEFAULT_LOCALE must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @property
    def data_dir(self) -> Path:
        return Path("data")
