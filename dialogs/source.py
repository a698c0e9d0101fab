"""Where dialogs come from: the built-in ones by name, and loaders for dialogs built from data.

A saved state names its dialog, so the dialog must be found again after a restart: the built-in
dialogs are always there; a name like ``survey:12`` goes to the loader registered for ``survey``
(a questionnaire stored in the database, built with ``dialog_from_data``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from dialogs.care import DELETION_REFUSAL
from dialogs.case_steps import TICKET_DIALOGS
from dialogs.complaint import COMPLAINT
from dialogs.engine import Dialog
from dialogs.follow_up import FOLLOW_UP_OUTCOME, SURVEY_FOLLOW_UP_OUTCOME, TOPIC_FINDINGS
from dialogs.inquiry import INQUIRY, REPLY
from dialogs.invitation import INVITATION
from dialogs.meetings import OWNER_MEETING_DRAFT, OWNER_MEETING_RETURN
from dialogs.repair import REPAIR_DIALOGS
from dialogs.report_approval import MONTHLY_REPORT_RESUBMIT, MONTHLY_REPORT_RETURN
from dialogs.spec import DialogSpecError as DialogSpecError
from dialogs.spec import dialog_from_data as dialog_from_data

Loader = Callable[[str, Any], Awaitable[Dialog | None]]
"""``async (name, reader) -> Dialog | None``: the dialog of a full name such as ``survey:12``.
``reader`` is whatever the caller of ``resolve`` reads with — the chat turn's unit of work — passed
through untouched (dialogs know no storage); a loader must not open a session of its own, since
SQLite has one connection and the turn holds it."""

BUILT_IN: tuple[Dialog, ...] = (INQUIRY, REPLY, INVITATION, COMPLAINT, *TICKET_DIALOGS, *REPAIR_DIALOGS,
                                 FOLLOW_UP_OUTCOME, SURVEY_FOLLOW_UP_OUTCOME, TOPIC_FINDINGS, DELETION_REFUSAL,
                                 OWNER_MEETING_DRAFT, OWNER_MEETING_RETURN, MONTHLY_REPORT_RETURN, MONTHLY_REPORT_RESUBMIT)


class DialogSource:
    """Dialogs by name: those added (``get``, synchronous) and those of loaders (``resolve``)."""

    def __init__(self, dialogs: Iterable[Dialog] = ()) -> None:
        self._dialogs: dict[str, Dialog] = {}
        self._loaders: dict[str, Loader] = {}
        for dialog in dialogs:
            self.add(dialog)

    def add(self, dialog: Dialog) -> None:
        """Serve ``dialog`` by its name; another dialog of the same name is a mistake (ValueError)."""
        known = self._dialogs.get(dialog.name)
        if known is not None and known is not dialog:
            raise ValueError(f"there is already a dialog named {dialog.name!r}")
        self._dialogs[dialog.name] = dialog

    def get(self, name: str) -> Dialog | None:
        return self._dialogs.get(name)

    def register_loader(self, prefix: str, loader: Loader) -> None:
        """Let ``loader`` find the dialogs named ``prefix:…`` (one loader per prefix)."""
        if not prefix or ":" in prefix:
            raise ValueError(f"a loader prefix is a non-empty name without ':', not {prefix!r}")
        if prefix in self._loaders:
            raise ValueError(f"a loader for {prefix!r} is already registered")
        self._loaders[prefix] = loader

    def has_loader(self, prefix: str) -> bool:
        return prefix in self._loaders

    async def resolve(self, name: str, reader: Any = None) -> Dialog | None:
        """The dialog of ``name``: one added here first, else from the loader of its prefix, which
        reads with ``reader``."""
        found = self.get(name)
        if found is not None:
            return found
        prefix, colon, rest = name.partition(":")
        loader = self._loaders.get(prefix) if colon and rest else None
        if loader is None:
            return None
        dialog = await loader(name, reader)
        if dialog is not None and dialog.name != name:
            # A state saved under one name could never find its dialog again.
            raise ValueError(f"the {prefix!r} loader returned the dialog {dialog.name!r} for {name!r}")
        return dialog


DIALOGS_SOURCE = DialogSource(BUILT_IN)
"""The process's dialogs: the built-in ones; loaders are registered at start-up."""


def get_dialog(name: str) -> Dialog | None:
    """A built-in (or added) dialog by name; ``DIALOGS_SOURCE.resolve`` also asks the loaders."""
    return DIALOGS_SOURCE.get(name)
