"""Routes an inbound event to the feature that handles it: commands by name, button presses by
the type of their decoded action, plain messages through an ordered chain of handlers.

Features register themselves (``register(router)`` in each feature module); the order they are
registered in is the order of the message chain (``handlers/__init__.py``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from dialogs.actions import Action, PagePress, decode
from dialogs.text import N_
from handlers.inbound import ButtonIn, Context, Inbound, MessageIn, Response

# None: the command is not for this person — answered as any unknown command (the message chain).
CommandHandler = Callable[[Context, MessageIn, str], Awaitable[Response | None]]
ButtonHandler = Callable[[Context, Any, ButtonIn], Awaitable[Response]]
MessageHandler = Callable[[Context, MessageIn], Awaitable[Response | None]]
MenuHandler = Callable[[Context], Awaitable[Response]]
PageHandler = Callable[[Context, int], Awaitable[Response]]

NOT_VALID = N_("This button is not valid.")


class Router:
    def __init__(self) -> None:
        self.commands: dict[str, CommandHandler] = {}
        self.buttons: dict[type[Action], ButtonHandler] = {}
        self.messages: list[MessageHandler] = []
        self.menu_items: dict[str, MenuHandler] = {}
        self.pages: dict[str, PageHandler] = {}
        self.button(PagePress, self._page)

    def command(self, name: str, handler: CommandHandler) -> None:
        self.commands[name] = handler

    def plain_command(self, name: str, handler: MenuHandler) -> None:
        """A command that takes no arguments and does what a menu entry does."""
        async def command(ctx: Context, message: MessageIn, args: str) -> Response:
            return await handler(ctx)

        self.commands[name] = command

    def button(self, action: type[Action], handler: ButtonHandler) -> None:
        self.buttons[action] = handler

    def message(self, handler: MessageHandler) -> None:
        self.messages.append(handler)

    def menu_item(self, code: str, handler: MenuHandler) -> None:
        """What a main-menu entry does (who may see it is the menu's business)."""
        self.menu_items[code] = handler

    def page(self, name: str, handler: PageHandler) -> None:
        """A list shown a page at a time; its next-page button names it (``PagePress``)."""
        self.pages[name] = handler

    async def _page(self, ctx: Context, press: PagePress, button: ButtonIn) -> Response:
        handler = self.pages.get(press.list)
        return await handler(ctx, press.offset) if handler is not None else Response(alert=NOT_VALID)

    async def dispatch(self, ctx: Context, inbound: Inbound) -> Response:
        if inbound.button is not None:
            action = decode(inbound.button.data)
            handler = self.buttons.get(type(action)) if action is not None else None
            if handler is None:
                return Response(alert=NOT_VALID)
            return await handler(ctx, action, inbound.button)
        message = inbound.message
        if message is None:
            return Response()
        command = message.command
        if command is not None and command[0] in self.commands:
            answered = await self.commands[command[0]](ctx, message, command[1])
            if answered is not None:
                return answered
        for handle in self.messages:
            response = await handle(ctx, message)
            if response is not None:
                return response
        return Response()
