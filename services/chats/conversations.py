"""Running a guided conversation for a chat: load state, apply the engine, save, complete.

The new state is written in the same unit of work as whatever the finished dialog records; the
pipeline commits it before a single reply is sent (nothing lost on a crash).

Besides the replies, a turn says how to redraw the messages the question was asked in (``edits``):
the bot's earlier answers are outbox rows that remember the Telegram message ids they went out as,
so the question of a revision is found again by its revision — unique in a chat, as each dialog
starts at a revision taken from the clock. Starting a dialog while another one is unfinished asks
first (continue it, or drop it and go on); that choice is kept beside the state in the chat row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialogs import engine
from dialogs.engine import Button, ButtonEvent, Dialog, DialogState, Event, Outcome, Reply, TextEvent
from dialogs.source import DialogSource
from dialogs.text import N_, Lines, Msg, Text
from services.chats.pressed import PRESSED_CARD, last_event_id
from services.common.actor import Actor, Completer
from services.pushes.transport import Edit, one_keyboard_each
from storage.uow import UnitOfWork

SWITCH_KEEP = "sw:keep"  # the unfinished dialog goes on
SWITCH_GO = "sw:go"  # it is dropped, and the one asked for starts
_SWITCH = "switch"  # the chat row's key for the dialog waiting on that choice
_LOOK_BACK = 40  # answers searched for a question's messages (a question and its re-asks)
_REV_SPAN = 900_000_000  # first revisions from the clock stay below this (nine digits on the wire)

StepHook = Callable[[UnitOfWork, Actor, str, Mapping[str, Any], datetime], Awaitable[None]]
"""``async (uow, actor, dialog name, answers so far, now)``: run after an answer of a dialog whose
name has the hook's prefix (``survey:`` → each answer kept as it is given), and when it is paused."""

def _by_name(table: Mapping[str, Any], name: str) -> Any:
    """The entry for a dialog: by its full name, else by its prefix (``survey:12`` → ``survey:``)."""
    found = table.get(name)
    if found is None and ":" in name:
        found = table.get(name.partition(":")[0] + ":")
    return found


@dataclass
class Turn:
    replies: list[Reply] = field(default_factory=list)
    state: DialogState | None = None
    status: str = "continue"
    moved: bool = True  # False when the input was refused or stale (buttons stay where they are)
    edits: list[Edit] = field(default_factory=list)  # earlier messages of the question, redrawn
    notice: str | None = None  # a msgid for the pressed button's alert, when nothing else is said


async def active_state(uow: UnitOfWork, chat_id: int, *, lock: bool = False) -> DialogState | None:
    chat = await uow.chats.state(chat_id, lock=lock)
    if chat is None or not chat.dialog:
        return None
    try:
        return DialogState.from_json(chat.dialog)
    except (KeyError, TypeError, ValueError):
        return None


