"""What an owner can see about themselves (DOMAIN 5.3: owners may ask what we hold)."""

from __future__ import annotations

from dialogs.engine import Reply
from dialogs.phones import display_phone
from dialogs.text import N_, DateText, Field, Lines, Msg, Plain, Text
from services.cases.units import unit_text
from storage.uow import UnitOfWork


async def owner_profile(uow: UnitOfWork, owner_id: int) -> Reply:
    owner = await uow.owners.get(owner_id)
    if owner is None:
        return Reply(Msg(N_("We could not find your record. Please contact customer service.")))
    units = await uow.units.units_of_owner(owner_id)
    lines: list[Text] = [
        Msg(N_("Your details on record:")),
        Field(Msg(N_("Name")), Plain(owner.name)),
        Field(Msg(N_("Phone")), Plain(display_phone(owner.phone))),
    ]
    for unit in units:
        value: Text = unit_text(unit)
        if unit.delivery_date:
            value = Msg(N_("{unit}, delivered {date}"), {"unit": unit_text(unit), "date": DateText(unit.delivery_date)})
        lines.append(Field(Msg(N_("Unit")), value))
    if owner.move_in_date:
        lines.append(Field(Msg(N_("Moved in")), DateText(owner.move_in_date)))
    if owner.birthday_month and owner.birthday_day:
        if owner.birthday_calendar == "lunar":
            birthday: Text = Msg(
                N_("lunar calendar, month {month}{leap}, day {day}"),
                {"month": owner.birthday_month, "day": owner.birthday_day,
                 "leap": Msg(N_(" (leap)")) if owner.birthday_leap else ""},
            )
        else:
            birthday = Msg(N_("{month}/{day}"), {"month": owner.birthday_month, "day": owner.birthday_day})
        lines.append(Field(Msg(N_("Birthday")), birthday))
    lines.append(Msg(N_("For a file of everything we hold about you, send /mydata.")))
    return Reply(Lines(tuple(lines)))
