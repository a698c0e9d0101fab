"""Satisfaction surveys: campaigns and their samples (sampling, response rates)."""

from __future__ import annotations

from storage.repositories.base import Repository


class SurveyCampaignRepository(Repository):
    pass