class Conversations:
    """Dialogs from ``source``; when one is confirmed, the use case ``completers[name]`` runs (or
    ``completers["prefix:"]`` for a dialog named ``prefix:…``); ``step_hooks["prefix:"]`` after
    each of its answers."""

    def __init__(self, source: DialogSource, completers: Mapping[str, Completer],
                 step_hooks: Mapping[str, StepHook] | None = None) -> None:
        self._source = source
        self._completers = completers
        self._step_hooks = dict(step_hooks or {})

    async def _dialog(self, uow: UnitOfWork, name: str) -> Dialog:
        dialog = await self._source.resolve(name, uow)
        if dialog is None:
            raise KeyError(name)
        return dialog

    async def begin(
        self, uow: UnitOfWork, actor: Actor, dialog_name: str, context: Mapping[str, Any], now: datetime,
        answers: Mapping[str, Any] | None = None,
    ) -> Turn:
        """Start a dialog — unless another one is unfinished: then ask first (an old menu button
        pressed in the middle of a dialog must not drop it silently). Pressing again what was just
        started (a double tap on a menu entry) asks nothing twice: the open question stands.
        ``answers``: given earlier (a survey resumed); it starts at its first unanswered question."""
        current = await active_state(uow, actor.chat_id, lock=True)
        unfinished = await self._source.resolve(current.dialog, uow) if current is not None else None
        if current is None or unfinished is None:
            return await self._start(uow, actor, dialog_name, context, now, answers=answers)
        same = current.dialog == dialog_name and dict(current.context) == dict(context)
        if same and (not current.history or answers is not None):
            # Resumed while it is still open: the open question stands, asked again.
            again = engine.advance(unfinished, current, engine.RepeatEvent(), today=_today(actor, now))
            return Turn(replies=list(again.replies) if answers is not None else [], state=current, moved=False)
        return await self._ask_to_switch(uow, actor, current, unfinished, dialog_name, context, now, same=same,
                                         answers=answers)

    async def handle_event(
        self, uow: UnitOfWork, actor: Actor, event: Event, now: datetime, *,
        label: Callable[[Text], str] | None = None,
    ) -> Turn | None:
        """Feed an event to the chat's dialog; None when no dialog is in progress. ``label`` renders a
        button label in the reader's locale: a typed message that is a current button's label is
        that button's press."""
        # Locked: a double tap delivered to two instances must not complete a dialog twice.
        chat = await uow.chats.state(actor.chat_id, lock=True)
        state = await active_state(uow, actor.chat_id, lock=True)
        if state is None:
            return None
        dialog = await self._source.resolve(state.dialog, uow)
        if dialog is None:  # a dialog that no longer exists (removed questionnaire, renamed dialog)
            await uow.chats.save_dialog(actor.chat_id, None, now)
            return None
        today = _today(actor, now)
        waiting = (chat.dialog or {}).get(_SWITCH) if chat is not None else None
        if isinstance(event, TextEvent) and label is not None and isinstance(waiting, dict):
            # "继续填写" typed while asked whether to drop the dialog answers that question.
            asked = await self._switch_question(uow, state, dialog, waiting)
            named = engine.button_named([b for row in asked.buttons for b in row], event.text, label) if asked else None
            event = ButtonEvent(state.rev, named.code) if named is not None else event
        if isinstance(event, ButtonEvent) and event.code in (SWITCH_KEEP, SWITCH_GO):
            return await self._switch(uow, actor, state, dialog, event, waiting, now)
        if isinstance(event, TextEvent) and label is not None:
            event = engine.press_for_label(dialog, state, event.text, label, today=today) or event
        outcome = engine.advance(dialog, state, event, today=today)
        turn = await self._settle(uow, actor, outcome, now, previous_rev=state.rev)
        hook: StepHook | None = _by_name(self._step_hooks, state.dialog)
        kept = outcome.state.answers if outcome.state is not None else outcome.answers
        if hook is not None and outcome.status in ("continue", "paused") and dict(kept) != dict(state.answers):
            await hook(uow, actor, state.dialog, kept, now)
        turn.moved = outcome.status != "continue" or (outcome.state is not None and outcome.state.rev != state.rev)
        turn.notice = outcome.notice.msgid if outcome.notice is not None else None
        await self._redraw(uow, actor.chat_id, state.rev, outcome, turn)
        return turn

    async def abandon(self, uow: UnitOfWork, chat_id: int, now: datetime) -> Turn | None:
        """Drop the dialog in progress (e.g. /cancel); None if there was none. Its open question
        says it was cancelled and loses its buttons; a dialog that pauses instead (``pause_text``)
        says that, and its answers so far stay where its step hook kept them."""
        state = await active_state(uow, chat_id)
        if state is None:
            return None
        await uow.chats.save_dialog(chat_id, None, now)
        dialog = await self._source.resolve(state.dialog, uow)
        if dialog is not None and dialog.pause_text is not None:
            turn = Turn(replies=[Reply(dialog.pause_text, remove_keyboard=True)], status="paused")
            ended = Outcome("paused", None, (), answered=Msg(N_("⏸ Paused")))
        else:
            turn = Turn(status="cancelled")
            ended = Outcome("cancelled", None, (), answered=Msg(N_("✖ Cancelled")))
        await self._redraw(uow, chat_id, state.rev, ended, turn)
        return turn

    # ------------------------------------------------------------ starting, and switching

    async def _start(
        self, uow: UnitOfWork, actor: Actor, dialog_name: str, context: Mapping[str, Any], now: datetime,
        previous_rev: int = 0, answers: Mapping[str, Any] | None = None,
    ) -> Turn:
        first_rev = await _first_rev(uow, actor.chat_id, now, previous_rev)
        outcome = engine.start(await self._dialog(uow, dialog_name), context, today=_today(actor, now), first_rev=first_rev,
                               answers=answers)
        return await self._settle(uow, actor, outcome, now, previous_rev=first_rev)

    async def _ask_to_switch(
        self, uow: UnitOfWork, actor: Actor, current: DialogState, unfinished: Dialog, dialog_name: str,
        context: Mapping[str, Any], now: datetime, *, same: bool, answers: Mapping[str, Any] | None = None,
    ) -> Turn:
        wanted = await self._dialog(uow, dialog_name)
        question = _switch_question(current, unfinished, wanted, same=same)
        waiting: dict[str, Any] = {"dialog": dialog_name, "context": dict(context)}
        if answers:
            waiting["answers"] = dict(answers)
        await uow.chats.save_dialog(actor.chat_id, {**current.to_json(), _SWITCH: waiting}, now)
        turn = Turn(replies=[question], state=current, moved=False)
        # The question's buttons now hang on this message: the earlier copy loses them.
        await self._redraw(uow, actor.chat_id, current.rev, Outcome("continue", current, (question,)), turn)
        return turn

    async def _switch_question(
        self, uow: UnitOfWork, current: DialogState, unfinished: Dialog, waiting: dict[str, Any],
    ) -> Reply | None:
        """The question asked when ``waiting`` (a dialog and its context) was asked for."""
        wanted = await self._source.resolve(str(waiting.get("dialog")), uow)
        if wanted is None:
            return None
        same = wanted.name == current.dialog and waiting.get("context") == dict(current.context)
        return _switch_question(current, unfinished, wanted, same=same)

    async def _switch(
        self, uow: UnitOfWork, actor: Actor, state: DialogState, dialog: Dialog, event: ButtonEvent,
        waiting: Any, now: datetime,
    ) -> Turn:
        if event.rev != state.rev or not isinstance(waiting, dict) or not isinstance(waiting.get("context"), dict):
            return Turn(state=state, moved=False, notice=STALE_CHOICE)
        # The choice is made: its message says which, without buttons.
        closed = await _close_last(uow, actor.chat_id, state.rev,
                                   Msg(N_("▶ Continued")) if event.code == SWITCH_KEEP else Msg(N_("🗑 Dropped")))
        if event.code == SWITCH_KEEP:
            await uow.chats.save_dialog(actor.chat_id, state.to_json(), now)  # forget the dialog that waited
            again = engine.advance(dialog, state, engine.RepeatEvent(), today=_today(actor, now))
            return Turn(replies=list(again.replies), state=state, moved=False, edits=closed)
        earlier = waiting.get("answers")
        turn = await self._start(uow, actor, str(waiting.get("dialog")), waiting["context"], now,
                                 previous_rev=state.rev, answers=earlier if isinstance(earlier, dict) else None)
        turn.edits[:0] = closed
        return turn

    # ------------------------------------------------------------ the question's messages

    async def _redraw(self, uow: UnitOfWork, chat_id: int, rev: int, outcome: Outcome, turn: Turn) -> None:
        """How the messages that asked revision ``rev`` change. Moved on: the question shows its
        answer and loses its buttons (as does a later message that carried them). Still open: the
        buttons move to the new message that carries them (a refused answer's reason, the photos
        received), or the question is redrawn in place (``refresh``); a refresh that finds no message
        to redraw is sent as a new one."""
        moved = outcome.status != "continue" or (outcome.state is not None and outcome.state.rev != rev)
        carried = any(reply.rev == rev for reply in outcome.replies)
        if not (moved or carried or outcome.refresh is not None):
            return
        asked = await _messages_of(uow, chat_id, rev)
        if not asked:
            if outcome.refresh is not None:
                turn.replies.insert(0, outcome.refresh)
            return
        # The question is the latest message that asked it in full (asked again after /start, say);
        # the buttons hang on the latest message carrying them.
        question, question_ids = next((r, ids) for r, ids in reversed(asked) if r.text == asked[0][0].text)
        live = asked[-1][1][-1]
        # An "Or choose:" line (the inline half of a question that also asks for a contact) says
        # nothing without its buttons: it goes once they are taken away.
        or_choose = {ids[-1] for reply, ids in asked if len(ids) > 1 and len(one_keyboard_each(reply)) > 1}
        if moved:
            drop = {question_ids[-1], live}
            if outcome.answered is not None:
                first = one_keyboard_each(question)[0]
                turn.edits.append(Edit(question_ids[0], Reply(Lines((first.text, outcome.answered)))))
                drop.discard(question_ids[0])
            turn.edits.extend(Edit(message_id, delete=message_id in or_choose) for message_id in sorted(drop))
        elif outcome.refresh is not None:
            turn.edits.append(Edit(live, outcome.refresh))
        else:
            turn.edits.append(Edit(live, delete=live in or_choose))

    async def _settle(
        self, uow: UnitOfWork, actor: Actor, outcome: Outcome, now: datetime, *, previous_rev: int = 0
    ) -> Turn:
        turn = Turn(replies=list(outcome.replies), state=outcome.state, status=outcome.status)
        if outcome.status == "done" and outcome.state is None:
            completer: Completer | None = _by_name(self._completers, outcome.dialog)
            await uow.chats.save_dialog(actor.chat_id, None, now)
            if completer is not None:
                card = outcome.context.get(PRESSED_CARD)
                before = await last_event_id(uow, outcome.context.get("ticket")) if card is not None else None
                # Answers win over the context they started from (e.g. a corrected phone number).
                completion = await completer(uow, actor, {**outcome.context, **outcome.answers}, now)
                turn.replies.extend(completion.replies)
                turn.edits.extend(completion.edits)
                if (isinstance(card, int) and any(reply.buttons for reply in completion.replies)
                        and await last_event_id(uow, outcome.context.get("ticket")) != before):
                    turn.edits.append(Edit(card))  # a new card took over from the one that began it
                if completion.then is not None:
                    name, context = completion.then
                    follow = engine.start(await self._dialog(uow, name), context, today=_today(actor, now),
                                          first_rev=await _first_rev(uow, actor.chat_id, now, previous_rev))
                    turn.replies.extend(follow.replies)
                    turn.state = follow.state
                    await uow.chats.save_dialog(actor.chat_id, follow.state.to_json() if follow.state else None, now)
        else:
            await uow.chats.save_dialog(actor.chat_id, outcome.state.to_json() if outcome.state else None, now)
        return turn


