"""The python-telegram-bot adapter (``CHAT_FRAMEWORK=ptb``): the only package that imports ``telegram``."""

import os

# Durations (a 429's retry_after) as timedelta, PTB's coming default: no deprecation warning per 429.
os.environ.setdefault("PTB_TIMEDELTA", "true")
