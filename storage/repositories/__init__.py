"""Repositories: query and add objects within a session. They never commit."""
