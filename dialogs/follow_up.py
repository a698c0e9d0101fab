"""Recording a follow-up call that reached the owner (回访): what was agreed and whether the owner is
satisfied now. One dialog per subject (the prompt says where it is recorded), the same steps and
the same completer. And the findings of a topic investigation (专题调查) of clustered low survey
answers."""

from __future__ import annotations

from dialogs.engine import ChoiceStep, Dialog, Option, TextStep
from dialogs.text import N_, Msg


def outcome_dialog(name: str, agreed_prompt: str) -> Dialog:
    return Dialog(
        name=name,
        steps=(
            TextStep(key="agreed", prompt=Msg(agreed_prompt), min_len=2, max_len=1000),
            ChoiceStep(key="satisfied", prompt=Msg(N_("Is the owner satisfied now?")),
                       options=(Option("yes", Msg(N_("Yes, satisfied"))),
                                Option("no", Msg(N_("No, still dissatisfied"))))),
        ),
    )


FOLLOW_UP_OUTCOME = outcome_dialog(
    "follow_up_outcome", N_("What did you agree with the owner? It is recorded on the case."))
SURVEY_FOLLOW_UP_OUTCOME = outcome_dialog(
    "survey_follow_up_outcome", N_("What did you agree with the owner? It is recorded with the survey answers."))

TOPIC_FINDINGS = Dialog(
    name="survey_topic_findings",
    steps=(
        TextStep(key="findings", prompt=Msg(N_("What did the investigation find, and what will be done? This closes "
                                                 "the topic investigation.")), min_len=5, max_len=2000),
    ),
)
