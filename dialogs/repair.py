"""报修: the owner's repair request (DOMAIN 2.1) and the short dialogs staff use on a repair."""

from __future__ import annotations

from decimal import Decimal

from dialogs.case_steps import EXTEND as TICKET_EXTEND
from dialogs.engine import (
    AmountStep,
    AnswerAbove,
    ChoiceStep,
    ConfirmStep,
    Dialog,
    HasContext,
    MultiChoiceStep,
    Option,
    PhoneStep,
    PhotosStep,
    RatingStep,
    TextStep,
)
from dialogs.text import N_, Msg

DESCRIPTION_LIMIT = 1000
MAX_ATTACHMENTS = 6
MAX_AMOUNT = Decimal("10000000")
BUILDER_SURVEY_ABOVE = Decimal("500")  # DOMAIN 2.3: the builder joins the survey above 500 yuan

# The vocabularies of the repair dialogs by code. services.repairs.rules names the same codes
# (Trade, VisitSlot, Responsible) and services.repairs.warranty the components (Component).
TRADE_LABELS: dict[str, str] = {
    "plumbing": N_("Water and plumbing"),
    "electrical": N_("Electrical"),
    "doors_windows": N_("Doors and windows"),
    "walls_floors": N_("Walls, ceilings and floors"),
    "waterproofing": N_("Waterproofing and leaks"),
    "heating_cooling": N_("Heating and cooling"),
    "public_areas": N_("Public areas"),
    "other": N_("Other"),
}

# One entry per building part, in the order a surveyor goes through a home (structure, roof, leaks,
# finishes, doors and windows, water, electricity, heating, the rest); services.repairs.warranty
# explains which statutory item each one carries.
COMPONENT_LABELS: dict[str, str] = {
    "foundation_structure": N_("Foundation and main structure"),
    "roof_waterproofing": N_("Roof waterproofing"),
    "waterproof_rooms": N_("Waterproofed bathrooms and rooms"),
    "exterior_wall_leak": N_("Exterior wall leakage"),
    "wall_floor_pipe_leak": N_("Other leaks (interior walls, basement, pipes)"),
    "plaster_floor_cracks": N_("Plaster falling off, hollow or cracked floors"),
    "doors_windows": N_("Warped doors and windows, broken hardware"),
    "plumbing": N_("Water supply and drainage pipes"),
    "blocked_pipes": N_("Blocked pipes"),
    "sanitary_fittings": N_("Sanitary fittings"),
    "electrical": N_("Electrical wiring"),
    "lamps_switches": N_("Lamps and electrical switches"),
    "heating_cooling": N_("Heating and cooling system"),
    "equipment_installation": N_("Equipment installation"),
    "decoration": N_("Decoration works"),
}

VISIT_SLOT_LABELS: dict[str, str] = {
    "wd_am": N_("Weekdays 9:00–12:00"),
    "wd_pm": N_("Weekdays 14:00–18:00"),
    "wd_ev": N_("Weekdays 18:00–20:00"),
    "we_am": N_("Weekends 9:00–12:00"),
    "we_pm": N_("Weekends 14:00–18:00"),
}

RESPONSIBLE_LABELS: dict[str, str] = {
    "builder": N_("The builder (construction defect)"),
    "company": N_("The company or property management"),
    "owner": N_("The owner (use or own decoration)"),
}

_has_units = HasContext("units")
_builder_joins = AnswerAbove("estimate", str(BUILDER_SURVEY_ABOVE))


def _options(labels: dict[str, str]) -> tuple[Option, ...]:
    return tuple(Option(code, Msg(label)) for code, label in labels.items())


REPAIR = Dialog(
    name="repair",
    title=Msg(N_("Repair request")),
    steps=(
        ChoiceStep(key="trade", prompt=Msg(N_("What needs repairing?")), label=Msg(N_("Trade")),
                   options=_options(TRADE_LABELS)),
        TextStep(key="location", prompt=Msg(N_("Where in your home is it? (e.g. master bathroom, kitchen ceiling)")),
                 label=Msg(N_("Location")), min_len=2, max_len=100),
        TextStep(key="description", label=Msg(N_("Description")), min_len=5, max_len=DESCRIPTION_LIMIT,
                 prompt=Msg(N_("Please describe the problem (up to {limit} characters)."), {"limit": DESCRIPTION_LIMIT})),
        PhotosStep(key="attachments", label=Msg(N_("Photos")), optional=True, max_items=MAX_ATTACHMENTS,
                   accept_documents=False,  # pictures only (dialogs.files)
                   prompt=Msg(N_("You may send up to {n} photos of the problem."), {"n": MAX_ATTACHMENTS})),
        MultiChoiceStep(key="visit_slots", label=Msg(N_("Preferred visit times")), columns=1,
                        prompt=Msg(N_("When can we visit? Choose one or more times, then press Done.")),
                        options=_options(VISIT_SLOT_LABELS)),
        ChoiceStep(key="unit", prompt=Msg(N_("Which home is it about?")), label=Msg(N_("Unit")),
                   options_from="units", auto_single=True, columns=1, when=_has_units),
        PhoneStep(key="phone", label=Msg(N_("Phone")), prefill_from="phone",
                  prompt=Msg(N_("Which phone number can we reach you on? Share it with the button or type it."))),
        ConfirmStep(key="confirm", prompt=Msg(N_("Please check your repair request and confirm:"))),
    ),
)

