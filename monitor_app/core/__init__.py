"""Qt-free heart of Camera Monitor: layouts, sources, decoding, mailboxes and health.

Nothing in this package may import Qt (import-linter and a test enforce it), so all of it runs and is
tested without a display.
"""
