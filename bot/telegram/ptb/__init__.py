"""The python-telegram-bot adapter (``CHAT_FRAMEWORK=ptb``): the only package that imports ``telegram``."""
