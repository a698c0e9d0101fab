"""The aiogram 3 adapter: a dispatcher whose only handlers hand plain events to the chat core,
and a transport that renders, sends and maps aiogram's errors onto the core's."""
