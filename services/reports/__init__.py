"""Reports to managers (DOMAIN 1.7, 3.6): weekly and monthly complaint reports, survey results,
exports with charts. Empty until the reports issue; the repair record export lives with repairs
(``services/repairs/reports.py``)."""
