"""Domain rules and use cases. Never imports aiogram: services take plain values and a unit of work."""