STALE_CHOICE = N_("That button belongs to an earlier question; please use the latest one.")


def _switch_question(current: DialogState, unfinished: Dialog, wanted: Dialog, *, same: bool) -> Reply:
    """Continue the unfinished dialog, or drop it for ``wanted``? On the current revision's buttons."""
    text, go = _same_dialog_question(unfinished) if same else _other_dialog_question(unfinished, wanted)
    return Reply(text, ((Button(Msg(N_("▶ Continue")), SWITCH_KEEP),), (Button(go, SWITCH_GO),)), rev=current.rev)


def _same_dialog_question(dialog: Dialog) -> tuple[Text, Text]:
    """Asked when what is unfinished is the very thing asked for again (a menu entry pressed twice)."""
    if dialog.title is not None:
        text: Text = Msg(N_("You are already filling in “{current}”. Continue, or start again from the beginning?"),
                         {"current": dialog.title})
    else:
        text = Msg(N_("You are already in the middle of this. Continue, or start again from the beginning?"))
    return text, Msg(N_("↺ Start again"))


def _other_dialog_question(unfinished: Dialog, wanted: Dialog) -> tuple[Text, Text]:
    """Asked when something else is asked for; named where both have titles and differ (a progress
    report on another case is "the current step", not "进度报告" twice)."""
    if unfinished.title is not None and wanted.title is not None and unfinished.name != wanted.name:
        text: Text = Msg(N_("You have not finished “{current}” yet. Continue it, or drop it and go on to “{new}”?"),
                         {"current": unfinished.title, "new": wanted.title})
        return text, Msg(N_("Drop it, go to “{new}”"), {"new": wanted.title})
    return (Msg(N_("You have not finished the current step yet. Continue it, or drop it and go on?")),
            Msg(N_("Drop it and go on")))


