"""Qt-free heart of Camera Monitor: layouts, sources, decoding, mailboxes and health.

Nothing in this package may import PySide6 (a test enforces it), so all of it runs and is
tested without a display.
"""