SURVEY = Dialog(
    name="repair_survey",
    steps=(
        ChoiceStep(key="responsible", prompt=Msg(N_("Who is responsible for the defect?")),
                   label=Msg(N_("Responsible party")), options=_options(RESPONSIBLE_LABELS), columns=1),
        ChoiceStep(key="component", prompt=Msg(N_("Which part is it (decides the warranty period)?")),
                   label=Msg(N_("Part")), options=_options(COMPONENT_LABELS), columns=1),
        MultiChoiceStep(key="trades", prompt=Msg(N_("Which trades does the job involve? Choose all, then press Done.")),
                        label=Msg(N_("Trades")), options=_options(TRADE_LABELS), columns=2),
        AmountStep(key="estimate", prompt=Msg(N_("Estimated cost in yuan (0 if free of charge)?")),
                   label=Msg(N_("Estimate")), max_value=MAX_AMOUNT),
        TextStep(key="builder_representative", when=_builder_joins, label=Msg(N_("Builder's representative")),
                 prompt=Msg(N_("Over 500 yuan the builder joins the survey. Name of the builder's representative?")),
                 min_len=2, max_len=100),
        TextStep(key="participants", prompt=Msg(N_("Who took part in the survey (names)?")),
                 label=Msg(N_("Participants")), min_len=2, max_len=300),
        TextStep(key="notes", prompt=Msg(N_("Findings or notes? Type them, or press Skip.")), label=Msg(N_("Notes")),
                 optional=True, max_len=1000),
        ConfirmStep(key="confirm", prompt=Msg(N_("Please check the survey record (《现场勘察会签表》) and confirm:"))),
    ),
)

OVERRIDE = Dialog(
    name="repair_override",
    steps=(
        ChoiceStep(key="choice", prompt=Msg(N_("Which warranty class applies?")), columns=1, options=(
            Option("A", Msg(N_("Class A (builder's warranty)"))),
            Option("B_company", Msg(N_("Class B, borne by the company"))),
            Option("B_owner", Msg(N_("Class B, paid by the owner"))),
        )),
        TextStep(key="reason", prompt=Msg(N_("Why? (the reason is recorded)")), min_len=2, max_len=500),
    ),
)
REJECT = Dialog(
    name="repair_reject",
    steps=(TextStep(key="reason", prompt=Msg(N_("Why is the cost rejected? The reason is sent on.")),
                    min_len=2, max_len=500),),
)
ASSIGN = Dialog(
    name="repair_assign",
    steps=(ChoiceStep(key="worker", prompt=Msg(N_("Who does the job?")), options_from="workers", columns=1),),
)
EXTEND = Dialog(name="repair_extend", steps=TICKET_EXTEND.steps)  # the same questions as for a complaint
COMPLETE = Dialog(
    name="repair_complete",
    steps=(
        TextStep(key="work_done", prompt=Msg(N_("What was done? The owner will read this and confirm.")),
                 label=Msg(N_("Work done")), min_len=2, max_len=1000),
        AmountStep(key="settlement", prompt=Msg(N_("Final cost in yuan (0 if free of charge)?")),
                   label=Msg(N_("Settlement")), max_value=MAX_AMOUNT),
        PhotosStep(key="attachments", prompt=Msg(N_("Photos of the finished work?")), accept_documents=False,
                   label=Msg(N_("Photos")), optional=True, max_items=MAX_ATTACHMENTS),
        ConfirmStep(key="confirm", prompt=Msg(N_("Please check and confirm the completion:"))),
    ),
)
CHECK_FAIL = Dialog(
    name="repair_check_fail",
    steps=(TextStep(key="reason", prompt=Msg(N_("What is not right? The repair team will read this.")),
                    min_len=2, max_len=500),),
)
CALLBACK = Dialog(
    name="repair_callback",
    steps=(
        RatingStep(key="quality", prompt=Msg(N_("The owner's rating of the repair quality (1–5)?"))),
        RatingStep(key="attitude", prompt=Msg(N_("The owner's rating of the staff's attitude (1–5)?"))),
        TextStep(key="comment", prompt=Msg(N_("The owner's comments? Type them, or press Skip.")),
                 optional=True, max_len=500),
    ),
    # No done text: "Callback recorded" or "this case changed meanwhile" comes from the use case alone.
)
OBJECT = Dialog(
    name="repair_object",
    steps=(TextStep(key="reason", prompt=Msg(N_("What do you object to in the survey? The reason is recorded on the "
                                                "《现场勘察会签表》 and sent to customer service.")),
                    min_len=2, max_len=500),),
)
RATING = Dialog(
    name="repair_rating",
    steps=(
        RatingStep(key="quality", prompt=Msg(N_("How satisfied are you with the quality of the repair? "
                                                 "(1 = very dissatisfied, 5 = very satisfied)"))),
        RatingStep(key="attitude", prompt=Msg(N_("How satisfied are you with our staff's attitude?"))),
        TextStep(key="comment", prompt=Msg(N_("Any expectations or suggestions? Type them, or press Skip.")),
                 optional=True, max_len=500),
    ),
    # No done text: the use case answers, as it alone knows whether the ratings were recorded.
)

REPAIR_DIALOGS = (REPAIR, SURVEY, OVERRIDE, REJECT, ASSIGN, EXTEND, COMPLETE, CHECK_FAIL, CALLBACK, OBJECT, RATING)
