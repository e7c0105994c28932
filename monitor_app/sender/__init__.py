"""The engine of ``camera-monitor send``: a headless imagezmq sender. Imports no Qt."""
