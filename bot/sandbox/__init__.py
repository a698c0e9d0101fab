"""The local sandbox: a Bot API emulator the real bot talks to over HTTP on 127.0.0.1."""
