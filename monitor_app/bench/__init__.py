"""``camera-monitor bench``: our pipeline against the naive design, on the same senders in one run."""

NAIVE_COMMAND = "_bench-naive"
"""Not for users: ``bench`` starts the naive window through it, because a frozen build has no ``-m``."""
