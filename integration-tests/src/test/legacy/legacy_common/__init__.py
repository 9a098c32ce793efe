"""Shared plumbing of the reference backends: database selection, the outbox of "sent" messages, the WSGI server."""
