"""Chat entry points. Thin: turn an update into a service call and the result into messages.

Routers are included in a fixed order: commands first (so /cancel always works), then
button presses, then plain messages (a dialog in progress, contact sharing, the fallback).
"""

from __future__ import annotations

from aiogram import Router

from handlers import buttons, commands, messages


def build_root_router() -> Router:
    root = Router(name="root")
    root.include_router(commands.build_router())
    root.include_router(buttons.build_router())
    root.include_router(messages.build_router())
    return root
