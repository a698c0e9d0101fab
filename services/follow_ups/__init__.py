"""The follow-up of a dissatisfied owner (回访, DOMAIN 1.6, 2.5, 3.5), whatever it is about: a case
rated 1–2 (``services/cases/follow_up.py``) or a survey answered 1–2
(``services/surveys/follow_up.py``). One card, one pair of buttons, one outcome dialog, one queue
entry, one reminder rule; each subject says only what differs (``subject.py``)."""
