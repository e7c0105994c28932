"""Widgets: the main window, the camera grid and tiles, dialogs. No I/O and no decoding here."""
