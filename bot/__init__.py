"""Runtime: settings, app start, the Telegram adapter, the sandbox emulator.

Importing this package must stay cheap: aiogram is imported only by the modules that need it.
"""
