"""Chat-framework adapters for Telegram. Only code under here imports a chat framework."""