async def _messages_of(uow: UnitOfWork, chat_id: int, rev: int) -> list[tuple[Reply, list[int]]]:
    """The answers that carried revision ``rev``'s buttons, oldest first (the question, then its
    re-asks), with the Telegram message ids each went out as."""
    found: list[tuple[Reply, list[int]]] = []
    for payload, message_ids in await uow.outbox.answers_carrying(chat_id, rev, within=_LOOK_BACK):
        reply = payload.get("reply")
        if isinstance(reply, dict) and reply.get("buttons"):
            try:
                found.append((engine.reply_from_json(reply), message_ids))
            except (KeyError, TypeError, ValueError):
                continue
    return found


async def _close_last(uow: UnitOfWork, chat_id: int, rev: int, note: Text) -> list[Edit]:
    """The latest message carrying revision ``rev``'s buttons, redrawn with ``note`` and without them."""
    asked = await _messages_of(uow, chat_id, rev)
    if not asked:
        return []
    reply, message_ids = asked[-1]
    return [Edit(message_ids[-1], Reply(Lines((one_keyboard_each(reply)[-1].text, note))))]


async def _first_rev(uow: UnitOfWork, chat_id: int, now: datetime, previous_rev: int) -> int:
    """A new dialog's first revision: above every revision the chat's recent answers carried (and
    ``previous_rev``), and at least the clock's seconds — so the buttons of the chat's earlier
    dialogs stay stale and a revision names one question."""
    highest = max(previous_rev, await uow.outbox.highest_answer_rev(chat_id, within=_LOOK_BACK))
    return max(int(now.timestamp()) % _REV_SPAN, highest) + 1


def _today(actor: Actor, now: datetime) -> date:
    return now.astimezone(ZoneInfo(actor.timezone)).date()
