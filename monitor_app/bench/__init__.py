"""``camera-monitor bench``: our pipeline against the naive design, on the same senders in one run."""
