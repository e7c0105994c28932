"""QtCore threads around the core: one per connection, a decode pool, a stats writer.

No widgets here (a test enforces it). Results reach the GUI only through signals.
"""
