"""Declarative guided conversations and the pure engine that runs them (no framework imports)."""
