"""Declarative guided conversations and the pure engine that runs them (no framework imports).

The package imports nothing of ours but its own modules (``dialogs.*``): services build on it,
never the other way round. The vocabularies the dialogs offer (complaint categories, trades…)
live here, keyed by the plain string codes the services' enums also use.
"""
