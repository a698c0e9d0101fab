"""Why a message is pushed. Every outbox row carries one, so consent can be asked per purpose:
messages about a person's own case need none (DOMAIN 4.6); greetings, milestone notices and
survey invitations will need the owner's recorded consent for their purpose."""

from __future__ import annotations

from enum import StrEnum


class Purpose(StrEnum):
    ANSWER = "answer"  # the bot's answer to what a person just did (sent at once, ahead of the rest)
    CASE = "case"  # an event on a case, to its owner or the staff working on it
    REMINDER = "reminder"  # a deadline, approval or callback reminder to staff
    CONFIRMATION = "confirmation"  # the owner is reminded to confirm a result
    CALENDAR = "calendar"  # a holiday schedule is missing (to the office's managers)
    REPLY = "reply"  # customer service's answer to a logged message
    INQUIRY = "inquiry"  # a new message in the communication log, to customer service
    SURVEY = "survey"  # a survey invitation or its reminder, to an owner (needs consent for surveys)
    CARE = "care"  # a care message about the owner's own purchase or home: welcome, delivery, inspection (no consent)
    GREETING = "greeting"  # a birthday or family-occasion greeting (needs consent for greetings)
    EVENT = "event"  # a community event, newsletter or construction milestone (needs consent for events)
    REPORT = "report"  # a periodic report (figures, chart, workbook) to managers and leadership


# Lower goes first: an answer to what a person just did, then notices, then bulk pushes.
PRIORITY: dict[Purpose, int] = {Purpose.ANSWER: 0}
DEFAULT_PRIORITY = 10


# Purposes that reach owners only with their consent, and the kind of consent each needs (DOMAIN 4.6;
# services/care/consent.py). Checked when planning and again by the drain when sending.
NEEDS_CONSENT: dict[Purpose, str] = {
    Purpose.GREETING: "greetings",
    Purpose.EVENT: "events",
    Purpose.SURVEY: "surveys",
}
