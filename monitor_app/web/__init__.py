"""The wall in a browser (``--web``): an aiohttp server on its own thread and event loop.

Qt-free: the window publishes plain snapshots of its view and states to it, and it reads frames
from the camera feeds' taps (``core/pipeline/taps.py``). Importing this package loads nothing heavy.
"""
