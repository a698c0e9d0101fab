"""Satisfaction surveys (《客户满意度调查表》, DOMAIN 3): questionnaires built from data into dialogs,
campaigns, sampling and metrics. Empty until the surveys issue: the dialog source already serves
dialogs built from data (``dialogs.source.DialogSource.register_loader``), and outbox rows carry a
purpose for the owners' consent to attach to."""
